// Hostile files uploaded to a real server (port 0) over a small real corpus: each is refused within
// seconds with a 4xx naming the limit it broke, while /healthz and questions keep answering and the
// server's memory stays where it was (documents are read in a process of their own). The reader's own
// time and memory limits are tested on it directly, with files that stay within every other limit.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProcessDocumentReader } from '../../src/corpus/document-reader.ts';
import { DocumentError } from '../../src/corpus/document-error.ts';
import { DEFAULT_DOCUMENT_LIMITS } from '../../src/corpus/document-limits.ts';
import { buildIndex } from '../../src/index/index-store.ts';
import { docxManyEntries, docxZipBomb, pdfCircularPageTree, pdfDeepPageTree, pdfFlateBomb, pdfManyPages } from '../helpers/hostile-files.ts';
import { withServer } from '../helpers/with-server.ts';
import { findReport, loadRealCorpus } from '../unit/real-corpus.ts';

const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/mini-corpus/', import.meta.url));
const TOKEN = 'test-admin-token-0123456789';
const MB = 1024 * 1024;
let workDir: string;
let env: Record<string, string>;
const suzhou = findReport(await loadRealCorpus(), 'suzhou-2024');
const opening = suzhou.text.split('\n').slice(0, 12);

before(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'gov-report-hostile-'));
  env = {
    DATA_DIR: path.join(workDir, 'data'),
    INDEX_DIR: path.join(workDir, 'vectorstore'),
    RATE_LIMIT_PER_MINUTE: '0',
    ADMIN_TOKEN: TOKEN,
    MAX_UPLOAD_MB: '2',
    DOCUMENT_MAX_ENTRY_MB: '8',
    DOCUMENT_MAX_UNPACKED_MB: '16',
    DOCUMENT_MAX_PAGES: '200',
  };
  await cp(FIXTURE_DIR, env.DATA_DIR!, { recursive: true });
  await buildIndex({ dataDir: env.DATA_DIR!, indexDir: env.INDEX_DIR!, embedder: { kind: 'lsa' } });
});
after(async () => {
  await rm(workDir, { recursive: true, force: true });
});

/** Calls `probe` every 100 ms until `during` settles; the slowest answer, in milliseconds. */
async function slowestWhile(during: Promise<unknown>, probe: () => Promise<unknown>): Promise<number> {
  let done = false;
  void during.finally(() => (done = true)).catch(() => {});
  let slowest = 0;
  while (!done) {
    const started = performance.now();
    await probe();
    slowest = Math.max(slowest, performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return slowest;
}

describe('hostile uploads', () => {
  test('each is refused with a 4xx naming its limit, while /healthz and questions answer within 2 s and memory stays put', async () => {
    const files: { name: string; bytes: Uint8Array; status: number; setting?: string; problem: string; message?: RegExp }[] = [
      { name: '苏州.docx', bytes: await docxZipBomb(opening, 40), status: 413, setting: 'DOCUMENT_MAX_ENTRY_MB', problem: 'over_limit' },
      { name: 'parts.docx', bytes: await docxManyEntries(6, 4), status: 413, setting: 'DOCUMENT_MAX_UNPACKED_MB', problem: 'over_limit' },
      { name: 'bomb.pdf', bytes: await pdfFlateBomb(40), status: 413, setting: 'DOCUMENT_MAX_ENTRY_MB', problem: 'over_limit' },
      { name: 'circular.pdf', bytes: pdfCircularPageTree(), status: 422, problem: 'unreadable', message: /circular\.pdf: page 1 cannot be read \(.*circular reference/ },
      { name: 'deep.pdf', bytes: pdfDeepPageTree(5000), status: 413, setting: 'DOCUMENT_MAX_PAGES', problem: 'over_limit' },
      { name: 'pages.pdf', bytes: pdfManyPages(2000), status: 413, setting: 'DOCUMENT_MAX_PAGES', problem: 'over_limit' },
    ];
    await withServer(env, async (server) => {
      const rssBefore = process.memoryUsage().rss;
      for (const file of files) {
        const body = new FormData();
        body.set('file', new Blob([new Uint8Array(file.bytes)]), file.name);
        const started = performance.now();
        const upload = fetch(`${server.url}/api/reports`, { method: 'POST', body, headers: { authorization: `Bearer ${TOKEN}` } });
        const [healthSlowest, askSlowest] = await Promise.all([
          slowestWhile(upload, async () => assert.equal((await fetch(`${server.url}/healthz`)).status, 200)),
          slowestWhile(upload, async () => {
            const answer = await fetch(`${server.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: '江苏今年地区生产总值增长目标是多少？' }) });
            assert.equal(answer.status, 200);
            await answer.json();
          }),
        ]);
        const response = await upload;
        const seconds = (performance.now() - started) / 1000;
        const { error } = (await response.json()) as { error: { code: string; problem: string; message: string; limit?: { setting: string } } };
        assert.equal(response.status, file.status, `${file.name}: ${error.message}`);
        assert.equal(error.problem, file.problem, file.name);
        assert.notEqual(error.code, 'internal');
        if (file.message) assert.match(error.message, file.message);
        if (file.setting) {
          assert.equal(error.limit?.setting, file.setting, file.name);
          assert.match(error.message, new RegExp(file.setting));
        }
        assert.ok(seconds < 30, `${file.name} refused in ${seconds.toFixed(1)} s`);
        assert.ok(healthSlowest < 2000, `${file.name}: /healthz took up to ${Math.round(healthSlowest)} ms`);
        assert.ok(askSlowest < 2000, `${file.name}: a question took up to ${Math.round(askSlowest)} ms`);
      }
      // Reading these in the server would have held hundreds of MB (a 40 MB stream, inflated and copied).
      const growth = process.memoryUsage().rss - rssBefore;
      assert.ok(growth < 150 * MB, `the server's memory grew by ${Math.round(growth / MB)} MB`);
      const health = (await (await fetch(`${server.url}/healthz`)).json()) as { reports: { busy: unknown; last: { ok: boolean } } };
      assert.equal(health.reports.busy, null, 'no change is left holding the slot');
      assert.equal(health.reports.last.ok, false);
    });
  });
});

describe('the change slot', () => {
  test('an upload that stalls holds nothing: other changes go ahead, and it is cut at REQUEST_TIMEOUT_MS', { timeout: 60_000 }, async () => {
    await withServer({ ...env, REQUEST_TIMEOUT_MS: '1000', HEADERS_TIMEOUT_MS: '1000' }, async (server) => {
      const socket = net.connect(server.port, '127.0.0.1');
      await once(socket, 'connect');
      const closed = once(socket, 'close');
      socket.on('error', () => {});
      socket.resume(); // read what the server sends (its 408), so that its close reaches this side
      const stalledAt = performance.now();
      // The headers and 3 bytes of a body that announces 100,000.
      socket.write(`POST /api/reports HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: multipart/form-data; boundary=stalled\r\nContent-Length: 100000\r\n\r\n--s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const body = new FormData();
      body.set('file', new Blob([new TextEncoder().encode(suzhou.text)]), '苏州.txt');
      body.set('dryRun', 'true');
      const preview = await fetch(`${server.url}/api/reports`, { method: 'POST', body, headers: { authorization: `Bearer ${TOKEN}` } });
      assert.equal(preview.status, 200, 'the stalled upload does not hold the slot');
      assert.equal(((await preview.json()) as { report: { id: string } }).report.id, 'suzhou-2024');
      const health = (await (await fetch(`${server.url}/healthz`)).json()) as { reports: { busy: unknown } };
      assert.equal(health.reports.busy, null);
      await closed;
      const seconds = (performance.now() - stalledAt) / 1000;
      assert.ok(seconds < 6, `the stalled upload was cut after ${seconds.toFixed(1)} s`);
    });
  });
});

describe('the reader process', () => {
  const reader = (overrides: Partial<typeof DEFAULT_DOCUMENT_LIMITS>) => new ProcessDocumentReader({ ...DEFAULT_DOCUMENT_LIMITS, ...overrides });
  async function refusal(promise: Promise<unknown>): Promise<DocumentError> {
    const error = await promise.then(
      () => assert.fail('the document was accepted'),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof DocumentError, `expected a DocumentError, got ${String(error)}`);
    return error;
  }

  test('reading that outlasts DOCUMENT_TIMEOUT_MS is stopped and refused (422) naming it', async () => {
    // 20,000 pages are within a page limit of 100,000, but not readable in 1.5 s.
    const started = performance.now();
    const error = await refusal(reader({ pages: 100_000, milliseconds: 1500 }).read({ bytes: pdfManyPages(20_000), fileName: 'pages.pdf' }));
    assert.equal(error.problem, 'too_costly');
    assert.equal(error.status, 422);
    assert.equal(error.limit?.setting, 'DOCUMENT_TIMEOUT_MS');
    assert.ok(performance.now() - started < 10_000, 'stopped at the limit, not when done');
  });

  test('reading that needs more memory than DOCUMENT_MAX_HEAP_MB is stopped and refused (422) naming it', async () => {
    // 48 MB of paragraphs, within the unpacking limits, parse into far more than 200 MB of objects.
    const bytes = await docxZipBomb(opening, 48, suzhou.text.split('\n')[5]!);
    const error = await refusal(reader({ memoryBytes: 200 * MB }).read({ bytes, fileName: '苏州.docx' }));
    assert.equal(error.problem, 'too_costly');
    assert.equal(error.limit?.setting, 'DOCUMENT_MAX_HEAP_MB');
  });

  test('a real report still reads, in its own process', async () => {
    const document = await reader({}).read({ bytes: new TextEncoder().encode(suzhou.text), fileName: '苏州.txt' });
    assert.equal(document.text, suzhou.text);
  });
});
