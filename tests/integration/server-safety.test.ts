// Serving safely (issue 10), against real servers on port 0 with real socket.io-client connections: the
// Host check, JSON-only bodies, long searches, headers over the limit, static files only from the built
// page, caps per client address, and a shutdown that ends every answer in flight and every connection.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { connect as connectTcp, type Socket as TcpSocket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, type RunningServer } from '../../src/main.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai-server.ts';
import { TestClient } from '../helpers/socket-client.ts';

const DATA_DIR = fileURLToPath(new URL('../../data', import.meta.url));
const INDEX_DIR = fileURLToPath(new URL('../../vectorstore', import.meta.url));
const JIANGSU_GDP = '江苏2024年GDP增长目标是多少？';

async function startTestServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const server = await startServer({ port: 0, host: '127.0.0.1', env: { RATE_LIMIT_PER_MINUTE: '0', DATA_DIR, INDEX_DIR, ...env } });
  await server.ready;
  return server;
}

/** A request with any Host header (fetch does not let a caller set it). */
function send(url: string, options: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: target.hostname, port: target.port, method: options.method ?? 'GET', path: options.path, headers: { ...(options.body !== undefined ? { 'content-length': String(Buffer.byteLength(options.body)) } : {}), ...options.headers } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

const errorCode = (body: string): string | undefined => (JSON.parse(body) as { error?: { code?: string } }).error?.code;

describe('requests', { timeout: 60_000 }, () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server?.close();
  });

  test('a Host outside ALLOWED_HOSTS gets 403 host_not_allowed on the API, the page and Socket.IO (not /healthz); loopback names are served', async () => {
    const port = new URL(server.url).port;
    for (const requestPath of ['/api/regions', '/', '/index.html']) {
      const refused = await send(server.url, { path: requestPath, headers: { host: `rebound.example:${port}` } });
      assert.equal(refused.status, 403, requestPath);
      assert.equal(errorCode(refused.body), 'host_not_allowed');
      assert.match(refused.body, /ALLOWED_HOSTS/);
    }
    assert.equal((await send(server.url, { path: '/healthz', headers: { host: '10.0.0.7:3000' } })).status, 200, '/healthz answers any Host (load balancers probe by IP)');
    const socketHandshake = await send(server.url, { path: '/socket.io/?EIO=4&transport=polling', headers: { host: 'rebound.example' } });
    assert.equal(socketHandshake.status, 403);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `LOCALHOST:${port}`]) assert.equal((await send(server.url, { path: '/api/regions', headers: { host } })).status, 200, host);
  });

  test('a body that is not JSON (text/plain from a foreign page, or no type) gets 415; JSON is answered', async () => {
    const body = JSON.stringify({ question: JIANGSU_GDP });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', undefined]) {
      const refused = await send(server.url, { method: 'POST', path: '/api/ask', headers: type ? { 'content-type': type } : {}, body });
      assert.equal(refused.status, 415, String(type));
      assert.equal(errorCode(refused.body), 'unsupported_media_type');
    }
    const answered = await send(server.url, { method: 'POST', path: '/api/ask', headers: { 'content-type': 'application/json; charset=utf-8' }, body });
    assert.equal(answered.status, 200);
  });

  test('a search of the contract’s 2,000 Chinese characters works by GET and by POST; longer headers get a JSON 431', async () => {
    const query = '江苏省推进新型工业化'.repeat(200);
    const viaGet = await send(server.url, { path: `/api/search?q=${encodeURIComponent(query)}&k=3` });
    assert.equal(viaGet.status, 200);
    const viaPost = await send(server.url, { method: 'POST', path: '/api/search', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ q: query, region: '江苏', k: 3 }) });
    assert.equal(viaPost.status, 200);
    const { sources } = JSON.parse(viaPost.body) as { sources: { region: string }[] };
    assert.ok(sources.length > 0 && sources.every((source) => source.region === '江苏省'), 'POST /api/search honours region');
    const tooLong = await send(server.url, { path: `/api/search?q=${encodeURIComponent('江'.repeat(5000))}` });
    assert.equal(tooLong.status, 431);
    assert.equal(errorCode(tooLong.body), 'headers_too_large');
    assert.match(tooLong.body, /POST \/api\/search/);
  });

  test('over plain HTTP the CSP has no upgrade-insecure-requests and there is no HSTS (the page works under any allowed host name)', async () => {
    const page = await send(server.url, { path: '/' });
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
    assert.doesNotMatch(String(page.headers['content-security-policy']), /upgrade-insecure-requests/);
    assert.equal(page.headers['strict-transport-security'], undefined);
  });

  test('only the built page is served: no spelling of /src, nor the project’s files', async () => {
    for (const sourcePath of ['/src/main.ts', '//src/main.ts', '/%73rc/main.ts', '/src%2fmain.ts', '/src/../src/main.ts', '/ui/src/main.ts', '/package.json', '/README.md', '/../package.json']) {
      const response = await send(server.url, { path: sourcePath });
      assert.equal(response.status, 404, sourcePath);
      assert.doesNotMatch(response.body, /\bimport\b/, sourcePath);
    }
    const page = await send(server.url, { path: '/' });
    assert.match(page.body, /<form id="composer"[^>]*method="dialog"/, 'the form cannot submit natively');
    assert.equal((await send(server.url, { path: '/dist/app.js' })).status, 200);
    assert.equal((await send(server.url, { path: '/styles.css' })).status, 200);
  });
});

describe('a client that does not read', { timeout: 60_000 }, () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer({ MAX_IN_FLIGHT_PER_SOCKET: '2' });
  });
  after(async () => {
    await server?.close();
  });

  test('answers not yet fetched by a polling client count as in flight: the third ask is refused until it reads', async () => {
    const handshake = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`);
    const { sid } = JSON.parse((await handshake.text()).slice(1)) as { sid: string };
    const session = `${server.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`;
    const post = (body: string) => fetch(session, { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8' }, body }).then((response) => response.text());
    await post('40');
    // Asks with acknowledgement ids 1..4, one POST each, with pauses so that every answer is computed before the next ask.
    for (let ack = 1; ack <= 4; ack++) {
      await post(`42${ack}${JSON.stringify(['ask', { question: JIANGSU_GDP }])}`);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    const packets = (await (await fetch(session)).text()).split('\x1e');
    const acks = packets.filter((packet) => /^43\d/.test(packet)).map((packet) => JSON.parse(packet.replace(/^43\d+/, '')) as [{ ok: boolean; error?: { code: string } }]);
    assert.deepEqual(
      acks.map(([ack]) => (ack.ok ? 'ok' : ack.error?.code)),
      ['ok', 'ok', 'rate_limited', 'rate_limited'],
    );
    assert.equal(packets.filter((packet) => packet.startsWith('42["answer:end"')).length, 2, 'the two accepted answers were waiting, whole');
    // Now that it has read them, it may ask again.
    await post(`425${JSON.stringify(['ask', { question: JIANGSU_GDP }])}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const later = (await (await fetch(session)).text()).split('\x1e').find((packet) => packet.startsWith('435'));
    assert.match(String(later), /"ok":true/);
  });
});

describe('caps per client address', { timeout: 60_000 }, () => {
  let server: RunningServer;
  const clients: TestClient[] = [];
  const sockets: TcpSocket[] = [];
  before(async () => {
    server = await startTestServer({ MAX_SESSIONS_PER_ADDRESS: '2', MAX_CONNECTIONS_PER_ADDRESS: '6' });
  });
  after(async () => {
    for (const client of clients) client.close();
    for (const socket of sockets) socket.destroy();
    await server?.close();
  });

  test('a third Socket.IO session from one address is refused; closing one lets a new one in', async () => {
    clients.push(await TestClient.connect(server.url), await TestClient.connect(server.url));
    await assert.rejects(TestClient.connect(server.url, { timeoutMs: 3000 }), /websocket error|too many sessions/i);
    clients.shift()!.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const replacement = await TestClient.connect(server.url);
    clients.push(replacement);
    assert.ok((await replacement.askAndCollect({ question: JIANGSU_GDP })).end);
  });

  test('TCP connections beyond the cap are closed at once', async () => {
    for (const client of clients) client.close();
    clients.length = 0;
    await new Promise((resolve) => setTimeout(resolve, 200));
    const port = Number(new URL(server.url).port);
    const outcomes = await Promise.all(
      Array.from(
        { length: 9 },
        () =>
          new Promise<'open' | 'closed'>((resolve) => {
            const socket = connectTcp(port, '127.0.0.1');
            sockets.push(socket);
            const timer = setTimeout(() => resolve('open'), 500);
            socket.on('close', () => {
              clearTimeout(timer);
              resolve('closed');
            });
            socket.on('error', () => {});
          }),
      ),
    );
    assert.equal(outcomes.filter((outcome) => outcome === 'open').length, 6);
  });
});

describe('shutdown', { timeout: 60_000 }, () => {
  let fake: FakeOpenAI;
  before(async () => {
    fake = await startFakeOpenAI({ recordRequests: false });
  });
  after(async () => {
    await fake?.close();
  });

  test('close() with answers hung on the model and a slow upload open: each answer ends with answer:error shutting_down, and it returns within the grace period', async () => {
    fake.setScenario({ mode: 'hang' });
    const server = await startTestServer({ CHAT_MODEL: 'fake-gpt', OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'test', LLM_FIRST_TOKEN_TIMEOUT_MS: '30000', LLM_TIMEOUT_MS: '60000' });
    const client = await TestClient.connect(server.url);
    const acks = await Promise.all([client.ask({ question: JIANGSU_GDP }), client.ask({ question: '苏州今年城镇新增就业目标是多少？' })]);
    const ids = acks.map((ack) => (ack.ok ? ack.id : assert.fail('ask refused')));
    // A request whose body never finishes arriving.
    const port = Number(new URL(server.url).port);
    const upload = connectTcp(port, '127.0.0.1');
    upload.on('error', () => {});
    const uploadClosed = new Promise<void>((resolve) => upload.on('close', () => resolve()));
    upload.write(`POST /api/ask HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n{"question":"`);
    await new Promise((resolve) => setTimeout(resolve, 300));

    const started = performance.now();
    await server.close({ graceMs: 500 });
    const closedAfterMs = performance.now() - started;
    assert.ok(closedAfterMs < 3000, `close() took ${closedAfterMs.toFixed(0)} ms`);
    for (const id of ids) {
      const answer = client.transcript(id);
      assert.equal(answer.error?.code, 'shutting_down', `answer ${id} ended with ${answer.error?.code ?? (answer.end ? 'answer:end' : 'nothing')}`);
    }
    await uploadClosed;
    assert.equal(await client.disconnected(2000), 'io server disconnect');
    client.close();
  });
});

describe('an index that must be built where it cannot be written', () => {
  test('stops at once with a message naming INDEX_DIR and what to do (no build, no raw error)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'unwritable-'));
    try {
      // A file where a folder is needed: unwritable for any user, root included.
      await writeFile(path.join(dir, 'taken'), 'not a folder');
      const started = performance.now();
      const server = await startServer({ port: 0, host: '127.0.0.1', env: { DATA_DIR, INDEX_DIR: path.join(dir, 'taken', 'index') } });
      await assert.rejects(server.ready, (error: Error) => /INDEX_DIR/.test(error.message) && /writable/.test(error.message) && !/^EACCES|ENOTDIR/.test(error.message));
      assert.ok(performance.now() - started < 5000, 'no index build was attempted');
      await server.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
