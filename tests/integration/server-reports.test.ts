// GET/POST/DELETE /api/reports on a real server (port 0) over a small real corpus: writing is off
// without ADMIN_TOKEN and says so, needs the bearer token with it, an upload is answered from at once, and
// a shipped report withdrawn stops being answered until it is restored, across a restart.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIndex } from '../../src/index/index-store.ts';
import type { RunningServer } from '../../src/main.ts';
import { withServer as startWith } from '../helpers/with-server.ts';
import { writeDocx } from '../helpers/make-documents.ts';
import { findReport, loadRealCorpus } from '../unit/real-corpus.ts';

const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/mini-corpus/', import.meta.url));
const TOKEN = 'test-admin-token-0123456789';
let workDir: string;
let env: Record<string, string>;
let suzhouDocx: Uint8Array;

before(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'gov-report-server-reports-'));
  env = { DATA_DIR: path.join(workDir, 'data'), INDEX_DIR: path.join(workDir, 'vectorstore'), RATE_LIMIT_PER_MINUTE: '0', MAX_UPLOAD_MB: '1' };
  await cp(FIXTURE_DIR, env.DATA_DIR!, { recursive: true });
  await buildIndex({ dataDir: env.DATA_DIR!, indexDir: env.INDEX_DIR!, embedder: { kind: 'lsa' } });
  const suzhou = findReport(await loadRealCorpus(), 'suzhou-2024');
  suzhouDocx = await writeDocx(suzhou.text.split('\n'));
});
after(async () => {
  await rm(workDir, { recursive: true, force: true });
});

const withServer = (extra: Record<string, string>, run: (server: RunningServer) => Promise<void>): Promise<void> => startWith({ ...env, ...extra }, run);

function form(bytes: Uint8Array, fileName: string, fields: Record<string, string> = {}): FormData {
  const body = new FormData();
  body.set('file', new Blob([new Uint8Array(bytes)]), fileName);
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  return body;
}

const auth = { authorization: `Bearer ${TOKEN}` };

describe('without ADMIN_TOKEN', () => {
  test('the reports are listed, and writing is refused with a message naming ADMIN_TOKEN', async () => {
    await withServer({}, async (server) => {
      const listing = (await (await fetch(`${server.url}/api/reports`)).json()) as { writable: boolean; reports: { id: string; year: number; origin: string }[] };
      assert.equal(listing.writable, false);
      assert.ok(listing.reports.some((report) => report.id === 'jiangsu-2024' && report.year === 2024 && report.origin === 'seed'));
      const refused = await fetch(`${server.url}/api/reports`, { method: 'POST', body: form(suzhouDocx, 'suzhou.docx') });
      assert.equal(refused.status, 403);
      assert.match(((await refused.json()) as { error: { message: string } }).error.message, /ADMIN_TOKEN/);
      const health = (await (await fetch(`${server.url}/healthz`)).json()) as { reports: { writable: boolean } };
      assert.equal(health.reports.writable, false);
      assert.equal((await fetch(`${server.url}/api/reports/admin`, { headers: auth })).status, 403, 'no token can be right when writing is off');
    });
  });
});

describe('with ADMIN_TOKEN', () => {
  test('an upload needs the bearer token, is answered from at once, refused when repeated, and removed', async () => {
    await withServer({ ADMIN_TOKEN: TOKEN }, async (server) => {
      const post = (body: FormData, headers: Record<string, string> = auth) => fetch(`${server.url}/api/reports`, { method: 'POST', body, headers });
      assert.equal((await post(form(suzhouDocx, 'suzhou.docx'), {})).status, 401);
      assert.equal((await post(form(suzhouDocx, 'suzhou.docx'), { authorization: 'Bearer wrong-token-wrong-token' })).status, 401);
      // The page checks a token when it is entered.
      assert.deepEqual(await (await fetch(`${server.url}/api/reports/admin`, { headers: auth })).json(), { admin: true });
      assert.equal((await fetch(`${server.url}/api/reports/admin`, { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status, 401);

      const preview = await post(form(suzhouDocx, '苏州市政府工作报告.docx', { dryRun: 'true' }));
      assert.equal(preview.status, 200);
      const previewBody = (await preview.json()) as { added: boolean; report: { id: string; region: string; year: number }; detected: { regionFrom: string } };
      assert.deepEqual([previewBody.added, previewBody.report.region, previewBody.report.year], [false, '苏州市', 2024]);
      assert.match(previewBody.detected.regionFrom, /我代表苏州市人民政府/);
      assert.equal((previewBody as { existing?: unknown }).existing, undefined);
      // A parent that contradicts the region table is refused with the reason, nothing added.
      const badParent = await post(form(suzhouDocx, '苏州市政府工作报告.docx', { dryRun: 'true', parent: '浙江省' }));
      assert.equal(badParent.status, 400);
      assert.deepEqual(((await badParent.json()) as { error: { problem: string } }).error.problem, 'bad_parent');

      const added = await post(form(suzhouDocx, '苏州市政府工作报告.docx'));
      assert.equal(added.status, 201);
      const addedBody = (await added.json()) as { report: { id: string; passages: number; sourceFile: string } };
      assert.equal(addedBody.report.id, 'suzhou-2024');
      assert.equal(addedBody.report.sourceFile, '苏州市政府工作报告.docx');
      const search = (await (await fetch(`${server.url}/api/search?q=${encodeURIComponent('苏州今年地区生产总值增长目标')}`)).json()) as { sources: { region: string }[] };
      assert.equal(search.sources[0]?.region, '苏州市');

      // A dry run of the same file says what it duplicates before the user confirms.
      const previewAgain = (await (await post(form(suzhouDocx, 'copy.docx', { dryRun: 'true' }))).json()) as { existing?: { id: string; kind: string } };
      assert.deepEqual(previewAgain.existing && [previewAgain.existing.id, previewAgain.existing.kind], ['suzhou-2024', 'same_content']);
      const again = await post(form(suzhouDocx, 'copy.docx'));
      assert.equal(again.status, 409);
      assert.equal(((await again.json()) as { error: { existing: string } }).error.existing, 'suzhou-2024');

      const tooLarge = await post(form(new Uint8Array(1.5 * 1024 * 1024).fill(0x41), 'big.txt'));
      assert.equal(tooLarge.status, 413);
      const image = await post(form(new TextEncoder().encode('GIF89a……'), 'chart.gif'));
      assert.equal(image.status, 415);

      assert.equal((await fetch(`${server.url}/api/reports/nowhere-2024`, { method: 'DELETE', headers: auth })).status, 404);
      const removed = await fetch(`${server.url}/api/reports/suzhou-2024`, { method: 'DELETE', headers: auth });
      assert.equal(removed.status, 200);
      const listing = (await (await fetch(`${server.url}/api/reports`)).json()) as { reports: { id: string }[]; last: { ok: boolean } };
      assert.ok(!listing.reports.some((report) => report.id === 'suzhou-2024'));
      assert.equal(listing.last.ok, true);
    });
  });

  test('two uploads at once: one is added, the other is told to wait', async () => {
    await withServer({ ADMIN_TOKEN: TOKEN }, async (server) => {
      const post = () => fetch(`${server.url}/api/reports`, { method: 'POST', body: form(suzhouDocx, 'suzhou.docx'), headers: auth });
      const responses = await Promise.all([post(), post()]);
      const statuses = responses.map((response) => response.status).sort();
      assert.deepEqual(statuses, [201, 409]);
      const busy = (await responses.find((response) => response.status === 409)!.json()) as { error: { code: string; message: string } };
      assert.equal(busy.error.code, 'busy');
      assert.match(busy.error.message, /one change at a time/);
      await fetch(`${server.url}/api/reports/suzhou-2024`, { method: 'DELETE', headers: auth });
    });
  });

  test('a shipped report withdrawn over HTTP is no longer answered, stays withdrawn across a restart, and is answered again once restored', async () => {
    const ask = async (server: RunningServer) =>
      (await (await fetch(`${server.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: '镇江今年地区生产总值增长目标是多少？' }) })).json()) as { answer: string; grounded: boolean; sources: { region: string }[] };
    type Listing = { reports: { id: string }[]; withdrawn: { id: string; title: string; region: string; year: number; replaced: boolean }[] };
    const listing = async (server: RunningServer) => (await (await fetch(`${server.url}/api/reports`)).json()) as Listing;
    let builtAt = '';
    await withServer({ ADMIN_TOKEN: TOKEN }, async (server) => {
      const answered = await ask(server);
      assert.equal(answered.grounded, true);
      assert.match(answered.answer, /5\.2%以上/);
      builtAt = ((await (await fetch(`${server.url}/healthz`)).json()) as { indexBuiltAt: string }).indexBuiltAt;
      assert.equal((await fetch(`${server.url}/api/reports/zhenjiang-2024`, { method: 'DELETE' })).status, 401);
      const removed = await fetch(`${server.url}/api/reports/zhenjiang-2024`, { method: 'DELETE', headers: auth });
      assert.equal(removed.status, 200);
      const body = (await removed.json()) as { id: string; origin: string; passages: number };
      assert.deepEqual([body.id, body.origin], ['zhenjiang-2024', 'seed']);
      assert.ok(body.passages > 0);
      const after = await listing(server);
      assert.ok(!after.reports.some((report) => report.id === 'zhenjiang-2024'));
      assert.deepEqual(after.withdrawn.map((entry) => [entry.id, entry.title, entry.region, entry.year, entry.replaced]), [['zhenjiang-2024', '2024年镇江市政府工作报告', '镇江市', 2024, false]]);
      const refused = await ask(server);
      assert.equal(refused.grounded, false, refused.answer);
      assert.ok(!refused.sources.some((source) => source.region === '镇江市'), 'nothing of Zhenjiang is cited');
    });
    await withServer({ ADMIN_TOKEN: TOKEN }, async (server) => {
      const health = (await (await fetch(`${server.url}/healthz`)).json()) as { indexBuiltAt: string };
      assert.equal(health.indexBuiltAt, builtAt, 'a restart serves the same index, not a rebuild');
      assert.deepEqual((await listing(server)).withdrawn.map((entry) => entry.id), ['zhenjiang-2024'], 'still withdrawn after a restart');
      assert.equal((await ask(server)).grounded, false);
      const restore = (body?: unknown, headers: Record<string, string> = auth) =>
        fetch(`${server.url}/api/reports/zhenjiang-2024/restore`, { method: 'POST', headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      assert.equal((await restore(undefined, {})).status, 401);
      assert.equal((await restore({ replace: 'yes' })).status, 400);
      const restored = await restore();
      assert.equal(restored.status, 200);
      assert.equal(((await restored.json()) as { passages: number }).passages > 0, true);
      assert.equal((await restore()).status, 404, 'it is no longer withdrawn');
      assert.deepEqual((await listing(server)).withdrawn, []);
      const again = await ask(server);
      assert.equal(again.grounded, true);
      assert.equal(again.sources[0]?.region, '镇江市');
    });
  });
});
