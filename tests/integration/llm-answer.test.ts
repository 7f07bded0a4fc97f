// The model path of the answer pipeline against a real OpenAI-compatible HTTP server (the fake on
// 127.0.0.1): streamed answers checked sentence by sentence, and the extractive fallback on every kind
// of model failure. The index is the real one; nothing is mocked.
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { answerQuestion, collectAnswer, type AnswerDependencies, type AnswerRequest } from '../../src/answer/answer-question.ts';
import { LlmAnswerer } from '../../src/answer/llm-answerer.ts';
import { openIndex } from '../../src/compose.ts';
import { readConfig } from '../../src/config.ts';
import type { PassageIndex } from '../../src/index/passage-index.ts';
import { HybridRetriever } from '../../src/retrieval/hybrid-search.ts';
import type { AnswerEvent, Source } from '../../src/types.ts';
import { startFakeOpenAI, type FakeChatMessage, type FakeOpenAI, type FakeRequestBody } from '../helpers/fake-openai-server.ts';

const DATA_DIR = fileURLToPath(new URL('../../data', import.meta.url));
const INDEX_DIR = fileURLToPath(new URL('../../vectorstore', import.meta.url));

const QUESTION = '江苏2024年GDP增长目标是多少？';

let index: PassageIndex;
let retriever: HybridRetriever;
let fake: FakeOpenAI;

before(async () => {
  index = await openIndex(readConfig({ DATA_DIR, INDEX_DIR }));
  retriever = new HybridRetriever(index);
});

beforeEach(async () => {
  fake = await startFakeOpenAI();
});

afterEach(async () => {
  await fake.close();
  assert.equal(fake.openConnections(), 0, 'sockets to the model endpoint are left open');
});

// Deadlines and sockets that outlive an answer would keep this file from exiting by itself.
after(async () => {
  await nextTurn();
  const keepingAlive = process.getActiveResourcesInfo().filter((resource) => /Timeout|TCP/.test(resource));
  assert.deepEqual(keepingAlive, [], `still active after every answer ended: ${keepingAlive.join(', ')}`);
});

function withModel(timeouts: { timeoutMs?: number; firstTokenTimeoutMs?: number } = {}): AnswerDependencies {
  const llm = new LlmAnswerer({ model: 'fake', baseURL: fake.url, apiKey: 'test', timeoutMs: timeouts.timeoutMs ?? 3000, firstTokenTimeoutMs: timeouts.firstTokenTimeoutMs ?? 800 });
  return { index, retriever, llm };
}

const offline = (): AnswerDependencies => ({ index, retriever });

function textOf(message: FakeChatMessage | undefined): string {
  const content = message?.content;
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => part.text ?? '').join('');
  return '';
}

/** The numbered sources of the system prompt (`[n] title｜section\ntext`), n → text. */
function promptSources(body: FakeRequestBody): Map<number, string> {
  const system = textOf(body.messages?.find((message) => message.role === 'system'));
  const listed = system.slice(system.indexOf('Sources:'));
  const headers = [...listed.matchAll(/^\[(\d+)\] [^\n]*｜[^\n]*\n/gm)];
  const sources = new Map<number, string>();
  headers.forEach((header, position) => {
    const from = header.index + header[0].length;
    const to = headers[position + 1]?.index ?? listed.length;
    sources.set(Number(header[1]), listed.slice(from, to).trim());
  });
  return sources;
}

/** The first sentence of a source that states a figure, without its full stop. */
/** The first source from `n` on whose text states a figure, with that sentence. */
function nextFigure(body: FakeRequestBody, n: number): { n: number; sentence: string } {
  for (let at = n; at <= 10; at++) {
    try {
      return { n: at, sentence: figureSentence(body, at) };
    } catch {
      // this source states no figure: the next one
    }
  }
  throw new Error(`no source from [${n}] on states a figure`);
}

function figureSentence(body: FakeRequestBody, n: number): string {
  const text = promptSources(body).get(n);
  if (text === undefined) throw new Error(`the prompt has no source [${n}]`);
  const sentence = text
    .split(/(?<=[。；！？])/)
    .map((piece) => piece.trim())
    .find((piece) => /\d/.test(piece.replace(/202[34]/g, '')));
  if (!sentence) throw new Error(`source [${n}] states no figure`);
  return sentence.replace(/[。；！？]$/, '');
}

interface Run {
  events: AnswerEvent[];
  sources: Source[];
  deltas: string[];
  notices: Extract<AnswerEvent, { type: 'notice' }>[];
  end: Extract<AnswerEvent, { type: 'end' }>;
  elapsedMs: number;
}

async function ask(deps: AnswerDependencies, request: AnswerRequest): Promise<Run> {
  const started = performance.now();
  const events: AnswerEvent[] = [];
  for await (const event of answerQuestion(deps, request)) events.push(event);
  const elapsedMs = performance.now() - started;
  const types = events.map((event) => event.type);
  assert.deepEqual(types.slice(0, 2), ['start', 'sources'], `events: ${types.join(', ')}`);
  const end = events.at(-1);
  assert.ok(end?.type === 'end', `the last event is ${end?.type}, not end`);
  const sources = events.flatMap((event) => (event.type === 'sources' ? event.sources : []));
  const deltas = events.flatMap((event) => (event.type === 'text-delta' ? [event.text] : []));
  const notices = events.flatMap((event) => (event.type === 'notice' ? [event] : []));
  assert.equal(deltas.join(''), end.answer, 'the deltas do not make the answer');
  return { events, sources, deltas, notices, end, elapsedMs };
}

const markersOf = (text: string): number[] => [...text.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1]));

/** The model failed: one model_fallback notice, the offline answer, still cited. */
async function assertFallsBack(run: Run, reason: RegExp): Promise<void> {
  assert.equal(run.notices.length, 1, JSON.stringify(run.notices));
  assert.equal(run.notices[0]!.code, 'model_fallback');
  assert.match(run.notices[0]!.message, reason);
  assert.equal(run.end.mode, 'extractive');
  assert.equal(run.end.grounded, true);
  const extractive = await collectAnswer(offline(), { question: QUESTION });
  assert.equal(run.end.answer, extractive.answer);
  assert.deepEqual(run.end.citations, extractive.citations);
  assert.ok(run.end.citations.length > 0, run.end.answer);
  for (const n of markersOf(run.end.answer)) assert.ok(n >= 1 && n <= run.sources.length);
}

describe('a model that answers', () => {
  test('streams its checked answer: mode llm, deltas make the answer, cited to the source it quotes', async () => {
    fake.setScenario({ reply: (body) => `${figureSentence(body, 1)} [1]。` });
    const run = await ask(withModel(), { question: QUESTION });
    assert.equal(run.end.mode, 'llm');
    assert.equal(run.end.grounded, true);
    assert.deepEqual(run.end.citations, [1]);
    assert.deepEqual(run.end.flagged, []);
    assert.deepEqual(run.notices, []);
    assert.match(run.end.answer, /地区生产总值增长5%以上/);
    assert.ok(run.end.answer.endsWith(' [1]。'), run.end.answer);
  });

  test('the request streams, and its system prompt holds every source with its number, title and section', async () => {
    fake.setScenario({ reply: (body) => `${figureSentence(body, 1)} [1]。` });
    const run = await ask(withModel(), { question: QUESTION });
    const chats = fake.requests.filter((request) => request.path === '/v1/chat/completions');
    assert.equal(chats.length, 1);
    const body = chats[0]!.body;
    assert.equal(body?.stream, true);
    const system = textOf(body?.messages?.find((message) => message.role === 'system'));
    assert.ok(run.sources.length > 0);
    for (const source of run.sources) assert.ok(system.includes(`[${source.n}] ${source.title}｜${source.section}\n${source.text}`), `source [${source.n}] is missing from the prompt`);
    assert.equal(textOf(body?.messages?.find((message) => message.role === 'user')), QUESTION);
  });

  test('a two-sentence answer arrives as one delta per sentence', async () => {
    let second = 2;
    fake.setScenario({
      reply: (body) => {
        const next = nextFigure(body, 2);
        second = next.n;
        return `${figureSentence(body, 1)} [1]。${next.sentence} [${next.n}]。`;
      },
      chunkSizes: [3],
    });
    const run = await ask(withModel(), { question: QUESTION });
    assert.equal(run.end.mode, 'llm');
    assert.equal(run.deltas.length, 2, JSON.stringify(run.deltas));
    assert.ok(run.deltas[0]!.endsWith(' [1]。'));
    assert.ok(run.deltas[1]!.endsWith(` [${second}]。`));
    assert.deepEqual(run.end.citations, [1, second]);
  });

  test('a marker naming a source that does not exist is removed', async () => {
    fake.setScenario({ reply: (body) => `${figureSentence(body, 1)} [1][9]。` });
    const run = await ask(withModel(), { question: QUESTION });
    assert.equal(run.end.mode, 'llm');
    assert.doesNotMatch(run.end.answer, /\[9\]/);
    assert.deepEqual(run.end.citations, [1]);
    assert.ok(run.end.answer.endsWith(' [1]。'), run.end.answer);
  });

  test('a sentence with a figure no source holds is dropped and reported in flagged', async () => {
    const invented = '江苏地区生产总值将达到13.99万亿元 [1]。';
    fake.setScenario({ reply: (body) => `${figureSentence(body, 1)} [1]。${invented}` });
    const run = await ask(withModel(), { question: QUESTION });
    assert.equal(run.end.mode, 'llm');
    assert.doesNotMatch(run.end.answer, /13\.99/);
    assert.match(run.end.answer, /地区生产总值增长5%以上/);
    assert.deepEqual(run.end.flagged, [{ sentence: invented, numbers: ['13.99'] }]);
    assert.ok(!run.deltas.some((delta) => delta.includes('13.99')), 'the invented figure was streamed to the client');
  });
});

describe('streamed text that splits awkwardly', () => {
  test('a marker after the full stop that arrives in pieces stays with its sentence', async () => {
    fake.setScenario({
      reply: (body) => `${figureSentence(body, 1)}。[1]${figureSentence(body, 1)}。[1]`,
      chunkSizes: [1],
    });
    const run = await ask(withModel(), { question: QUESTION });
    assert.equal(run.end.mode, 'llm');
    assert.deepEqual(run.end.flagged, [], JSON.stringify(run.end.flagged));
    assert.equal(run.end.answer.match(/\[1\]/g)?.length, 2, run.end.answer);
    assert.ok(!run.end.answer.startsWith('['), run.end.answer);
  });

  test('list items keep the line breaks between them', async () => {
    fake.setScenario({ reply: (body) => `根据报告：\n- ${figureSentence(body, 1)} [1]。\n- ${figureSentence(body, 1)} [1]。`, chunkSizes: [1, 2, 3] });
    const run = await ask(withModel(), { question: QUESTION });
    assert.equal(run.end.answer.split('\n').length, 3, run.end.answer);
    assert.match(run.end.answer, /\n- /);
  });
});

describe('a model that fails falls back to the extractive answer', () => {
  test('HTTP 500', async () => {
    fake.setScenario({ mode: 'http-500' });
    await assertFallsBack(await ask(withModel(), { question: QUESTION }), /HTTP 500/);
  });

  test('HTTP 429', async () => {
    fake.setScenario({ mode: 'http-429' });
    await assertFallsBack(await ask(withModel(), { question: QUESTION }), /429/);
  });

  test('a malformed stream', async () => {
    fake.setScenario({ mode: 'garbage' });
    await assertFallsBack(await ask(withModel(), { question: QUESTION }), /malformed/);
  });

  test('a model that never answers falls back at its 300 ms first-token deadline, long before the 3 s answer deadline', async () => {
    fake.setScenario({ mode: 'hang' });
    const run = await ask(withModel({ firstTokenTimeoutMs: 300 }), { question: QUESTION });
    await assertFallsBack(run, /no first token within 300 ms/);
    assert.ok(run.elapsedMs >= 300, `fell back after ${run.elapsedMs} ms, before the deadline`);
    assert.ok(run.elapsedMs < 2500, `fell back after ${Math.round(run.elapsedMs)} ms, as late as the answer deadline`);
  });

  test('a model that stalls after its first tokens is cut off by the stall deadline', async () => {
    fake.setScenario({ reply: (body) => `${figureSentence(body, 1)} [1]。`, chunkDelayMs: 2000, chunkSizes: [4] });
    const run = await ask(withModel({ firstTokenTimeoutMs: 300 }), { question: QUESTION });
    assert.equal(run.notices[0]?.code, 'model_fallback');
    assert.match(run.notices[0]!.message, /stalled/);
    assert.equal(run.end.mode, 'extractive');
    assert.ok(run.elapsedMs < 2000, `fell back after ${Math.round(run.elapsedMs)} ms, not at the 300 ms stall deadline before the 2 s chunk`);
  });

  test('a stream cut mid-answer: the sentence already sent stays, then a notice, then the extractive answer', async () => {
    const first = '今年经济社会发展主要预期目标是：地区生产总值增长5%以上 [1]。';
    const second = '一般公共预算收入增长4%左右 [1]。';
    // Chunks of 4 characters; the cut comes two chunks into the second sentence.
    fake.setScenario({ mode: 'cut-stream', reply: () => first + second, chunkSizes: [4], cutAfterChunks: Math.ceil(Array.from(first).length / 4) + 2 });
    const run = await ask(withModel(), { question: QUESTION });
    const types = run.events.map((event) => event.type);
    assert.equal(run.deltas[0], first, 'the first sentence was not streamed before the cut');
    assert.ok(types.indexOf('notice') > types.indexOf('text-delta'), types.join(', '));
    assert.equal(run.notices[0]?.code, 'model_fallback');
    assert.match(run.notices[0]!.message, /cut off/);
    assert.equal(run.end.mode, 'extractive');
    assert.doesNotMatch(run.end.answer, /一般公共预算收入增长4%左右/);
    const extractive = await collectAnswer(offline(), { question: QUESTION });
    assert.equal(run.end.answer, `${first}\n\n${extractive.answer}`);
    assert.ok(run.end.citations.length > 0);
  });
});

describe('follow-ups with a model', () => {
  const history = [
    { role: 'user' as const, content: '湖南省2024年的经济增长目标是多少？' },
    { role: 'assistant' as const, content: '根据《2024年湖南省政府工作报告》：今年经济社会发展主要预期目标是：地区生产总值增长6%左右 [1]。' },
  ];
  const standalone = '湖南省2024年城镇新增就业目标是多少？';

  test('the follow-up is condensed with the history in a non-streamed request, then answered', async () => {
    fake.setScenario({ reply: (body) => (body.stream === true ? `${figureSentence(body, 1)} [1]。` : standalone) });
    const run = await ask(withModel(), { question: '新增就业呢？', history });
    const chats = fake.requests.filter((request) => request.path === '/v1/chat/completions');
    assert.equal(chats.length, 2);
    const [condense, answer] = chats;
    assert.notEqual(condense!.body?.stream, true);
    const prompt = (condense!.body?.messages ?? []).map(textOf).join('\n');
    assert.match(prompt, /User: 湖南省2024年的经济增长目标是多少？/);
    assert.match(prompt, /Assistant: 根据《2024年湖南省政府工作报告》/);
    assert.match(prompt, /新增就业呢？/);
    assert.equal(answer!.body?.stream, true);
    assert.equal(textOf(answer!.body?.messages?.find((message) => message.role === 'user')), standalone);

    const start = run.events[0];
    assert.ok(start?.type === 'start');
    assert.equal(start.query, standalone);
    assert.deepEqual(start.regions, ['湖南省']);
    assert.ok(run.sources.every((source) => source.region === '湖南省'));
    assert.equal(run.end.mode, 'llm');
  });

  test('when condensing fails, the follow-up is rewritten offline and still answered about 湖南省', async () => {
    fake.setScenario({ mode: 'http-500', failTimes: 1, reply: (body) => `${figureSentence(body, 1)} [1]。` });
    const run = await ask(withModel(), { question: '新增就业呢？', history });
    assert.deepEqual(
      run.notices.map((notice) => notice.code),
      ['condense_failed'],
    );
    const start = run.events[0];
    assert.ok(start?.type === 'start');
    assert.deepEqual(start.regions, ['湖南省']);
    assert.equal(run.end.mode, 'llm');
  });
});
