// `npm run compare-embedders -- lsa=DIR e5=DIR bge=DIR [--sets FILE,FILE]`: retrieval quality of each
// embedder's index on the shared evaluation sets — dense alone, BM25 alone and the two fused, as the
// retriever runs them — split by the questions' language, with the query-embedding and retrieval latency
// in this process. Each DIR is an INDEX_DIR built with that embedder (`EMBEDDINGS=e5 INDEX_DIR=DIR npm
// run ingest`). Then the sentence vectors the answer step scores: for each expected string, how the
// sentence holding it ranks among all sentences of its region's report by similarity to the question
// (top-1, top-5, MRR). Prints Markdown tables and writes results/compare-embedders.json.
import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { expectedRegion, normalizeForScoring, readEvalSet, type EvalItem } from '../src/eval/eval-set.ts';
import { runEvaluation } from '../src/eval/run-evaluation.ts';
import { MODEL_NAMES, type ModelName } from '../src/index/embedding-models.ts';
import type { EmbedderRequest } from '../src/index/embedders.ts';
import { loadIndex } from '../src/index/index-store.ts';
import type { PassageIndex } from '../src/index/passage-index.ts';
import { openEmbedder } from '../src/index/model-runtime.ts';
import { DEFAULT_RETRIEVER, HybridRetriever, type RetrieverSettings } from '../src/retrieval/hybrid-search.ts';
import { formatMs, summarizeLatencies, timeEach } from './lib/latency.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { sets: { type: 'string', default: 'eval/dev.json,eval/dev-extra.json,eval/probe.json' }, 'models-dir': { type: 'string', default: '.models' } },
});

interface Cell {
  n: number;
  recall5: number;
  mrr: number;
}
type Languages = Record<'all' | 'zh' | 'en', Cell>;

const modes: { name: string; settings: Partial<RetrieverSettings> }[] = [
  { name: 'dense alone', settings: { useLexical: false } },
  { name: 'BM25 alone', settings: { useDense: false } },
  { name: 'BM25 + dense (fused)', settings: {} },
];

const sets = await Promise.all(values.sets!.split(',').map(async (file) => ({ file, items: await readEvalSet(file) })));

function split(items: readonly EvalItem[], results: Awaited<ReturnType<typeof runEvaluation>>['items']): Languages {
  const language = new Map(items.map((item) => [item.id, item.lang === 'en' ? 'en' : 'zh']));
  const cell = (keep: (id: string) => boolean): Cell => {
    const scored = results.filter((result) => result.retrieval && keep(result.id));
    const found = scored.reduce((sum, result) => sum + result.retrieval!.found, 0);
    const expected = scored.reduce((sum, result) => sum + result.retrieval!.expected, 0);
    return { n: scored.length, recall5: expected ? found / expected : 0, mrr: scored.length ? scored.reduce((sum, result) => sum + result.retrieval!.reciprocalRank, 0) / scored.length : 0 };
  };
  return { all: cell(() => true), zh: cell((id) => language.get(id) === 'zh'), en: cell((id) => language.get(id) === 'en') };
}

interface SentenceCell {
  n: number;
  top1: number;
  top5: number;
  mrr: number;
}

/**
 * Each expected string of a set whose text lies within one sentence of its region's passages: the rank of
 * the best such sentence among every sentence of that region by cosine with the question (as the answer
 * step reads them, `sentenceSimilarities`).
 */
async function rankSentences(index: PassageIndex, items: readonly EvalItem[]): Promise<SentenceCell> {
  const ranks: number[] = [];
  for (const item of items) {
    const query = await index.embedQuery(item.question);
    for (const [position, expected] of item.expect.entries()) {
      const region = expectedRegion(item, position);
      const wanted = normalizeForScoring(expected);
      const scored: { similarity: number; gold: boolean }[] = [];
      for (const passage of index.passages) {
        if (passage.region !== region) continue;
        const similarities = index.sentenceSimilarities(passage.id, query);
        index.sentencesOf(passage.id).forEach((span, row) => scored.push({ similarity: similarities[row]!, gold: normalizeForScoring(passage.text.slice(span.start, span.end)).includes(wanted) }));
      }
      if (!scored.some((entry) => entry.gold)) continue;
      scored.sort((left, right) => right.similarity - left.similarity);
      ranks.push(scored.findIndex((entry) => entry.gold) + 1);
    }
  }
  const share = (keep: (rank: number) => boolean): number => (ranks.length ? ranks.filter(keep).length / ranks.length : 0);
  return { n: ranks.length, top1: share((rank) => rank === 1), top5: share((rank) => rank <= 5), mrr: ranks.length ? ranks.reduce((sum, rank) => sum + 1 / rank, 0) / ranks.length : 0 };
}

const rows: string[] = [];
const sentenceRows: string[] = [];
const results: Record<string, unknown> = { command: `npm run compare-embedders -- ${process.argv.slice(2).join(' ')}`, at: new Date().toISOString() };
for (const argument of positionals) {
  const [name, indexDir] = argument.split('=') as [string, string | undefined];
  if (!indexDir) throw new Error(`Give each embedder as NAME=INDEX_DIR (got "${argument}")`);
  const request: EmbedderRequest = name === 'lsa' ? { kind: 'lsa' } : { kind: 'model-request', model: name as ModelName, modelsDir: values['models-dir']!, explicit: true };
  if (name !== 'lsa' && !MODEL_NAMES.includes(name as ModelName)) throw new Error(`Unknown embedder "${name}"`);
  const embedder = await openEmbedder(request);
  try {
    const index = await loadIndex({ indexDir, embedder: embedder.settings });
    const questions = sets.flatMap((set) => set.items.map((item) => item.question));
    const embed = summarizeLatencies(await timeEach(questions, (question) => index.embedQuery(question), { repetitions: 3 }));
    const retriever = new HybridRetriever(index);
    const retrieve = summarizeLatencies(await timeEach(questions, (question) => retriever.retrieve({ question, k: 5 }), { repetitions: 3 }));
    const perMode: Record<string, Record<string, Languages>> = {};
    for (const mode of modes) {
      perMode[mode.name] = {};
      for (const set of sets) {
        const report = await runEvaluation(index, set.items, { retriever: { ...DEFAULT_RETRIEVER, ...mode.settings } });
        perMode[mode.name]![set.file] = split(set.items, report.items);
      }
    }
    const sentenceRanks: Record<string, SentenceCell> = {};
    for (const set of sets) sentenceRanks[set.file] = await rankSentences(index, set.items);
    const pooling = index.manifest.sentencePooling ?? 'alone';
    sentenceRows.push(`| ${name} | ${pooling} | ${sets.map((set) => { const cell = sentenceRanks[set.file]!; return `${cell.n} | ${cell.top1.toFixed(3)} / ${cell.top5.toFixed(3)} / ${cell.mrr.toFixed(3)}`; }).join(' | ')} |`);
    results[name] = { embedder: index.manifest.embedder, dimensions: index.dimensions, passages: index.passages.length, sentences: index.manifest.sentences, sentencePooling: pooling, embedQuery: embed, retrieve, modes: perMode, sentenceRanks };
    for (const mode of modes) {
      // BM25 does not depend on the embedder: one row, from the first index.
      if (mode.name === 'BM25 alone' && argument !== positionals[0]) continue;
      const cells = sets.flatMap((set) => {
        const value = perMode[mode.name]![set.file]!;
        return [`${value.all.recall5.toFixed(3)} / ${value.all.mrr.toFixed(3)}`, `${value.zh.recall5.toFixed(3)} / ${value.en.recall5.toFixed(3)}`];
      });
      rows.push(`| ${mode.name === 'BM25 alone' ? '—' : name} | ${mode.name} | ${cells.join(' | ')} | ${mode.name === 'BM25 alone' ? '—' : `${formatMs(embed.p50)} / ${formatMs(retrieve.p50)}`} |`);
    }
  } finally {
    await embedder.stop();
  }
}
const setNames = sets.map((set) => set.file.replace(/^.*\//, '').replace(/\.json$/, ''));
console.log(
  [
    `| embedder | retrieval | ${setNames.map((set) => `${set}: R@5 / MRR | ${set}: R@5 zh / en`).join(' | ')} | p50 ms: embed query / retrieve |`,
    `|---|---|${setNames.map(() => '---|---|').join('')}---|`,
    ...rows,
    '',
    `| embedder | sentence vectors | ${setNames.map((set) => `${set}: strings | ${set}: sentence top-1 / top-5 / MRR`).join(' | ')} |`,
    `|---|---|${setNames.map(() => '---|---|').join('')}`,
    ...sentenceRows,
  ].join('\n'),
);
await mkdir('results', { recursive: true });
await writeFile('results/compare-embedders.json', `${JSON.stringify(results, null, 2)}\n`);
