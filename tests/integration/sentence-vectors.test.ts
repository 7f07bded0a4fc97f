// Sentence vectors over the real index: every passage's sentences as exact offsets, and their similarity
// to a question picks the sentence that answers it (粮食 for a grain question, 进出口 for a trade one),
// with the query vector the retriever already computed.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { splitSentences } from '../../src/chunking/split-sentences.ts';
import { openIndex } from '../../src/compose.ts';
import { readConfig } from '../../src/config.ts';
import type { PassageIndex } from '../../src/index/passage-index.ts';
import { HybridRetriever } from '../../src/retrieval/hybrid-search.ts';
import type { Passage } from '../../src/types.ts';

const DATA_DIR = fileURLToPath(new URL('../../data', import.meta.url));
const INDEX_DIR = fileURLToPath(new URL('../../vectorstore', import.meta.url));

let index: PassageIndex;
let retriever: HybridRetriever;

before(async () => {
  index = await openIndex(readConfig({ DATA_DIR, INDEX_DIR }));
  retriever = new HybridRetriever(index);
});

/** Jiangsu's review of last year: GDP, revenue, grain and foreign trade, one sentence each. */
function jiangsuReview(): Passage {
  const passage = index.passages.find((candidate) => candidate.region === '江苏省' && candidate.text.includes('粮食总产量759.5亿斤') && candidate.text.includes('进出口总额5.25万亿元'));
  assert.ok(passage, 'the Jiangsu passage with grain and trade figures is indexed');
  return passage;
}

/** The passage's sentence texts, best first by similarity to the query vector. */
function rankSentences(passage: Passage, query: Float32Array): { text: string; similarity: number }[] {
  const similarities = index.sentenceSimilarities(passage.id, query);
  return index
    .sentencesOf(passage.id)
    .map((span, position) => ({ text: passage.text.slice(span.start, span.end), similarity: similarities[position]! }))
    .sort((left, right) => right.similarity - left.similarity);
}

describe('the sentences of every passage', () => {
  test('are the passage split by splitSentences, as exact offsets into its text, and the manifest counts them', () => {
    let total = 0;
    for (const passage of index.passages) {
      const spans = index.sentencesOf(passage.id);
      assert.deepEqual(
        spans.map((span) => passage.text.slice(span.start, span.end)),
        splitSentences(passage.text).map((sentence) => sentence.text),
        passage.id,
      );
      total += spans.length;
    }
    assert.equal(total, index.manifest.sentences);
    assert.ok(total > index.passages.length * 3, `${total} sentences over ${index.passages.length} passages`);
  });

  test('an unknown passage has no sentences and no similarities', async () => {
    const query = await index.embedQuery('粮食产量');
    assert.deepEqual(index.sentencesOf('nowhere#p000'), []);
    assert.equal(index.sentenceSimilarities('nowhere#p000', query).length, 0);
  });
});

describe('similarity of sentences to a question', () => {
  test('a grain question is closest to the grain sentence, a trade question to the trade sentence', async () => {
    const passage = jiangsuReview();
    const grain = rankSentences(passage, await index.embedQuery('今年粮食产量目标是多少？'));
    assert.match(grain[0]!.text, /^粮食总产量759\.5亿斤/);
    const trade = rankSentences(passage, await index.embedQuery('外贸进出口增长多少？'));
    assert.match(trade[0]!.text, /^进出口总额5\.25万亿元/);
    const tradeForGrain = grain.find((sentence) => sentence.text.startsWith('进出口总额'))!;
    assert.ok(grain[0]!.similarity > tradeForGrain.similarity + 0.2, `grain ${grain[0]!.similarity} against trade ${tradeForGrain.similarity}`);
  });

  test('similarities are cosines: a sentence is most similar to its own text, at about 1', async () => {
    const passage = jiangsuReview();
    const spans = index.sentencesOf(passage.id);
    const grainSpan = spans.find((span) => passage.text.slice(span.start, span.end).startsWith('粮食总产量'))!;
    const similarities = index.sentenceSimilarities(passage.id, await index.embedQuery(passage.text.slice(grainSpan.start, grainSpan.end)));
    const own = similarities[spans.indexOf(grainSpan)]!;
    assert.ok(Math.abs(own - 1) < 1e-3, `own similarity ${own}`);
    assert.ok(similarities.every((similarity) => similarity <= own + 1e-6 && similarity >= -1 - 1e-6));
  });

  test('the retriever hands over its query vector, unit length, and the answer step can score sentences with it', async () => {
    const result = await retriever.retrieve({ question: 'How much grain did Jiangsu produce last year?' });
    const vector = result.queryVector;
    assert.ok(vector instanceof Float32Array && vector.length === index.dimensions);
    const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
    assert.ok(Math.abs(norm - 1) < 1e-4, `norm ${norm}`);
    assert.deepEqual(Array.from(vector), Array.from(await index.embedQuery([result.query, ...result.intent.search.terms].join(' '))));
    const passage = jiangsuReview();
    assert.ok(result.passages.some((hit) => hit.passage.id === passage.id), 'the review passage is retrieved');
    assert.match(rankSentences(passage, vector)[0]!.text, /^粮食总产量/);
  });

  test('no query vector when no dense search ran', async () => {
    const lexicalOnly = new HybridRetriever(index, { ...retriever.settings, useDense: false });
    const result = await lexicalOnly.retrieve({ question: '江苏今年粮食产量目标是多少？' });
    assert.ok(result.passages.length > 0);
    assert.equal(result.queryVector, undefined);
  });
});
