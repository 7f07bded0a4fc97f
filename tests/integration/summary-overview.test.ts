// A region's priorities with a chat model: the offline summary stays, and the model's overview (written
// with prompts/summarize.txt against a real OpenAI-compatible server) is checked like any answer.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { Assistant } from '../../src/assistant.ts';
import { LlmAnswerer } from '../../src/answer/llm-answerer.ts';
import { openIndex } from '../../src/compose.ts';
import { readConfig } from '../../src/config.ts';
import type { PassageIndex } from '../../src/index/passage-index.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai-server.ts';

const DATA_DIR = fileURLToPath(new URL('../../data', import.meta.url));
const INDEX_DIR = fileURLToPath(new URL('../../vectorstore', import.meta.url));

let index: PassageIndex;
let fake: FakeOpenAI;
let assistant: Assistant;

before(async () => {
  index = await openIndex(readConfig({ DATA_DIR, INDEX_DIR }));
  fake = await startFakeOpenAI();
  assistant = new Assistant(index, new LlmAnswerer({ model: 'fake', baseURL: fake.url, apiKey: 'test', timeoutMs: 3000, firstTokenTimeoutMs: 1000 }));
});

after(async () => {
  await fake.close();
});

test('the overview keeps cited sentences, drops an invented figure, and the offline summary is unchanged', async () => {
  fake.setScenario({ mode: 'ok', reply: () => '江苏提出地区生产总值增长5%以上 [1]。江苏今年将新增高速公路999公里 [1]。' });
  const offline = await new Assistant(index).summary('江苏');
  const summary = await assistant.summary('Jiangsu');
  assert.deepEqual(summary.tasks, offline.tasks);
  assert.equal(summary.overview?.text, '江苏提出地区生产总值增长5%以上 [1]。');
  assert.deepEqual(summary.overview?.citations, [1]);
  assert.deepEqual(summary.overview?.flagged.map((flag) => flag.numbers), [['999']]);
  const request = fake.requests.at(-1)!;
  const system = String(request.body?.messages?.[0]?.content ?? '');
  assert.match(system, /江苏省/);
  assert.match(system, /\[1\] 2024年江苏省政府工作报告/, 'the summarize prompt carries the numbered sources');
});

test('when the model fails, the summary still comes back with a notice and no overview', async () => {
  fake.setScenario({ mode: 'http-500' });
  const summary = await assistant.summary('四川');
  assert.equal(summary.overview, undefined);
  assert.match(summary.notice ?? '', /HTTP 500/);
  assert.ok(summary.tasks.length > 0);
});
