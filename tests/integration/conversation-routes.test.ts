// Conversations, share links and feedback over HTTP, on real servers on port 0 (the application without an
// index: these routes do not need one): who owns what with and without API_KEYS, a share link opening for
// anyone, revoked links, bad input, and two servers on one PostgreSQL database (replicas) sharing everything.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openConfiguredStore, type SqlStore } from '../../src/conversations/conversation-store.ts';
import { createApplication } from '../../src/server/app.ts';
import { conversation, jiangsuExchange, suzhouExchange } from '../helpers/conversations.ts';
import { postgresSkip, startPostgres, type TestPostgres } from '../helpers/postgres.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'conversation-routes-'));
after(() => rmSync(folder, { recursive: true, force: true }));

interface Served {
  url: string;
  store: SqlStore;
  close(): Promise<void>;
}

async function serve(settings: { sqliteFile?: string; databaseUrl?: string; apiKeys?: string[]; rateLimitPerMinute?: number }): Promise<Served> {
  const store = await openConfiguredStore({ sqliteFile: settings.sqliteFile ?? path.join(folder, 'default.sqlite'), ...(settings.databaseUrl ? { databaseUrl: settings.databaseUrl } : {}) });
  const application = createApplication(
    { assistant: () => undefined, health: () => ({ status: 'starting' }) },
    { rateLimitPerMinute: settings.rateLimitPerMinute ?? 0, corsOrigins: [], maxInFlightPerSocket: 4, apiKeys: settings.apiKeys ?? [], conversations: store },
  );
  await new Promise<void>((resolve) => application.httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = application.httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    close: async () => {
      await application.close(0);
      await store.close();
    },
  };
}

const ALICE = 'alice-browser-0123456789';
const BOB = 'bob-browser-0123456789ab';

function client(base: string, headers: Record<string, string>) {
  return async (method: string, route: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await fetch(`${base}${route}`, { method, headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
}

describe('conversations over HTTP, kept per browser (no API_KEYS)', async () => {
  const served = await serve({ sqliteFile: path.join(folder, 'browsers.sqlite') });
  after(() => served.close());
  const alice = client(served.url, { 'x-client-id': ALICE });
  const bob = client(served.url, { 'x-client-id': BOB });
  const anyone = client(served.url, {});

  test('a browser saves, lists, reads, renames and removes its conversations; another browser sees none of them', async () => {
    const kept = conversation('c1', [jiangsuExchange(), suzhouExchange()]);
    assert.deepEqual((await alice('PUT', '/api/conversations/c1', kept)).body, { id: 'c1', updatedAt: kept.updatedAt, exchanges: 2 });
    const list = (await alice('GET', '/api/conversations')).body.conversations as { id: string; exchanges: number; title: string }[];
    assert.deepEqual(list.map((item) => [item.id, item.exchanges, item.title]), [['c1', 2, '2024年江苏省地区生产总值增长目标是多少？']]);
    const read = await alice('GET', '/api/conversations/c1');
    assert.deepEqual(read.body.conversation, kept);
    assert.deepEqual(read.body.feedback, []);
    assert.deepEqual((await bob('GET', '/api/conversations')).body.conversations, []);
    assert.equal((await bob('GET', '/api/conversations/c1')).status, 404);
    assert.equal((await bob('DELETE', '/api/conversations/c1')).status, 404, 'nor can it remove them');
    const searched = (await alice('GET', `/api/conversations?q=${encodeURIComponent('苏州')}`)).body.conversations as { match: { field: string; text: string } }[];
    assert.equal(searched[0]?.match.field, 'question');
    assert.deepEqual((await alice('PATCH', '/api/conversations/c1', { title: '江苏和苏州的目标' })).body, { id: 'c1', title: '江苏和苏州的目标' });
    assert.equal(((await alice('GET', '/api/conversations/c1')).body.conversation as { renamed: boolean }).renamed, true);
    assert.equal((await alice('DELETE', '/api/conversations/c1')).status, 200);
    assert.equal((await alice('GET', '/api/conversations/c1')).status, 404);
  });

  test('without a browser id, or with bad input, the answer says what to send', async () => {
    const missing = await anyone('GET', '/api/conversations');
    assert.equal(missing.status, 400);
    assert.match(String((missing.body.error as { message: string }).message), /X-Client-Id/);
    const mismatch = await alice('PUT', '/api/conversations/c2', conversation('c3', [jiangsuExchange()]));
    assert.equal(mismatch.status, 400);
    assert.match(String((mismatch.body.error as { message: string }).message), /not the id in the path/);
    const broken = await alice('PUT', '/api/conversations/c2', { id: 'c2', title: 'x', exchanges: 'none' });
    assert.equal(broken.status, 400);
    assert.equal((broken.body.error as { code: string }).code, 'invalid_input');
    assert.equal((await alice('PUT', '/api/conversations/bad%20id', conversation('bad id', []))).status, 400);
    const feedback = await alice('PUT', '/api/feedback/a1', { rating: 'sideways', question: '问', answer: '答', grounded: true });
    assert.match(String((feedback.body.error as { message: string }).message), /rating must be "up" or "down"/);
    const upWithReason = await alice('PUT', '/api/feedback/a1', { rating: 'up', reason: 'wrong_figure', question: '问', answer: '答', grounded: true });
    assert.equal(upWithReason.status, 400);
  });

  test('a whole long conversation fits in one save (larger than the 256 kB of other requests)', async () => {
    const long = conversation('c-long', Array.from({ length: 60 }, (_, position) => ({ ...jiangsuExchange(`l${position}`), sources: Array.from({ length: 5 }, (_, n) => ({ ...jiangsuExchange().sources[0]!, n: n + 1, text: jiangsuExchange().sources[0]!.text.repeat(4) })) })));
    assert.ok(Buffer.byteLength(JSON.stringify(long)) > 300_000);
    assert.equal((await alice('PUT', '/api/conversations/c-long', long)).status, 200);
    assert.equal(((await alice('GET', '/api/conversations/c-long')).body.conversation as { exchanges: unknown[] }).exchanges.length, 60);
  });

  test('a share link opens read-only for anyone, without the owner’s id; the owner revokes it', async () => {
    await alice('PUT', '/api/conversations/c-share', conversation('c-share', [jiangsuExchange('s1')]));
    assert.equal((await bob('POST', '/api/conversations/c-share/share')).status, 404, 'only its owner shares it');
    const shared = await alice('POST', '/api/conversations/c-share/share');
    const token = String(shared.body.token);
    assert.equal(shared.body.path, `#/s/${token}`);
    const opened = await anyone('GET', `/api/shared/${token}`);
    assert.equal(opened.status, 200);
    const sharedConversation = opened.body.conversation as { exchanges: { id: string; sources: { text: string }[] }[] } & Record<string, unknown>;
    assert.deepEqual(sharedConversation.exchanges.map((item) => item.id), ['s1']);
    assert.ok(sharedConversation.exchanges[0]!.sources[0]!.text.includes('地区生产总值增长5%以上'), 'with its sources');
    assert.equal(sharedConversation.id, undefined, 'the owner’s id for it is not given out');
    assert.equal(((await alice('GET', '/api/conversations/c-share')).body.share as { token: string }).token, token);
    // Read-only: the link gives no way to change it.
    assert.equal((await bob('PUT', `/api/shared/${token}`, {})).status, 404);
    assert.deepEqual((await alice('DELETE', '/api/conversations/c-share/share')).body, { id: 'c-share', revoked: true });
    const revoked = await anyone('GET', `/api/shared/${token}`);
    assert.equal(revoked.status, 410);
    assert.match(String((revoked.body.error as { message: string }).message), /stopped sharing/);
    assert.equal((await anyone('GET', '/api/shared/AAAAAAAAAAAAAAAAAAAAAAAA')).status, 404);
    assert.equal((await anyone('GET', '/api/shared/x')).status, 400);
  });

  test('feedback on an answer is kept with the conversation and changes in place', async () => {
    await alice('PUT', '/api/conversations/c-fb', conversation('c-fb', [jiangsuExchange('f1')]));
    const body = { conversationId: 'c-fb', rating: 'down', reason: 'wrong_figure', comment: '应为5.5%', question: jiangsuExchange().question, answer: jiangsuExchange().answer, grounded: true, sources: jiangsuExchange().sources, citations: [1], regions: ['江苏省'], mode: 'extractive' };
    assert.equal((await alice('PUT', '/api/feedback/f1', body)).body.rating, 'down');
    assert.deepEqual((await alice('GET', '/api/conversations/c-fb')).body.feedback, [{ exchangeId: 'f1', rating: 'down', reason: 'wrong_figure', comment: '应为5.5%' }]);
    await alice('PUT', '/api/feedback/f1', { ...body, rating: 'up', reason: undefined, comment: undefined });
    assert.deepEqual((await alice('GET', '/api/conversations/c-fb')).body.feedback, [{ exchangeId: 'f1', rating: 'up' }]);
    assert.deepEqual((await alice('DELETE', '/api/feedback/f1')).body, { exchangeId: 'f1', removed: true });
    assert.equal((await served.store.allFeedback()).length, 0);
  });
});

describe('conversations over HTTP with API_KEYS: they belong to the key', async () => {
  const served = await serve({ sqliteFile: path.join(folder, 'keys.sqlite'), apiKeys: ['key-for-newsroom-000000', 'key-for-research-0000000'] });
  after(() => served.close());

  test('one key sees the same list from any browser, another key does not; a share link needs no key', async () => {
    const newsroomLaptop = client(served.url, { authorization: 'Bearer key-for-newsroom-000000', 'x-client-id': ALICE });
    const newsroomPhone = client(served.url, { authorization: 'Bearer key-for-newsroom-000000', 'x-client-id': BOB });
    const research = client(served.url, { authorization: 'Bearer key-for-research-0000000' });
    const nobody = client(served.url, {});
    assert.equal((await nobody('GET', '/api/conversations')).status, 401);
    await newsroomLaptop('PUT', '/api/conversations/c-key', conversation('c-key', [jiangsuExchange()]));
    assert.deepEqual(((await newsroomPhone('GET', '/api/conversations')).body.conversations as { id: string }[]).map((item) => item.id), ['c-key']);
    assert.deepEqual((await research('GET', '/api/conversations')).body.conversations, []);
    const token = String((await newsroomPhone('POST', '/api/conversations/c-key/share')).body.token);
    const opened = await nobody('GET', `/api/shared/${token}`);
    assert.equal(opened.status, 200, 'the editor without a key reads the shared answer');
  });
});

describe('two servers on one PostgreSQL database (replicas)', { skip: postgresSkip }, () => {
  let postgres: TestPostgres | undefined;
  before(async () => {
    postgres = await startPostgres();
  });
  after(() => postgres?.stop());

  test('a conversation saved through one server is listed, shared and opened through the other', async () => {
    const databaseUrl = await postgres!.createDatabase('replicas');
    const [first, second] = await Promise.all([serve({ databaseUrl }), serve({ databaseUrl })]);
    try {
      await client(first.url, { 'x-client-id': ALICE })('PUT', '/api/conversations/c-pg', conversation('c-pg', [jiangsuExchange(), suzhouExchange()]));
      const listed = (await client(second.url, { 'x-client-id': ALICE })('GET', '/api/conversations')).body.conversations as { id: string; exchanges: number }[];
      assert.deepEqual(listed.map((item) => [item.id, item.exchanges]), [['c-pg', 2]]);
      const token = String((await client(second.url, { 'x-client-id': ALICE })('POST', '/api/conversations/c-pg/share')).body.token);
      const opened = await client(first.url, {})('GET', `/api/shared/${token}`);
      assert.equal((opened.body.conversation as { exchanges: unknown[] }).exchanges.length, 2);
      await client(first.url, { 'x-client-id': ALICE })('DELETE', '/api/conversations/c-pg/share');
      assert.equal((await client(second.url, {})('GET', `/api/shared/${token}`)).status, 410, 'revoked on one, gone on the other');
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
});
