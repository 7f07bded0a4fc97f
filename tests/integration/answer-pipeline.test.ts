// The answer pipeline over the real index, offline (no chat model): the events a client receives, the
// citations in the answer, follow-ups, refusals and invalid input.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { answerQuestion, type AnswerDependencies, type AnswerRequest } from '../../src/answer/answer-question.ts';
import { openIndex } from '../../src/compose.ts';
import { readConfig } from '../../src/config.ts';
import { HybridRetriever } from '../../src/retrieval/hybrid-search.ts';
import type { AnswerEvent, Source } from '../../src/types.ts';

const DATA_DIR = fileURLToPath(new URL('../../data', import.meta.url));
const INDEX_DIR = fileURLToPath(new URL('../../vectorstore', import.meta.url));

let deps: AnswerDependencies;

before(async () => {
  const index = await openIndex(readConfig({ DATA_DIR, INDEX_DIR }));
  deps = { index, retriever: new HybridRetriever(index) };
});

type EndEvent = Extract<AnswerEvent, { type: 'end' }>;

interface Run {
  events: AnswerEvent[];
  start: Extract<AnswerEvent, { type: 'start' }>;
  sources: Source[];
  deltas: string[];
  end: EndEvent;
}

async function collectEvents(request: AnswerRequest): Promise<AnswerEvent[]> {
  const events: AnswerEvent[] = [];
  for await (const event of answerQuestion(deps, request)) events.push(event);
  return events;
}

/** Runs a question that must be answered (no error), checking the order of its events on the way. */
async function ask(request: AnswerRequest): Promise<Run> {
  const events = await collectEvents(request);
  const types = events.map((event) => event.type);
  assert.deepEqual(types.slice(0, 2), ['start', 'sources'], `events: ${types.join(', ')}`);
  assert.equal(types.at(-1), 'end', `events: ${types.join(', ')}`);
  const middle = types.slice(2, -1);
  assert.ok(middle.length > 0 && middle.every((type) => type === 'text-delta'), `only text deltas between sources and end, got ${middle.join(', ')}`);
  const start = events[0] as Run['start'];
  const sources = (events[1] as Extract<AnswerEvent, { type: 'sources' }>).sources;
  const deltas = events.flatMap((event) => (event.type === 'text-delta' ? [event.text] : []));
  return { events, start, sources, deltas, end: events.at(-1) as EndEvent };
}

const markersOf = (text: string): number[] => [...text.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1]));
const squeeze = (text: string): string => text.replace(/\s+|\*\*/g, '');

const HUNAN_HISTORY = [
  { role: 'user' as const, content: '湖南省2024年的经济增长目标是多少？' },
  { role: 'assistant' as const, content: '根据《2024年湖南省政府工作报告》：今年经济社会发展主要预期目标是：地区生产总值增长6%左右 [1]。' },
];
const JIANGSU_HISTORY = [
  { role: 'user' as const, content: '江苏2024年GDP增长目标是多少？' },
  { role: 'assistant' as const, content: '根据《2024年江苏省政府工作报告》：今年经济社会发展主要预期目标是：地区生产总值增长5%以上 [1]。' },
];

describe('the events of an answer', () => {
  test('come as start → sources → text deltas → end, and the deltas make exactly the answer', async () => {
    const run = await ask({ question: '江苏2024年GDP增长目标是多少？' });
    assert.equal(run.start.mode, 'extractive');
    assert.deepEqual(run.start.regions, ['江苏省']);
    assert.equal(run.deltas.join(''), run.end.answer);
    assert.ok(run.end.answer.length > 0);
    assert.equal(run.end.mode, 'extractive');
    assert.equal(run.end.grounded, true);
  });

  test('sources are numbered 1…k in order and the requested k is honoured', async () => {
    const run = await ask({ question: '国家今年GDP增长目标定的是多少？', k: 3 });
    assert.deepEqual(
      run.sources.map((source) => source.n),
      [1, 2, 3],
    );
  });

  for (const request of [
    { question: '国家今年GDP增长目标定的是多少？' },
    { question: '江苏和浙江的GDP增长目标分别是多少？' },
    { question: 'How many new urban jobs were created nationwide in 2023?' },
    { question: '浙江2024年的重点工作有哪些？' },
    { question: '今年的粮食产量目标是多少？', region: 'Jiangsu' },
    { question: '新增就业呢？', history: HUNAN_HISTORY },
  ] satisfies AnswerRequest[]) {
    test(`every [n] names a source, and citations list the markers used: ${request.question}`, async () => {
      const run = await ask(request);
      const markers = markersOf(run.end.answer);
      assert.ok(markers.length > 0, `the answer cites nothing: ${run.end.answer}`);
      for (const n of markers) assert.ok(n >= 1 && n <= run.sources.length, `[${n}] with ${run.sources.length} sources in: ${run.end.answer}`);
      assert.deepEqual([...run.end.citations].sort((a, b) => a - b), [...new Set(markers)].sort((a, b) => a - b));
      assert.equal(run.deltas.join(''), run.end.answer);
    });
  }
});

describe('answers', () => {
  test('国家今年GDP增长目标 is answered with 国内生产总值增长5%左右, cited to the passage that says it', async () => {
    const run = await ask({ question: '国家今年GDP增长目标定的是多少？' });
    const line = run.end.answer.split('\n').find((candidate) => candidate.includes('国内生产总值增长5%左右'));
    assert.ok(line, run.end.answer);
    const cited = markersOf(line);
    assert.ok(cited.length > 0, line);
    for (const n of cited) assert.ok(squeeze(run.sources[n - 1]!.text).includes('国内生产总值增长5%左右'), `[${n}] does not hold the figure`);
    assert.deepEqual(run.start.regions, ['全国']);
  });

  test('a name the question quotes is searched as written: the one passage holding it is retrieved, with no region named', async () => {
    // Rare names jieba cuts into pieces every passage shares (人地钱, 新工体, 一园一方案).
    for (const name of ['人地钱', '新工体', '一园一方案']) {
      const result = await deps.retriever.retrieve({ question: `“${name}”是什么？`, k: 5 });
      assert.ok(result.passages.some((hit) => hit.passage.text.includes(`“${name}”`)), `${name}: ${result.passages.map((hit) => hit.passage.id).join(', ')}`);
    }
  });

  test('the region option scopes a question that names none', async () => {
    const run = await ask({ question: '今年的粮食产量目标是多少？', region: 'Jiangsu' });
    assert.deepEqual(run.start.regions, ['江苏省']);
    assert.ok(run.sources.length > 0);
    assert.ok(run.sources.every((source) => source.region === '江苏省'), run.sources.map((source) => source.region).join(', '));
  });

  test('the same question twice gives the same answer and sources', async () => {
    const first = await ask({ question: '江苏和浙江的GDP增长目标分别是多少？' });
    const second = await ask({ question: '江苏和浙江的GDP增长目标分别是多少？' });
    assert.equal(second.end.answer, first.end.answer);
    assert.deepEqual(second.end.citations, first.end.citations);
    assert.deepEqual(
      second.sources.map((source) => source.id),
      first.sources.map((source) => source.id),
    );
  });
});

describe('follow-ups', () => {
  test('新增就业呢？ after a question about 湖南 answers about 湖南省', async () => {
    const run = await ask({ question: '新增就业呢？', history: HUNAN_HISTORY });
    assert.deepEqual(run.start.regions, ['湖南省']);
    assert.ok(run.sources.every((source) => source.region === '湖南省'));
    assert.match(run.end.answer, /湖南省/);
    assert.match(run.end.answer, /城镇新增就业70万人/);
  });

  test('那广东呢？ after a question about 江苏 GDP answers with 广东’s GDP target', async () => {
    const run = await ask({ question: '那广东呢？', history: JIANGSU_HISTORY });
    assert.deepEqual(run.start.regions, ['广东省']);
    assert.ok(run.sources.every((source) => source.region === '广东省'));
    assert.match(run.end.answer, /广东省/);
    assert.match(run.end.answer, /地区生产总值增长5%/);
    assert.doesNotMatch(run.end.answer, /江苏/);
  });
});

describe('questions the reports cannot answer', () => {
  test('澳门 is not in the corpus: not grounded, says so, cites nothing and sends no sources', async () => {
    const run = await ask({ question: '澳门特别行政区2024年的施政目标是什么？' });
    assert.equal(run.end.grounded, false);
    assert.deepEqual(run.end.citations, []);
    assert.deepEqual(run.sources, []);
    assert.match(run.end.answer, /现有报告中未找到澳门特别行政区/);
    assert.deepEqual(markersOf(run.end.answer), []);
    assert.equal(run.deltas.join(''), run.end.answer);
  });

  test('a country beside China (全国和美国): China’s target cited, the US said to have no report, not every region listed', async () => {
    const run = await ask({ question: '全国和美国的GDP目标比较' });
    assert.match(run.end.answer, /国内生产总值增长5%左右 \[1\]/);
    assert.match(run.end.answer, /未找到美国的政府工作报告/);
    assert.doesNotMatch(run.end.answer, /江苏省|北京市/);
    const abroad = await ask({ question: '美国2024年GDP增长目标是多少？' });
    assert.equal(abroad.end.grounded, false);
    assert.deepEqual(abroad.sources, []);
    assert.match(abroad.end.answer, /没有美国的政府工作报告/);
  });

  test('this year’s target against last year’s outcome: both quoted from one report, with the verdict', async () => {
    const run = await ask({ question: '广东今年城镇新增就业目标比去年实际少多少？' });
    assert.match(run.end.answer, /2024年目标\/安排：城镇新增就业人数110万人以上 \[1\]/);
    assert.match(run.end.answer, /2023年：城镇新增就业139\.3万人 \[2\]/);
    assert.match(run.end.answer, /结论：2024年目标（110万人以上）低于2023年实际（139\.3万人） \[1\]\[2\]/);
    // As a follow-up, the topic comes from the question before.
    const first = await ask({ question: '全国今年城镇新增就业目标是多少？' });
    const follow = await ask({ question: '比去年实际多还是少？', history: [{ role: 'user', content: '全国今年城镇新增就业目标是多少？' }, { role: 'assistant', content: first.end.answer }] });
    assert.match(follow.end.answer, /结论：2024年目标（1200万人以上）低于2023年实际（1244万人）/);
  });

  test('English questions about the national finances and an amount the report lacks', async () => {
    const bonds = await ask({ question: 'What is the special-purpose local government bond quota for 2024?' });
    assert.match(bonds.end.answer, /3\.9 trillion yuan \(拟安排地方政府专项债券3\.9万亿元/);
    const treasury = await ask({ question: 'What is the size of the ultra-long special treasury bond issuance this year?' });
    assert.match(treasury.end.answer, /今年先发行1万亿元/);
    // 南通 gives only growth: an amount asked is refused, the growth offered as the closest.
    const nantong = await ask({ question: "How much is Nantong's GDP?" });
    assert.equal(nantong.end.grounded, false);
    assert.match(nantong.end.answer, /no total \(absolute amount\)/);
  });

  test('a count the report does not give (5G基站): refused naming the topic as asked, the 5G sentence the closest', async () => {
    const run = await ask({ question: '江苏今年新建5G基站多少个？' });
    assert.equal(run.end.grounded, false);
    assert.match(run.end.answer, /没有给出“5G基站”的数量/);
    assert.match(run.end.answer, /体系化推进5G、千兆光网规模部署/);
  });

  test('镇江 CPI: the report has none, so the answer is not grounded and cites nothing', async () => {
    const run = await ask({ question: '镇江2024年CPI涨幅目标是多少？' });
    assert.equal(run.end.grounded, false);
    assert.deepEqual(run.end.citations, []);
    assert.match(run.end.answer, /现有报告中未找到/);
  });
});

describe('invalid input and cancellation', () => {
  test('an unknown region option ends in a single error event with code invalid_input', async () => {
    const events = await collectEvents({ question: '今年GDP增长目标是多少？', region: '火星' });
    assert.equal(events.length, 1);
    const [event] = events;
    assert.equal(event?.type, 'error');
    assert.ok(event?.type === 'error');
    assert.equal(event.code, 'invalid_input');
    assert.match(event.message, /火星/);
  });

  test('an already-aborted signal ends in an error event with code cancelled, and no answer', async () => {
    const controller = new AbortController();
    controller.abort();
    const events = await collectEvents({ question: '江苏2024年GDP增长目标是多少？', signal: controller.signal });
    const last = events.at(-1);
    assert.ok(last?.type === 'error', `last event: ${last?.type}`);
    assert.equal(last.code, 'cancelled');
    assert.ok(!events.some((event) => event.type === 'end' || event.type === 'text-delta'));
  });
});
