// The HTTP API against a real server on port 0 (extractive mode): every route of the contract, every bad
// input, body limits, security headers, CORS, rate limiting, start-up configuration and the not-ready
// state. The index is the real one built from data/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, type RunningServer } from '../../src/main.ts';
import type { Source } from '../../src/types.ts';
import { TestClient } from '../helpers/socket-client.ts';

const DATA_DIR = fileURLToPath(new URL('../../data', import.meta.url));
const INDEX_DIR = fileURLToPath(new URL('../../vectorstore', import.meta.url));

const JIANGSU_GDP = '江苏2024年GDP增长目标是多少？';
const MACAU = '澳门特别行政区2024年的施政目标是什么？';

interface ErrorBody {
  error: { code: string; message: string };
}

interface AskResponse {
  answer: string;
  mode: string;
  grounded: boolean;
  regions: string[];
  sources: Source[];
  citations: number[];
}

async function startTestServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const server = await startServer({ port: 0, host: '127.0.0.1', env: { RATE_LIMIT_PER_MINUTE: '0', DATA_DIR, INDEX_DIR, ...env } });
  await server.ready;
  return server;
}

/** Reads a JSON response, failing when it is not JSON (nothing may come back as HTML). */
async function readJson<T>(response: Response): Promise<T> {
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/, `${response.url} answered ${response.headers.get('content-type')}`);
  return (await response.json()) as T;
}

/** Asserts the error shape of the contract and returns it. */
async function expectError(response: Response, status: number, code: string): Promise<ErrorBody['error']> {
  const body = await readJson<ErrorBody>(response);
  assert.equal(response.status, status, `expected ${status} ${code}, got ${response.status} ${JSON.stringify(body)}`);
  assert.deepEqual(Object.keys(body), ['error']);
  assert.deepEqual(Object.keys(body.error).sort(), ['code', 'message']);
  assert.equal(body.error.code, code);
  assert.ok(body.error.message.length > 10, 'the message says what went wrong');
  return body.error;
}

function assertSourceShape(source: Source): void {
  // The contract's fields, plus `quotes` (the quoted spans) on sources the answer quotes from.
  assert.deepEqual(Object.keys(source).filter((key) => key !== 'quotes').sort(), ['id', 'n', 'region', 'score', 'section', 'text', 'title']);
  for (const quote of source.quotes ?? []) assert.ok(quote.start >= 0 && quote.end <= source.text.length && quote.start < quote.end, 'a quoted span lies inside the passage');
  assert.ok(Number.isInteger(source.n) && source.n >= 1);
  assert.equal(typeof source.id, 'string');
  assert.equal(typeof source.title, 'string');
  assert.equal(typeof source.section, 'string');
  assert.ok(source.text.length > 0);
  assert.equal(typeof source.score, 'number');
}

describe('HTTP API', { timeout: 60_000 }, () => {
  let server: RunningServer;
  const post = (path: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<Response> =>
    fetch(`${server.url}${path}`, { method: 'POST', headers, body });
  const ask = (payload: unknown): Promise<Response> => post('/api/ask', JSON.stringify(payload));
  const get = (path: string, headers: Record<string, string> = {}): Promise<Response> => fetch(`${server.url}${path}`, { headers });

  before(async () => {
    server = await startTestServer();
  });

  after(async () => {
    await server?.close();
  });

  describe('POST /api/ask', () => {
    test('answers a Jiangsu question with the figure as the report writes it, cited to a Jiangsu passage', async () => {
      const response = await ask({ question: JIANGSU_GDP });
      assert.equal(response.status, 200);
      const body = await readJson<AskResponse>(response);

      for (const key of ['answer', 'mode', 'grounded', 'regions', 'sources', 'citations']) assert.ok(key in body, `missing ${key}`);
      assert.equal(body.mode, 'extractive');
      assert.equal(body.grounded, true);
      assert.deepEqual(body.regions, ['江苏省']);
      assert.ok(body.sources.length > 0);
      body.sources.forEach(assertSourceShape);
      assert.deepEqual(body.sources.map((source) => source.n), body.sources.map((_, position) => position + 1));
      assert.equal(body.sources[0]?.region, '江苏省');
      assert.equal(body.sources[0]?.title, '2024年江苏省政府工作报告');
      assert.match(body.sources[0]?.text ?? '', /地区生产总值增长5%以上/);
      assert.match(body.answer, /5%以上 \[1\]/);
      const markers = [...body.answer.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1]));
      assert.deepEqual([...new Set(markers)].sort(), [...body.citations].sort(), 'citations list exactly the markers in the answer');
      for (const n of body.citations) assert.ok(body.sources.some((source) => source.n === n), `[${n}] names no source`);
    });

    test('an explicit region in English restricts the answer to that report, and k limits the sources', async () => {
      const body = await readJson<AskResponse>(await ask({ question: '地区生产总值增长目标是多少？', region: 'Jiangsu', k: 3 }));
      assert.deepEqual(body.regions, ['江苏省']);
      assert.equal(body.sources.length, 3);
      assert.ok(body.sources.every((source) => source.region === '江苏省'));
      assert.match(body.answer, /5%以上/);
    });

    test('a place named in the question beats the region hint, and the answer says the hint was overridden', async () => {
      const body = await readJson<AskResponse & { notices: { code: string; message: string }[] }>(await ask({ question: '广东今年GDP增长目标？', region: '镇江市' }));
      assert.deepEqual(body.regions, ['广东省']);
      assert.equal(body.grounded, true);
      for (const n of body.citations) assert.equal(body.sources.find((source) => source.n === n)?.region, '广东省', 'every citation is a Guangdong passage');
      assert.match(body.answer, /地区生产总值增长5%/);
      assert.doesNotMatch(body.answer, /5\.2%以上/, 'not Zhenjiang’s figure');
      const notice = body.notices.find((entry) => entry.code === 'region_overridden');
      assert.ok(notice, 'a region_overridden notice');
      assert.match(notice.message, /镇江市/);
    });

    test('a refusal carries its reason and the plain statement apart from the closest quote', async () => {
      const body = await readJson<AskResponse & { refusal?: { reason: string; message?: string } }>(await ask({ question: '上海今年房价涨幅控制在多少？' }));
      assert.equal(body.grounded, false);
      assert.equal(body.refusal?.reason, 'near_miss');
      assert.ok(body.refusal?.message && body.answer.startsWith(body.refusal.message), 'the message opens the answer');
      assert.doesNotMatch(body.answer, /居民消费价格涨幅3%左右/, 'CPI is not offered as house prices');
    });

    test('a region outside the corpus gets a plain "not found" answer with grounded false and no citations', async () => {
      const body = await readJson<AskResponse>(await ask({ question: MACAU }));
      assert.equal(body.grounded, false);
      assert.deepEqual(body.citations, []);
      assert.match(body.answer, /现有报告中未找到澳门特别行政区/);
      assert.doesNotMatch(body.answer, /\[\d+\]/);
    });

    const overlongHistory = Array.from({ length: 21 }, (_, turn) => ({ role: turn % 2 === 0 ? 'user' : 'assistant', content: '江苏的目标是什么？' }));
    const heavyHistory = Array.from({ length: 6 }, (_, turn) => ({ role: turn % 2 === 0 ? 'user' : 'assistant', content: '发'.repeat(3400) }));
    const badBodies: { name: string; body: string; message: RegExp }[] = [
      { name: 'an empty question', body: JSON.stringify({ question: '' }), message: /question must not be empty/ },
      { name: 'a question over 2,000 characters', body: JSON.stringify({ question: '江'.repeat(2001) }), message: /at most 2,000 characters/ },
      { name: 'a question that is not a string', body: JSON.stringify({ question: ['江苏'] }), message: /question must be a string/ },
      { name: 'an empty body', body: '', message: /question must be a string/ },
      { name: 'malformed JSON', body: '{"question": "江苏2024年GDP', message: /not valid JSON/ },
      { name: 'a JSON string', body: JSON.stringify(JIANGSU_GDP), message: /JSON/ },
      { name: 'a JSON array', body: JSON.stringify([{ question: JIANGSU_GDP }]), message: /must be a JSON object/ },
      { name: 'JSON null', body: 'null', message: /JSON/ },
      { name: 'history of 21 turns', body: JSON.stringify({ question: JIANGSU_GDP, history: overlongHistory }), message: /at most 20 turns/ },
      { name: 'history of 20,400 characters', body: JSON.stringify({ question: JIANGSU_GDP, history: heavyHistory }), message: /at most 20,000 characters/ },
      { name: 'history that is not an array', body: JSON.stringify({ question: JIANGSU_GDP, history: '江苏' }), message: /history must be an array/ },
      { name: 'a k of 21', body: JSON.stringify({ question: JIANGSU_GDP, k: 21 }), message: /k must be at most 20/ },
      { name: 'an unknown region', body: JSON.stringify({ question: '地区生产总值增长目标是多少？', region: 'Atlantis' }), message: /Unknown region "Atlantis"/ },
    ];
    for (const { name, body, message } of badBodies) {
      test(`${name} → 400 invalid_input`, async () => {
        const error = await expectError(await post('/api/ask', body), 400, 'invalid_input');
        assert.match(error.message, message);
      });
    }

    test('a body over 256 kB → 413 payload_too_large, and the server keeps answering', async () => {
      const body = JSON.stringify({ question: JIANGSU_GDP, history: [{ role: 'user', content: 'x'.repeat(270_000) }] });
      const error = await expectError(await post('/api/ask', body), 413, 'payload_too_large');
      assert.match(error.message, /256kb/i);
      assert.equal((await ask({ question: JIANGSU_GDP })).status, 200);
    });

    test('a JSON body that is not an object (a string, null) is told that an object is required', async () => {
      for (const body of ['"江苏2024年GDP增长目标是多少？"', 'null', '[1,2]']) {
        const error = await expectError(await post('/api/ask', body), 400, 'invalid_input');
        assert.match(error.message, /object/, body);
      }
    });

    test('after a run of bad requests the server still serves other clients, over HTTP and sockets', async () => {
      await Promise.all(badBodies.map(({ body }) => post('/api/ask', body).then((response) => response.arrayBuffer())));
      const body = await readJson<AskResponse>(await ask({ question: JIANGSU_GDP }));
      assert.match(body.answer, /5%以上/);
      const client = await TestClient.connect(server.url);
      try {
        const answer = await client.askAndCollect({ question: JIANGSU_GDP });
        assert.match(answer.end?.answer ?? '', /5%以上/);
      } finally {
        client.close();
      }
    });

    test('GET /api/ask is not a route: 404 with an error body', async () => {
      await expectError(await get('/api/ask'), 404, 'not_found');
    });
  });

  describe('GET /api/search', () => {
    test('returns the passages of the given region only, k of them, in the source shape', async () => {
      const response = await get(`/api/search?q=${encodeURIComponent('粮食产量')}&region=${encodeURIComponent('江苏')}&k=3`);
      assert.equal(response.status, 200);
      const body = await readJson<{ regions: string[]; sources: Source[] }>(response);
      assert.deepEqual(body.regions, ['江苏省']);
      assert.equal(body.sources.length, 3);
      body.sources.forEach(assertSourceShape);
      assert.deepEqual(body.sources.map((source) => source.n), [1, 2, 3]);
      assert.ok(body.sources.every((source) => source.region === '江苏省'));
      assert.ok(body.sources.some((source) => source.text.includes('粮食')));
    });

    test('rejects a missing or empty q, a k out of range and an unknown region with 400', async () => {
      assert.match((await expectError(await get('/api/search'), 400, 'invalid_input')).message, /q/);
      assert.match((await expectError(await get('/api/search?q='), 400, 'invalid_input')).message, /q must not be empty/);
      assert.match((await expectError(await get(`/api/search?q=${encodeURIComponent('粮食')}&k=0`), 400, 'invalid_input')).message, /k must be at least 1/);
      assert.match((await expectError(await get(`/api/search?q=${encodeURIComponent('粮食')}&k=many`), 400, 'invalid_input')).message, /k/);
      assert.match((await expectError(await get(`/api/search?q=${encodeURIComponent('粮食')}&region=Atlantis`), 400, 'invalid_input')).message, /Atlantis/);
    });
  });

  describe('regions, summaries, targets and passages', () => {
    test('GET /api/regions lists 35 regions in the corpus: the nation, 31 provinces and three cities', async () => {
      const body = await readJson<{ regions: { region: string; level: string; english: string; aliases: string[]; inCorpus: boolean }[] }>(await get('/api/regions'));
      const inCorpus = body.regions.filter((entry) => entry.inCorpus);
      assert.equal(inCorpus.length, 35);
      assert.deepEqual(inCorpus.filter((entry) => entry.level === 'national').map((entry) => entry.region), ['全国']);
      assert.equal(inCorpus.filter((entry) => entry.level === 'province').length, 31);
      assert.deepEqual(inCorpus.filter((entry) => entry.level === 'city').map((entry) => entry.region).sort(), ['南通市', '苏州市', '镇江市'].sort());
      for (const name of ['北京市', '江苏省', '广西壮族自治区', '内蒙古自治区', '新疆维吾尔自治区', '西藏自治区']) assert.ok(inCorpus.some((entry) => entry.region === name), `${name} missing`);
      const hongKong = body.regions.find((entry) => entry.region === '香港特别行政区');
      assert.equal(hongKong?.inCorpus, false);
      assert.ok(hongKong?.aliases.includes('香港'));
      assert.equal(body.regions.find((entry) => entry.region === '江苏省')?.english, 'Jiangsu');
    });

    test('GET /api/regions/:region/summary accepts the short form and the English name alike', async () => {
      const byAlias = await readJson<{ region: string; targets: { indicator: string; value: string }[]; tasks: { heading: string; points: string[]; citations: number[] }[]; sources: Source[] }>(
        await get(`/api/regions/${encodeURIComponent('江苏')}/summary`),
      );
      assert.equal(byAlias.region, '江苏省');
      assert.equal(byAlias.targets.find((row) => row.indicator === 'gdp_growth')?.value, '5%以上');
      assert.ok(byAlias.tasks.length > 0);
      for (const task of byAlias.tasks) {
        assert.match(task.heading, /^（[一二三四五六七八九十]+）/);
        assert.ok(task.points.length > 0);
        for (const n of task.citations) assert.ok(byAlias.sources.some((source) => source.n === n), `task "${task.heading}" cites [${n}], which is not among the sources`);
      }
      byAlias.sources.forEach(assertSourceShape);
      assert.ok(byAlias.sources.every((source) => source.region === '江苏省'));

      const byEnglish = await readJson<typeof byAlias>(await get('/api/regions/Jiangsu/summary'));
      assert.deepEqual(byEnglish, byAlias);
    });

    test('a summary of a region with no report in the corpus → 404 with an error body', async () => {
      const error = await expectError(await get(`/api/regions/${encodeURIComponent('香港')}/summary`), 404, 'region_not_in_corpus');
      assert.match(error.message, /香港特别行政区/);
    });

    test('GET /api/targets gives the national GDP target as the report writes it, traceable to its passage', async () => {
      const body = await readJson<{ regions: { region: string; targets: { indicator: string; label: string; value: string; passageId: string }[] }[] }>(await get('/api/targets'));
      const national = body.regions.find((entry) => entry.region === '全国');
      const gdp = national?.targets.find((row) => row.indicator === 'gdp_growth');
      assert.equal(gdp?.value, '5%左右');
      assert.equal(body.regions.find((entry) => entry.region === '江苏省')?.targets.find((row) => row.indicator === 'gdp_growth')?.value, '5%以上');

      const passage = await readJson<{ passage: { id: string; region: string; text: string } }>(await get(`/api/passages/${encodeURIComponent(gdp?.passageId ?? '')}`));
      assert.equal(passage.passage.region, '全国');
      assert.match(passage.passage.text, /5%左右/);
    });

    test('GET /api/passages/:id (with # encoded) returns the passage and its neighbours in reading order', async () => {
      const response = await get(`/api/passages/${encodeURIComponent('jiangsu-2024#p027')}`);
      assert.equal(response.status, 200);
      const body = await readJson<{ passage: { id: string; region: string; title: string; section: string; text: string }; before: { id: string; text: string }[]; after: { id: string; text: string }[] }>(response);
      assert.equal(body.passage.id, 'jiangsu-2024#p027');
      assert.equal(body.passage.region, '江苏省');
      assert.equal(body.passage.title, '2024年江苏省政府工作报告');
      assert.match(body.passage.section, /目标任务/);
      assert.match(body.passage.text, /地区生产总值增长5%以上/);
      assert.deepEqual(body.before.map((item) => item.id), ['jiangsu-2024#p025', 'jiangsu-2024#p026']);
      assert.deepEqual(body.after.map((item) => item.id), ['jiangsu-2024#p028', 'jiangsu-2024#p029']);
      assert.ok([...body.before, ...body.after].every((item) => item.text.length > 0));
    });

    test('an unknown passage id → 404 not_found naming the id', async () => {
      const error = await expectError(await get(`/api/passages/${encodeURIComponent('jiangsu-2024#p999')}`), 404, 'not_found');
      assert.match(error.message, /jiangsu-2024#p999/);
    });

    test('a huge unknown id or region is quoted back cut short, not whole', async () => {
      const huge = '江'.repeat(1000); // 9 kB once URL-encoded, under Node's 16 kB header limit
      const passage = await expectError(await get(`/api/passages/${encodeURIComponent(huge)}`), 404, 'not_found');
      assert.ok(passage.message.length < 200, `${passage.message.length} characters`);
      const region = await expectError(await get(`/api/regions/${encodeURIComponent(huge)}/summary`), 404, 'not_found');
      assert.ok(region.message.length < 300, `${region.message.length} characters`);
    });
  });

  describe('health, unknown routes, headers and CORS', () => {
    test('GET /healthz reports ok with the passage count, the embedder and the mode', async () => {
      const body = await readJson<{ status: string; ready: boolean; passages: number; embedder: string; mode: string }>(await get('/healthz'));
      assert.equal(body.status, 'ok');
      assert.equal(body.ready, true);
      assert.ok(body.passages > 1000, `only ${body.passages} passages`);
      assert.equal(body.embedder, 'lsa');
      assert.equal(body.mode, 'extractive');
    });

    test('unknown API routes and methods → 404 JSON error body', async () => {
      await expectError(await get('/api/answers'), 404, 'not_found');
      await expectError(await post('/api/regions', '{}'), 404, 'not_found');
      await expectError(await get('/no/such/page'), 404, 'not_found');
    });

    test('security headers are set on API responses and on the page', async () => {
      for (const path of ['/api/regions', '/healthz', '/']) {
        const response = await get(path);
        await response.arrayBuffer();
        assert.equal(response.status, 200, path);
        assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path);
        assert.match(response.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/, path);
        assert.match(response.headers.get('content-security-policy') ?? '', /script-src 'self'/, path);
        assert.equal(response.headers.get('x-frame-options'), 'SAMEORIGIN', path);
        assert.equal(response.headers.get('referrer-policy'), 'no-referrer', path);
        assert.equal(response.headers.get('x-powered-by'), null, path);
      }
    });

    test('markup a user sends never comes back as HTML', async () => {
      const script = '<script>alert(1)</script>';
      const answered = await ask({ question: `${script}江苏2024年GDP增长目标是多少？` });
      assert.equal(answered.status, 200);
      await readJson(answered);
      assert.equal(answered.headers.get('x-content-type-options'), 'nosniff');

      await readJson(await ask({ question: JIANGSU_GDP, region: '<img src=x onerror=alert(1)>' }));
      await readJson(await get(`/api/search?q=${encodeURIComponent(script)}`));
      await readJson(await get(`/api/passages/${encodeURIComponent(script)}`));
      await readJson(await get(`/api/regions/${encodeURIComponent(script)}/summary`));
      const page = await get(`/${encodeURIComponent(script)}`);
      await readJson(page);
      assert.equal(page.status, 404);
    });

    test('CORS is closed by default: no Access-Control-Allow-Origin for any origin', async () => {
      const origin = 'https://elsewhere.example';
      const simple = await get('/api/regions', { origin });
      await simple.arrayBuffer();
      assert.equal(simple.status, 200);
      assert.equal(simple.headers.get('access-control-allow-origin'), null);
      const preflight = await fetch(`${server.url}/api/ask`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
      assert.equal(preflight.headers.get('access-control-allow-origin'), null);
      const polling = await get('/socket.io/?EIO=4&transport=polling', { origin });
      await polling.arrayBuffer();
      assert.equal(polling.headers.get('access-control-allow-origin'), null);
    });

    test('with RATE_LIMIT_PER_MINUTE=0 there is no limit: 70 requests in a row all succeed', async () => {
      const statuses: number[] = [];
      for (let request = 0; request < 70; request++) {
        const response = await get('/api/regions');
        await response.arrayBuffer();
        statuses.push(response.status);
      }
      assert.deepEqual([...new Set(statuses)], [200]);
    });
  });
});

describe('HTTP with RATE_LIMIT_PER_MINUTE=2 and CORS_ORIGINS set', { timeout: 60_000 }, () => {
  const ALLOWED = 'https://analyst.example';
  let server: RunningServer;

  before(async () => {
    server = await startTestServer({ RATE_LIMIT_PER_MINUTE: '2', CORS_ORIGINS: `${ALLOWED}, https://desk.example` });
  });

  after(async () => {
    await server?.close();
  });

  test('the third API request within a minute → 429 rate_limited with Retry-After; /healthz is not limited', async () => {
    const statuses: number[] = [];
    for (let request = 0; request < 2; request++) {
      const response = await fetch(`${server.url}/api/regions`);
      await response.arrayBuffer();
      statuses.push(response.status);
    }
    assert.deepEqual(statuses, [200, 200]);

    const limited = await fetch(`${server.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: JIANGSU_GDP }) });
    const error = await expectError(limited, 429, 'rate_limited');
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After: ${limited.headers.get('retry-after')}`);
    assert.match(error.message, new RegExp(`try again in ${retryAfter} s`));

    const health = await fetch(`${server.url}/healthz`);
    assert.equal(health.status, 200);
    assert.equal((await readJson<{ status: string }>(health)).status, 'ok');
  });

  test('CORS answers a listed origin and ignores any other', async () => {
    const allowed = await fetch(`${server.url}/healthz`, { headers: { origin: ALLOWED } });
    await allowed.arrayBuffer();
    assert.equal(allowed.headers.get('access-control-allow-origin'), ALLOWED);
    assert.match(allowed.headers.get('vary') ?? '', /Origin/);

    const preflight = await fetch(`${server.url}/api/ask`, { method: 'OPTIONS', headers: { origin: 'https://desk.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://desk.example');
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /content-type/i);
    assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /POST/);

    const other = await fetch(`${server.url}/healthz`, { headers: { origin: 'https://elsewhere.example' } });
    await other.arrayBuffer();
    assert.equal(other.headers.get('access-control-allow-origin'), null);

    const polling = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: ALLOWED } });
    await polling.arrayBuffer();
    assert.equal(polling.headers.get('access-control-allow-origin'), ALLOWED);
  });
});

describe('start-up', { timeout: 60_000 }, () => {
  for (const [variable, value] of [
    ['PORT', 'abc'],
    ['EMBEDDINGS', 'bogus'],
    ['RATE_LIMIT_PER_MINUTE', '-1'],
    ['OPENAI_BASE_URL', 'not a url'],
  ] as const) {
    test(`an invalid ${variable} (${value}) stops the start with a message naming it`, async () => {
      await assert.rejects(startServer({ host: '127.0.0.1', env: { DATA_DIR, INDEX_DIR, [variable]: value } }), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'config_invalid');
        assert.match(error.message, new RegExp(`${variable}:`));
        return true;
      });
    });
  }

  test('while the index cannot be loaded, API calls → 503 index_corrupt naming the cause, and /healthz (503) says why', async () => {
    const scratch = await mkdtemp(join(tmpdir(), 'server-http-'));
    const server = await startServer({ port: 0, host: '127.0.0.1', env: { RATE_LIMIT_PER_MINUTE: '0', DATA_DIR: join(scratch, 'no-data'), INDEX_DIR: join(scratch, 'no-index') } });
    const loaded = server.ready.then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    try {
      assert.ok(await loaded, 'the index loaded from a folder without a corpus');
      const askError = await expectError(await fetch(`${server.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: JIANGSU_GDP }) }), 503, 'index_corrupt');
      assert.match(askError.message, /manifest/);
      await expectError(await fetch(`${server.url}/api/regions`), 503, 'index_corrupt');
      const healthResponse = await fetch(`${server.url}/healthz`);
      assert.equal(healthResponse.status, 503);
      const health = await readJson<{ status: string; ready: boolean; message?: string; passages: number }>(healthResponse);
      assert.equal(health.status, 'failed');
      assert.equal(health.ready, false);
      assert.equal(health.passages, 0);
      assert.match(health.message ?? '', /manifest/);

      const client = await TestClient.connect(server.url);
      try {
        const ack = await client.ask({ question: JIANGSU_GDP });
        assert.equal(ack.ok, false);
        assert.equal(!ack.ok && ack.error.code, 'index_corrupt');
      } finally {
        client.close();
      }
    } finally {
      await server.close();
      await rm(scratch, { recursive: true, force: true });
    }
  });
});
