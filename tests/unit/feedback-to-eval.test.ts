// Feedback becomes evaluation items in the shared sets' format: a thumbs up on a cited answer is ready to
// score with the clauses it quoted; a thumbs up on a refusal is a negative item; a thumbs down awaits the
// expected text, with the disputed figures listed. The file reads back as an evaluation set.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { feedbackToEvalItems, figuresIn } from '../../src/conversations/feedback-to-eval.ts';
import type { Feedback } from '../../src/conversations/records.ts';
import { readEvalSet, scoreRetrieval } from '../../src/eval/eval-set.ts';
import { jiangsuExchange, suzhouExchange } from '../helpers/conversations.ts';

const files = (passageId: string): string | null => ({ 'jiangsu-2024': '001_8dfe99efc033ddf8.txt', 'suzhou-2024': '004_e53609ef88b3ffb8.txt' })[passageId.split('#')[0]!] ?? null;

function feedbackOn(exchange: ReturnType<typeof jiangsuExchange>, rest: Partial<Feedback>): Feedback {
  return {
    exchangeId: exchange.id,
    conversationId: 'c1',
    rating: 'up',
    question: exchange.question,
    history: [],
    answer: exchange.answer,
    grounded: exchange.grounded,
    mode: 'extractive',
    regions: exchange.regions,
    citations: exchange.citations,
    sources: exchange.sources,
    createdAt: Date.UTC(2025, 0, 2),
    updatedAt: Date.UTC(2025, 0, 2),
    ...rest,
  };
}

test('a thumbs up on a cited answer is a ready item: the quoted clause is expected, in the region of its source', () => {
  const [item] = feedbackToEvalItems([feedbackOn(jiangsuExchange('a1'), {})], files);
  assert.deepEqual(
    { id: item!.id, type: item!.type, region: item!.region, source: item!.source, expect: item!.expect, lang: item!.lang, review: item!.review },
    { id: 'fb-a1', type: 'target', region: '江苏省', source: '001_8dfe99efc033ddf8.txt', expect: ['地区生产总值增长5%以上'], lang: 'zh', review: undefined },
  );
  // Scored as the shared sets are: the passage it came from supports it.
  const score = scoreRetrieval({ ...item!, history: [] }, jiangsuExchange().sources);
  assert.equal(score.allFound, true);
});

test('a thumbs up on a refusal is a negative item; a follow-up keeps its history', () => {
  const refusal = { ...jiangsuExchange('a2'), question: '西藏2024年城镇新增就业目标是多少？', answer: '《2024年西藏自治区政府工作报告》没有给出城镇新增就业目标。', grounded: false, citations: [], regions: ['西藏自治区'] };
  const history = [{ role: 'user' as const, content: '2024年江苏省地区生产总值增长目标是多少？' }, { role: 'assistant' as const, content: '地区生产总值增长5%以上 [1]。' }];
  const [negative, followUp] = feedbackToEvalItems([feedbackOn(refusal, { refusal: { reason: 'topic_absent', message: '报告中没有城镇新增就业目标。' } }), feedbackOn(suzhouExchange('a3'), { history })], files);
  assert.deepEqual([negative!.type, negative!.expect, negative!.answer, negative!.review], ['negative', [], '报告中没有城镇新增就业目标。', undefined]);
  assert.deepEqual([followUp!.type, followUp!.history, followUp!.region], ['followup', history, '苏州市']);
});

test('a thumbs down awaits its expected text, says what to write, and lists a disputed figure as absent', () => {
  const [wrongFigure, shouldAnswer] = feedbackToEvalItems(
    [
      feedbackOn(jiangsuExchange('a4'), { rating: 'down', reason: 'wrong_figure', comment: '目标应为5.5%' }),
      feedbackOn({ ...jiangsuExchange('a5'), grounded: false, citations: [] }, { rating: 'down', reason: 'should_have_answered' }),
    ],
    files,
  );
  assert.deepEqual(wrongFigure!.expect, []);
  assert.deepEqual(wrongFigure!.absent, ['5%以上'], 'the year of the question is no disputed figure');
  assert.match(wrongFigure!.review ?? '', /right figure/);
  assert.deepEqual(wrongFigure!.feedback.comment, '目标应为5.5%');
  assert.deepEqual(wrongFigure!.feedback.sources[0], { n: 1, id: 'jiangsu-2024#p027', region: '江苏省', quote: '地区生产总值增长5%以上', cited: true });
  assert.match(shouldAnswer!.review ?? '', /should answer this/);
  assert.equal(shouldAnswer!.type, 'target', 'not a negative item: the user says the reports answer it');
});

test('figures are read with their units and qualifiers, markers left out', () => {
  assert.deepEqual(figuresIn('城镇新增就业120万人以上 [1]，居民消费价格涨幅3%左右 [2]。'), ['120万人以上', '3%左右']);
});

test('the exported file reads back as an evaluation set', async () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'feedback-eval-'));
  try {
    const file = path.join(folder, 'feedback.json');
    writeFileSync(file, JSON.stringify(feedbackToEvalItems([feedbackOn(jiangsuExchange('a6'), {}), feedbackOn(jiangsuExchange('a7'), { rating: 'down', reason: 'other' })], files)));
    const items = await readEvalSet(file);
    assert.deepEqual(items.map((item) => [item.id, item.review === undefined]), [['fb-a6', true], ['fb-a7', false]]);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
