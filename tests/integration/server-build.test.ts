// The server `npm start` runs: src/main.ts bundled into dist/server/ (scripts/build-server.mjs) and run by
// plain node, without the TypeScript loader the tests use. It must find what the sources find relative to
// themselves (the page in ui/site/, the prompts), load its lazy chunks (the chat model's client), answer,
// and stop cleanly on SIGTERM.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai-server.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REPLY = '江苏省2024年地区生产总值预期增长5%以上 [1]。';

describe('the built server (npm start)', { timeout: 120_000 }, () => {
  let model: FakeOpenAI;
  let child: ChildProcess;
  let url: string;
  let output = '';

  before(async () => {
    execFileSync(process.execPath, ['scripts/build-ui.mjs'], { cwd: ROOT, stdio: 'ignore' });
    execFileSync(process.execPath, ['scripts/build-server.mjs'], { cwd: ROOT, stdio: 'inherit' });
    model = await startFakeOpenAI({ reply: () => REPLY, recordRequests: false });
    child = spawn(process.execPath, ['dist/server/main.js'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, PORT: '0', RATE_LIMIT_PER_MINUTE: '0', CHAT_MODEL: 'fake', OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'test' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not ready within 90 s:\n${output}`)), 90_000);
      child.stderr!.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const listening = /Listening on (http:\/\/\S+)/.exec(output);
        if (listening && /Ready:/.test(output)) {
          clearTimeout(timer);
          resolve(listening[1]!);
        }
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
    });
  });
  after(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await model?.close();
  });

  test('serves the page and answers with the chat model, its prompt read from prompts/', async () => {
    const page = await fetch(`${url}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<html/i);
    const response = await fetch(`${url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: '江苏2024年GDP增长目标是多少？' }) });
    const body = (await response.json()) as { mode: string; answer: string; sources: { region: string }[] };
    assert.equal(response.status, 200);
    assert.equal(body.mode, 'llm');
    assert.match(body.answer, /5%以上/);
    assert.equal(body.sources[0]?.region, '江苏省');
    const health = (await (await fetch(`${url}/healthz`)).json()) as { ready: boolean; shared: { store: string } };
    assert.deepEqual([health.ready, health.shared.store], [true, 'memory']);
  });

  test('stops on SIGTERM with exit code 0', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.match(output, /Stopped\./);
  });
});
