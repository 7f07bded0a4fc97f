// The evaluation's retrieval figures: Recall@5 and MRR over the answer's sources, as API.md defines them,
// with the retriever's own top five reported beside them.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { openIndex } from '../../src/compose.ts';
import { readConfig } from '../../src/config.ts';
import type { EvalItem } from '../../src/eval/eval-set.ts';
import type { PassageIndex } from '../../src/index/passage-index.ts';
import { runEvaluation, type AnswerOutcome } from '../../src/eval/run-evaluation.ts';
import { DEFAULT_RETRIEVER, HybridRetriever } from '../../src/retrieval/hybrid-search.ts';
import { toSource } from '../../src/answer/answer-question.ts';
import type { Source } from '../../src/types.ts';

const DATA_DIR = fileURLToPath(new URL('../../data', import.meta.url));
const INDEX_DIR = fileURLToPath(new URL('../../vectorstore', import.meta.url));

let index: PassageIndex;
before(async () => {
  index = await openIndex(readConfig({ DATA_DIR, INDEX_DIR }));
});

const TARGETS = '产业投资增长10%以上';
const item: EvalItem = { id: 't1', question: '云南2024年产业投资增长目标是多少？', type: 'target', region: '云南省', expect: [TARGETS] };

function sourceOf(text: string): Source {
  const passage = index.passages.find((candidate) => candidate.region === '云南省' && candidate.text.includes(text));
  assert.ok(passage, `a Yunnan passage holds ${text}`);
  return toSource(1, { passage, score: 1 });
}

const outcome = (sources: Source[]): AnswerOutcome => ({ answer: `${TARGETS} [1]`, grounded: true, citations: [1], sources, latencyMs: 1 });

describe('evaluation retrieval figures', () => {
  test('the retriever finds the target passage in its top five (the premise of the cases below)', async () => {
    const retrieval = await new HybridRetriever(index).retrieve({ question: item.question, k: 5 });
    assert.ok(retrieval.passages.slice(0, 5).some(({ passage }) => passage.region === '云南省' && passage.text.includes(TARGETS)));
  });

  test('Recall@5 is read from the sources the answer gives, the ranking from the retriever', async () => {
    const wrong = sourceOf('数字经济核心产业营业收入增长15%以上');
    const report = await runEvaluation(index, [item], { retriever: DEFAULT_RETRIEVER, answer: async () => outcome([wrong]) });
    assert.equal(report.summary.recall5, 0);
    assert.equal(report.summary.mrr, 0);
    assert.equal(report.summary.ranking?.recall5, 1);
    assert.equal(report.items[0]!.ranking?.found, 1);
  });

  test('an answer that gives the passage second ranks it second', async () => {
    const report = await runEvaluation(index, [item], { retriever: DEFAULT_RETRIEVER, answer: async () => outcome([sourceOf('数字经济核心产业营业收入增长15%以上'), sourceOf(TARGETS)]) });
    assert.equal(report.summary.recall5, 1);
    assert.equal(report.summary.mrr, 0.5);
  });

  test('without an answer, the retriever\'s list is scored and no separate ranking is given', async () => {
    const report = await runEvaluation(index, [item], { retriever: DEFAULT_RETRIEVER });
    assert.equal(report.summary.recall5, 1);
    assert.equal(report.summary.ranking, undefined);
    assert.equal(report.items[0]!.ranking, undefined);
  });
});
