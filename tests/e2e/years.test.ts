// The 目标一览 and 地区重点 pages in headless Chromium over a corpus of two report years (the mini corpus
// plus Jiangsu 2025, a fixture clearly marked as test data): a year selector appears, and picking a year
// shows that year's targets and priorities, with the year in the titles and in the CSV link.
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { browserSkip, buildPage, launchBrowser, SCREENSHOTS } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from './test-server.ts';

const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/mini-corpus/', import.meta.url));
const JIANGSU_2025 = fileURLToPath(new URL('../fixtures/multi-year/jiangsu-2025-test.txt', import.meta.url));
const skip = browserSkip;
const timeout = 60_000;

let workDir: string;
let server: TestServer;
let browser: Browser;
let context: BrowserContext;

before(async () => {
  if (skip) return;
  buildPage();
  // Imported here so that a missing browser skips the tests without loading the index code.
  const { buildIndex } = await import('../../src/index/index-store.ts');
  const { addReports } = await import('../../src/index/update-index.ts');
  const { readDocument } = await import('../../src/corpus/read-document.ts');
  const { buildUserReport } = await import('../../src/corpus/user-report.ts');
  workDir = await mkdtemp(path.join(os.tmpdir(), 'gov-report-ui-years-'));
  const settings = { dataDir: path.join(workDir, 'data'), indexDir: path.join(workDir, 'vectorstore'), embedder: { kind: 'lsa' as const } };
  await cp(FIXTURE_DIR, settings.dataDir, { recursive: true });
  await buildIndex(settings);
  const document = await readDocument({ bytes: await readFile(JIANGSU_2025), fileName: 'jiangsu-2025-test.txt' });
  await addReports(settings, [{ document, report: buildUserReport(document) }]);
  server = await startTestServer({ DATA_DIR: settings.dataDir, INDEX_DIR: settings.indexDir });
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1, locale: 'zh-CN' });
});

after(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

async function open(hash: string, ready: string): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
  await page.goto(`${server.url}/${hash}`);
  await page.waitForSelector(ready, { timeout });
  return page;
}

const jiangsuGdp = (page: Page): Promise<string | null> => page.getAttribute('#targets-body tbody tr[data-region="江苏省"]', 'data-value');

test('the targets page offers the years; picking one shows that year’s rows, title and CSV link', { skip }, async () => {
  const page = await open('#/targets', '#targets-body[data-state="loaded"] .targets-table');
  assert.equal(await page.getAttribute('#targets-body', 'data-years'), '2024,2025');
  assert.deepEqual(await page.$$eval('#targets-year option', (options) => options.map((option) => (option as HTMLOptionElement).value)), ['', '2025', '2024']);
  // Each region's latest: Jiangsu's 2025 target beside the other regions' 2024 ones.
  assert.equal(await jiangsuGdp(page), '5.5%左右');
  assert.equal(await page.locator('#targets-body h2').textContent(), '2024、2025年主要目标一览');

  await page.selectOption('#targets-year', '2024');
  await page.waitForSelector('#targets-body[data-state="loaded"] .targets-table', { timeout });
  assert.equal(await jiangsuGdp(page), '5%以上');
  assert.equal(await page.locator('#targets-body h2').textContent(), '2024年主要目标一览');
  assert.match((await page.getAttribute('.csv-link', 'href')) ?? '', /[?&]year=2024/);
  assert.equal(await page.getAttribute('.csv-link', 'download'), 'targets-2024-gdp_growth.csv', 'the year and the filter shown (GDP growth) name the file');

  await page.selectOption('#targets-year', '2025');
  await page.waitForSelector('#targets-body[data-state="loaded"] .targets-table', { timeout });
  assert.equal(await page.locator('#targets-body h2').textContent(), '2025年主要目标一览');
  assert.deepEqual(await page.$$eval('#targets-body tbody tr', (rows) => [...new Set(rows.map((row) => (row as HTMLElement).dataset.region))]), ['江苏省']);
  assert.equal(await page.inputValue('#targets-year'), '2025');
  await page.close();
});

test('the priorities page of a region with two years: the latest first, the other year on request', { skip }, async () => {
  const page = await open(`#/priorities/${encodeURIComponent('江苏省')}`, '#priorities-body[data-state="loaded"]');
  assert.equal(await page.locator('#priorities-body h2').textContent(), '江苏省 2025年重点');
  assert.equal(await page.locator('#priorities-body .report-title').textContent(), '2025年江苏省政府工作报告');
  assert.equal(await page.inputValue('.priorities-year'), '2025');
  await page.selectOption('.priorities-year', '2024');
  await page.waitForFunction(() => document.querySelector('#priorities-body h2')?.textContent === '江苏省 2024年重点', undefined, { timeout });
  await page.waitForSelector('#priorities-body[data-state="loaded"]', { timeout });
  assert.equal(await page.locator('#priorities-body .report-title').textContent(), '2024年江苏省政府工作报告');
  assert.equal(await page.getAttribute('#priorities-body .region-targets', 'aria-label'), '本地区2024年主要预期目标');
  // A region with one year has no selector.
  await page.goto(`${server.url}/#/priorities/${encodeURIComponent('镇江市')}`);
  await page.waitForFunction(() => document.querySelector<HTMLElement>('#priorities-body')?.dataset.region === '镇江市' && document.querySelector<HTMLElement>('#priorities-body')?.dataset.state === 'loaded', undefined, { timeout });
  assert.equal(await page.locator('.priorities-year').count(), 0);
  await page.close();
});
