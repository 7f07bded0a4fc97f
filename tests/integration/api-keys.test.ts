// API_KEYS: with keys set, /api, /v1, /mcp and Socket.IO refuse a missing or wrong key (each in its own
// error shape) and accept a right one; the page and /healthz stay open. Without keys everything is open,
// and listening beyond loopback without keys is warned about.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { io } from 'socket.io-client';
import { startServer, type RunningServer } from '../../src/main.ts';
import { ApiKeys, exposureWarning } from '../../src/server/api-keys.ts';
import { readConfig } from '../../src/config.ts';
import { TestClient } from '../helpers/socket-client.ts';

const DATA_DIR = fileURLToPath(new URL('../../data', import.meta.url));
const INDEX_DIR = fileURLToPath(new URL('../../vectorstore', import.meta.url));
const KEY = 'k-3f9a1c7e';
const OTHER_KEY = 'second-key';
const JIANGSU_GDP = '江苏2024年GDP增长目标是多少？';

function connectRaw(url: string, auth?: Record<string, string>): Promise<{ ok: boolean; message?: string; data?: unknown }> {
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, ...(auth ? { auth } : {}) });
  return new Promise((resolve) => {
    socket.once('connect', () => {
      socket.close();
      resolve({ ok: true });
    });
    socket.once('connect_error', (error: Error & { data?: unknown }) => {
      socket.close();
      resolve({ ok: false, message: error.message, data: error.data });
    });
  });
}

describe('API_KEYS set', () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer({ port: 0, host: '127.0.0.1', env: { RATE_LIMIT_PER_MINUTE: '0', DATA_DIR, INDEX_DIR, API_KEYS: ` ${KEY} , ${OTHER_KEY},` } });
    await server.ready;
  });
  after(async () => server?.close());

  test('/api refuses a missing or wrong key with 401 in the project’s error shape, and accepts either key', async () => {
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer wrong' }, { authorization: KEY }, { authorization: `Bearer ${KEY}x` }]) {
      const response = await fetch(`${server.url}/api/regions`, { headers });
      assert.equal(response.status, 401, JSON.stringify(headers));
      assert.equal(response.headers.get('www-authenticate'), 'Bearer');
      const body = (await response.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'unauthorized');
      assert.match(body.error.message, /Authorization: Bearer/);
    }
    for (const key of [KEY, OTHER_KEY]) assert.equal((await fetch(`${server.url}/api/regions`, { headers: { authorization: `Bearer ${key}` } })).status, 200);
    assert.equal((await fetch(`${server.url}/api/regions`, { headers: { 'x-api-key': KEY } })).status, 200);
  });

  test('/v1 with the openai client: a wrong key is an AuthenticationError, the right key answers', async () => {
    const wrong = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'wrong', maxRetries: 0 });
    await assert.rejects(wrong.chat.completions.create({ model: 'gov-report-assistant', messages: [{ role: 'user', content: JIANGSU_GDP }] }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.AuthenticationError, String(error));
      assert.equal(error.code, 'invalid_api_key');
      return true;
    });
    await assert.rejects(wrong.models.list(), OpenAI.AuthenticationError);
    const right = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: KEY, maxRetries: 0 });
    const completion = await right.chat.completions.create({ model: 'gov-report-assistant', messages: [{ role: 'user', content: JIANGSU_GDP }] });
    assert.match(completion.choices[0]?.message.content ?? '', /5%以上/);
  });

  test('/mcp: the SDK client cannot connect without the key and can with it', async () => {
    const refused = new Client({ name: 'keys-test', version: '1.0.0' });
    await assert.rejects(refused.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`))));
    const client = new Client({ name: 'keys-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${KEY}` } } }));
    assert.equal((await client.listTools()).tools.length, 5);
    await client.close();
  });

  test('Socket.IO: refused without a key (connect_error with a code), connects with auth.token or an Authorization header', async () => {
    const missing = await connectRaw(server.url);
    assert.equal(missing.ok, false);
    assert.equal(missing.message, 'unauthorized');
    assert.equal((missing.data as { code: string }).code, 'unauthorized');
    assert.equal((await connectRaw(server.url, { token: 'wrong' })).ok, false);
    assert.equal((await connectRaw(server.url, { token: KEY })).ok, true);
    const client = await TestClient.connect(server.url, { extraHeaders: { authorization: `Bearer ${OTHER_KEY}` } });
    try {
      const transcript = await client.askAndCollect({ question: JIANGSU_GDP });
      assert.equal(transcript.end?.grounded, true);
    } finally {
      client.close();
    }
  });

  test('/healthz and the page stay open (the page asks for the key)', async () => {
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    const page = await fetch(`${server.url}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
  });
});

describe('API_KEYS unset', () => {
  test('everything is open on loopback', async () => {
    const server = await startServer({ port: 0, host: '127.0.0.1', env: { RATE_LIMIT_PER_MINUTE: '0', DATA_DIR, INDEX_DIR } });
    try {
      await server.ready;
      assert.equal((await fetch(`${server.url}/api/regions`)).status, 200);
      assert.equal((await fetch(`${server.url}/v1/models`)).status, 200);
      assert.equal((await connectRaw(server.url)).ok, true);
    } finally {
      await server.close();
    }
  });

  test('listening beyond loopback without keys is warned about; loopback or keys are not', () => {
    const none = new ApiKeys([]);
    assert.match(exposureWarning('0.0.0.0', none) ?? '', /no API_KEYS set/);
    assert.match(exposureWarning('192.168.1.20', none) ?? '', /reachable from other machines/);
    assert.match(exposureWarning('::', none) ?? '', /no API_KEYS/);
    for (const host of ['127.0.0.1', '::1', '[::1]', 'localhost', '127.0.0.2']) assert.equal(exposureWarning(host, none), undefined, host);
    assert.equal(exposureWarning('0.0.0.0', new ApiKeys(['k'])), undefined);
  });

  test('API_KEYS is read as a comma-separated list, blanks dropped', () => {
    assert.deepEqual(readConfig({ API_KEYS: ' a, b ,,c ' }).apiKeys, ['a', 'b', 'c']);
    assert.deepEqual(readConfig({}).apiKeys, []);
  });
});
