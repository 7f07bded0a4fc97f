// How rare a word is, for weighing a topic's words: BM25's document frequency of the tokens, and for a word the
// tokenizer never yields alone (适老 of 适老化), the passages that write it.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { openIndex } from '../../src/compose.ts';
import { readConfig } from '../../src/config.ts';
import type { PassageIndex } from '../../src/index/passage-index.ts';

const DATA_DIR = fileURLToPath(new URL('../../data', import.meta.url));
const INDEX_DIR = fileURLToPath(new URL('../../vectorstore', import.meta.url));

let index: PassageIndex;
before(async () => {
  index = await openIndex(readConfig({ DATA_DIR, INDEX_DIR }));
});

describe('written rarity', () => {
  test('a word the tokenizer never yields alone is as rare as the passages that write it', () => {
    assert.equal(index.bm25.documentFrequency('适老'), 0);
    const writing = index.passages.filter((passage) => passage.text.includes('适老')).length;
    assert.ok(writing > 0);
    const expected = Math.log(1 + (index.passages.length - writing + 0.5) / (writing + 0.5));
    assert.ok(Math.abs(index.writtenIdf('适老')! - expected) < 1e-9);
  });

  test('a common word is less rare than a rare one; a text no passage writes has no rarity', () => {
    assert.ok(index.writtenIdf('发展')! < index.writtenIdf('适老')!);
    assert.equal(index.writtenIdf('不存在的词语'), undefined);
  });
});
