// The 报告库 (library) view in headless Chromium against a real server over the small test corpus: with an
// ADMIN_TOKEN the upload panel asks for the token, reads the region, year and parent from the file for the
// user to confirm, shows progress, lists the added report (which questions then reach), warns of a
// duplicate before the upload, replaces and removes; without ADMIN_TOKEN it only lists. Screenshots go to
// results/screenshots/ (desktop 1440×900, phone 390×844).
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { type Browser, type Page } from 'playwright-core';
import { buildIndex } from '../../src/index/index-store.ts';
import type { RunningServer } from '../../src/main.ts';
import { withServer as startWith } from '../helpers/with-server.ts';
import { encodeGb18030 } from '../helpers/make-documents.ts';
import { browserSkip, buildPage, launchBrowser, SCREENSHOTS } from '../helpers/browser.ts';

const screenshots = SCREENSHOTS;
const skip = browserSkip;
const timeout = 60_000;
const TOKEN = 'e2e-admin-token-0123456789';
const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/mini-corpus/', import.meta.url));
const NANTONG_FILE = fileURLToPath(new URL('../../data/003_e36d639f412a290e.txt', import.meta.url));

let workDir: string;
let env: Record<string, string>;
let browser: Browser;
/** Test data: Nantong's 2024 report under a made-up 2025 title of 昆山市 (a county-level city the table lacks), in GB18030. */
let kunshanFile: string;
/** The same report with one paragraph more: another file of the same region and year. */
let kunshanRevised: string;

before(async () => {
  if (skip) return;
  buildPage();
  workDir = await mkdtemp(path.join(os.tmpdir(), 'gov-report-e2e-reports-'));
  env = { DATA_DIR: path.join(workDir, 'data'), INDEX_DIR: path.join(workDir, 'vectorstore'), RATE_LIMIT_PER_MINUTE: '0' };
  await cp(FIXTURE_DIR, env.DATA_DIR!, { recursive: true });
  await buildIndex({ dataDir: env.DATA_DIR!, indexDir: env.INDEX_DIR!, embedder: { kind: 'lsa' } });
  const text = `2025年昆山市政府工作报告\n${(await readFile(NANTONG_FILE, 'utf8')).replaceAll('南通', '昆山')}`;
  kunshanFile = path.join(workDir, '昆山市2025年政府工作报告.txt');
  kunshanRevised = path.join(workDir, '昆山市2025年政府工作报告（修订）.txt');
  await writeFile(kunshanFile, encodeGb18030(text));
  await writeFile(kunshanRevised, encodeGb18030(`${text}\n（本文件为测试数据：修订稿。）`));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

const withServer = (extra: Record<string, string>, run: (server: RunningServer) => Promise<void>): Promise<void> => startWith({ ...env, ...extra }, run);

async function openLibrary(server: RunningServer, width: number, height: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1, locale: 'zh-CN' });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
  await page.goto(`${server.url}/#/reports`);
  await page.waitForSelector('#reports-body[data-state="loaded"]', { timeout });
  return page;
}

const rowOf = (page: Page, title: string) => page.locator('#added-reports .report-row', { hasText: title });

async function confirmAndWait(page: Page): Promise<string> {
  await page.click('#report-confirm');
  await page.waitForSelector('#reports-body[data-busy=""] #added-reports', { timeout });
  return (await page.locator('.toast-text').textContent()) ?? '';
}

async function noSidewaysScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px`);
}

describe('with ADMIN_TOKEN', { skip }, () => {
  test('a report is chosen, its region, year and parent confirmed, added with progress, asked about, replaced and removed', async () => {
    await withServer({ ADMIN_TOKEN: TOKEN }, async (server) => {
      const page = await openLibrary(server, 1440, 900);
      // The targets table is read once before the add: it must be read again after it.
      await page.evaluate(() => (location.hash = '#/targets'));
      await page.waitForSelector('#targets-body[data-state="loaded"]', { timeout });
      assert.doesNotMatch((await page.locator('#targets-body').textContent()) ?? '', /昆山市/);
      await page.evaluate(() => (location.hash = '#/reports'));
      await page.waitForSelector('#reports-body[data-state="loaded"] .upload-card', { timeout });
      assert.equal(await page.locator('.upload-card').count(), 1, 'the upload panel is shown');
      assert.ok(await page.locator('#report-file').isDisabled(), 'no file can be chosen before the token is given');

      // A wrong token is refused when it is entered, before any file is chosen, and asked for again.
      await page.fill('#admin-token', 'wrong-token-wrong-token');
      await page.click('.token-row button[type=submit]');
      await page.waitForSelector('.token-row[data-state="wrong"]', { timeout });
      assert.match((await page.locator('.token-error').textContent()) ?? '', /管理令牌不正确/);
      assert.equal(await page.getAttribute('#admin-token', 'aria-invalid'), 'true');
      assert.ok(await page.locator('#report-file').isDisabled(), 'still no file can be chosen');
      await page.screenshot({ path: `${screenshots}/54-library-token-wrong-1440.png` });
      assert.equal(await page.locator('#added-reports').count(), 0);

      await page.fill('#admin-token', TOKEN);
      await page.click('.token-row button[type=submit]');
      await page.waitForSelector('.token-set', { timeout });
      assert.ok(await page.locator('#report-file').isEnabled(), 'a right token opens the file chooser');
      await page.setInputFiles('#report-file', kunshanFile);
      await page.waitForSelector('.upload-confirm[data-state="detected"]', { timeout });
      assert.equal(await page.inputValue('#report-region'), '昆山市');
      assert.equal(await page.inputValue('#report-year'), '2025');
      assert.equal(await page.inputValue('#report-parent'), '苏州市', 'the parent comes from the gazetteer');
      assert.match((await page.locator('.confirm-file').textContent()) ?? '', /GB18030/);
      assert.match((await page.locator('.confirm-note').textContent()) ?? '', /昆山市是资料库的新地区/);
      assert.equal(await page.locator('#added-reports').count(), 0, 'nothing is added before the user confirms');
      await page.screenshot({ path: `${screenshots}/50-library-confirm-1440.png` });

      // Progress is seen while the server indexes (the bar and a stage label), then the row is listed.
      const stages = new Set<string>();
      const watcher = setInterval(() => {
        void page
          .locator('.upload-progress-text')
          .textContent({ timeout: 200 })
          .then((text) => text && stages.add(text))
          .catch(() => undefined);
      }, 50);
      const added = await confirmAndWait(page).finally(() => clearInterval(watcher));
      assert.ok(stages.size > 0, 'a progress line was shown');
      assert.match(added, /已添加《2025年昆山市政府工作报告》：\d+段/);
      const row = rowOf(page, '2025年昆山市政府工作报告');
      assert.equal(await row.count(), 1);
      assert.match((await row.textContent()) ?? '', /苏州市/);
      // The brand names the years the library now holds.
      await page.waitForFunction(() => document.querySelector('.brand-subtitle')?.textContent?.startsWith('2024、2025年'), undefined, { timeout });
      await page.screenshot({ path: `${screenshots}/51-library-added-1440.png` });
      await page.evaluate(() => (location.hash = '#/targets'));
      await page.waitForSelector('#targets-body[data-state="loaded"]', { timeout });
      assert.match((await page.locator('#targets-body').textContent()) ?? '', /昆山市/, 'the targets table shows the added region');
      await page.evaluate(() => (location.hash = '#/reports'));
      await page.waitForSelector('#reports-body[data-state="loaded"] #added-reports', { timeout });

      // The same file again: the dry run warns before anything is sent for adding, and adding is disabled.
      await page.setInputFiles('#report-file', kunshanFile);
      await page.waitForSelector('.confirm-warning', { timeout });
      assert.match((await page.locator('.confirm-warning').textContent()) ?? '', /已在资料库中/);
      assert.ok(await page.locator('#report-confirm').isDisabled());
      await page.click('.confirm-actions button.ghost');

      // Another file of the same region and year: offered as a replacement, and replaced.
      await page.setInputFiles('#report-file', kunshanRevised);
      await page.waitForSelector('.confirm-warning', { timeout });
      assert.match((await page.locator('#report-confirm').textContent()) ?? '', /替换现有报告/);
      assert.match(await confirmAndWait(page), /已替换《2025年昆山市政府工作报告》/);
      assert.equal(await rowOf(page, '2025年昆山市政府工作报告').count(), 1, 'still one report of 昆山市 2025');

      // The new region is offered in the chat, and a question about it is answered from its report.
      await rowOf(page, '2025年昆山市政府工作报告').locator('button', { hasText: '就该地区提问' }).click();
      await page.waitForSelector('body[data-view="chat"]');
      assert.equal(await page.getAttribute('#region-button', 'data-value'), '昆山市');
      await page.fill('#question', '昆山今年GDP增长目标是多少？');
      await page.click('#send');
      await page.waitForSelector('.exchange[data-state="done"]', { timeout });
      const answer = (await page.locator('.exchange .answer-body').first().textContent()) ?? '';
      assert.match(answer, /2025年昆山市政府工作报告/);
      assert.match(answer, /地区生产总值增长5\.5%以上/);

      // Removing takes a second click to confirm, then the row is gone.
      await page.goto(`${server.url}/#/reports`);
      await page.waitForSelector('#added-reports', { timeout });
      const kunshan = rowOf(page, '2025年昆山市政府工作报告');
      await kunshan.locator('button', { hasText: '删除' }).click();
      assert.equal(await rowOf(page, '2025年昆山市政府工作报告').count(), 1, 'one click does not remove');
      await rowOf(page, '2025年昆山市政府工作报告').locator('button', { hasText: '确认删除' }).click();
      await page.waitForSelector('#reports-body[data-busy=""]:not(:has(#added-reports))', { timeout });
      assert.match((await page.locator('.toast-text').textContent()) ?? '', /已删除《2025年昆山市政府工作报告》/);
      await page.context().close();
    });
  });

  test('on a phone (390×844) the panel and the list fit, in Chinese and in English', async () => {
    await withServer({ ADMIN_TOKEN: TOKEN }, async (server) => {
      const page = await openLibrary(server, 390, 844);
      await page.fill('#admin-token', TOKEN);
      await page.click('.token-row button[type=submit]');
      await page.setInputFiles('#report-file', kunshanFile);
      await page.waitForSelector('.upload-confirm[data-state="detected"]', { timeout });
      await noSidewaysScroll(page);
      await page.screenshot({ path: `${screenshots}/52-library-confirm-390.png` });
      await confirmAndWait(page);
      await page.locator('#added-reports').scrollIntoViewIfNeeded();
      await noSidewaysScroll(page);
      await page.screenshot({ path: `${screenshots}/53-library-added-390.png` });
      await page.click('#language-toggle');
      assert.equal(await page.locator('.view-reports h2').textContent(), 'Library');
      assert.match((await page.locator('#added-reports').textContent()) ?? '', /passages · added/);
      await page.context().close();
    });
  });
});

describe('without ADMIN_TOKEN', { skip }, () => {
  test('the library is listed, with no upload panel and a note saying how reports are added', async () => {
    await withServer({}, async (server) => {
      const page = await openLibrary(server, 1440, 900);
      assert.equal(await page.locator('.upload-card').count(), 0);
      assert.match((await page.locator('.upload-off').textContent()) ?? '', /ADMIN_TOKEN/);
      assert.ok((await page.locator('#seed-reports .report-row').count()) > 0, 'the shipped reports are listed');
      assert.equal(await page.locator('.report-row button', { hasText: '删除' }).count(), 0, 'nothing can be removed');
      await page.context().close();
    });
  });
});
