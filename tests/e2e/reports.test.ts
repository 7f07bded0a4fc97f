// The 报告库 (library) view in headless Chromium against a real server over the small test corpus: with an
// ADMIN_TOKEN the upload panel asks for the token, reads the region, year and parent from the file for the
// user to confirm, shows progress, lists the added report (which questions then reach), warns of a
// duplicate before the upload, replaces and removes; a shipped report is withdrawn (no longer answered),
// listed as withdrawn and restored, and replaced by an upload and restored over it; without ADMIN_TOKEN it
// only lists. Screenshots go to results/screenshots/ (desktop 1440×900, phone 390×844, light and dark).
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
/** Zhenjiang's shipped 2024 report with a title and one paragraph more: an upload that replaces a shipped report. */
let zhenjiangUpload: string;

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
  zhenjiangUpload = path.join(workDir, '2024年镇江市政府工作报告（更新）.txt');
  await writeFile(zhenjiangUpload, `2024年镇江市政府工作报告\n${await readFile(path.join(FIXTURE_DIR, 'zhenjiang.md'), 'utf8')}\n新增一段：全市新建5G基站3000个。`);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

const withServer = (extra: Record<string, string>, run: (server: RunningServer) => Promise<void>): Promise<void> => startWith({ ...env, ...extra }, run);

/** Waits for the last message at the bottom of the page to go by itself (4 s), so a screenshot shows what it covered. */
const toastGone = (page: Page): Promise<unknown> => page.waitForSelector('#toast-region', { state: 'hidden', timeout });

async function openLibrary(server: RunningServer, width: number, height: number, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1, locale: 'zh-CN', colorScheme });
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

  test('a shipped report is withdrawn (no longer answered, listed, restorable), replaced by an upload, and restored over it', async () => {
    await withServer({ ADMIN_TOKEN: TOKEN }, async (server) => {
      const page = await openLibrary(server, 1440, 900);
      await page.fill('#admin-token', TOKEN);
      await page.click('.token-row button[type=submit]');
      await page.waitForSelector('.token-set', { timeout });
      const shippedRow = () => page.locator('#seed-reports .report-row', { hasText: '2024年镇江市政府工作报告' });
      const withdrawnRow = () => page.locator('#withdrawn-reports .report-row', { hasText: '2024年镇江市政府工作报告' });
      const ask = async (question: string): Promise<string> => {
        await page.evaluate(() => (location.hash = '#/'));
        await page.waitForSelector('body[data-view="chat"]');
        const before = await page.locator('.exchange[data-state="done"]').count();
        await page.fill('#question', question);
        await page.click('#send');
        await page.waitForFunction((count) => document.querySelectorAll('.exchange[data-state="done"]').length > count, before, { timeout });
        return (await page.locator('.exchange[data-state="done"] .answer-body').last().textContent()) ?? '';
      };
      const library = async (): Promise<void> => {
        await page.evaluate(() => (location.hash = '#/reports'));
        await page.waitForSelector('#reports-body[data-state="loaded"][data-busy=""] #seed-reports', { timeout });
      };
      assert.match(await ask('镇江今年地区生产总值增长目标是多少？'), /5\.2%以上/, 'answered while shipped');
      await library();

      // Removing a shipped report takes a second click, which says what happens to it.
      assert.equal(await shippedRow().getAttribute('data-origin'), 'seed');
      await shippedRow().locator('button', { hasText: '删除' }).click();
      const confirmRemoval = shippedRow().locator('button', { hasText: '确认移除内置报告' });
      assert.match((await confirmRemoval.getAttribute('title')) ?? '', /原始文件保留/);
      await page.screenshot({ path: `${screenshots}/55-library-remove-shipped-1440.png` });
      await confirmRemoval.click();
      await page.waitForSelector('#reports-body[data-busy=""] #withdrawn-reports', { timeout });
      assert.match((await page.locator('.toast-text').textContent()) ?? '', /已移除内置报告《2024年镇江市政府工作报告》/);
      assert.equal(await shippedRow().count(), 0, 'no longer among the shipped reports');
      assert.match((await withdrawnRow().textContent()) ?? '', /原始文件保留/);
      await toastGone(page);
      await page.screenshot({ path: `${screenshots}/56-library-withdrawn-1440.png` });
      const listed = (await (await fetch(`${server.url}/api/reports`)).json()) as { reports: { id: string }[]; withdrawn: { id: string }[] };
      assert.ok(!listed.reports.some((report) => report.id === 'zhenjiang-2024') && listed.withdrawn.some((entry) => entry.id === 'zhenjiang-2024'));
      assert.match(await ask('镇江今年地区生产总值增长目标是多少？'), /现有报告中未找到镇江市的政府工作报告/, 'no longer answered');

      // Restored in one click: answered again.
      await library();
      await withdrawnRow().locator('button', { hasText: '恢复' }).click();
      await page.waitForSelector('#reports-body[data-busy=""]:not(:has(#withdrawn-reports))', { timeout });
      assert.match((await page.locator('.toast-text').textContent()) ?? '', /已恢复《2024年镇江市政府工作报告》/);
      assert.equal(await shippedRow().count(), 1);
      assert.match(await ask('镇江今年地区生产总值增长目标是多少？'), /5\.2%以上/, 'answered again');

      // An upload of the same region and year is offered as its replacement, and replaces it.
      await library();
      await page.setInputFiles('#report-file', zhenjiangUpload);
      await page.waitForSelector('.confirm-warning', { timeout });
      assert.match((await page.locator('.confirm-warning').textContent()) ?? '', /资料库内置了《2024年镇江市政府工作报告》。确认后将以这份文件替换它/);
      assert.match((await page.locator('#report-confirm').textContent()) ?? '', /替换现有报告/);
      await toastGone(page);
      await page.screenshot({ path: `${screenshots}/57-library-replace-shipped-1440.png` });
      assert.match(await confirmAndWait(page), /已替换《2024年镇江市政府工作报告》/);
      assert.equal(await rowOf(page, '2024年镇江市政府工作报告').count(), 1, 'the upload is listed among the added reports');
      assert.match((await withdrawnRow().textContent()) ?? '', /已由上传的同地区同年份报告替换/);
      assert.match(await ask('镇江今年新建多少5G基站？'), /3000个/, 'the upload answers');

      // Restoring over the upload asks first, then puts the shipped report back and the upload goes.
      await library();
      await withdrawnRow().locator('button', { hasText: '恢复' }).click();
      const confirmRestore = withdrawnRow().locator('button', { hasText: '确认恢复（替换上传的报告）' });
      assert.equal(await confirmRestore.count(), 1, 'one click does not drop the upload');
      await confirmRestore.click();
      await page.waitForSelector('#reports-body[data-busy=""]:not(:has(#withdrawn-reports))', { timeout });
      assert.equal(await rowOf(page, '2024年镇江市政府工作报告').count(), 0, 'the upload is gone');
      assert.equal(await shippedRow().count(), 1, 'the shipped report is back');
      await page.context().close();
    });
  });

  test('on a phone (390×844), in light and dark, a withdrawn report is listed with its restore button and fits', async () => {
    await withServer({ ADMIN_TOKEN: TOKEN }, async (server) => {
      for (const scheme of ['light', 'dark'] as const) {
        const page = await openLibrary(server, 390, 844, scheme);
        await page.fill('#admin-token', TOKEN);
        await page.click('.token-row button[type=submit]');
        await page.waitForSelector('.token-set', { timeout });
        if (scheme === 'light') {
          const row = page.locator('#seed-reports .report-row', { hasText: '2024年四川省政府工作报告' });
          await row.locator('button', { hasText: '删除' }).click();
          await row.locator('button', { hasText: '确认移除内置报告' }).click();
          await page.waitForSelector('#reports-body[data-busy=""] #withdrawn-reports', { timeout });
        }
        await page.locator('#withdrawn-reports').scrollIntoViewIfNeeded();
        await noSidewaysScroll(page);
        assert.ok(await page.locator('#withdrawn-reports button', { hasText: '恢复' }).isEnabled());
        await toastGone(page);
        await page.screenshot({ path: `${screenshots}/58-library-withdrawn-390-${scheme}.png` });
        if (scheme === 'dark') {
          await page.setViewportSize({ width: 1440, height: 900 });
          await page.locator('#withdrawn-reports').scrollIntoViewIfNeeded();
          await toastGone(page);
          await page.screenshot({ path: `${screenshots}/59-library-withdrawn-1440-dark.png` });
          await page.click('#language-toggle');
          assert.match((await page.locator('#withdrawn-reports').textContent()) ?? '', /removed .* · file kept/);
          assert.match((await page.locator('.view-reports').textContent()) ?? '', /Removed shipped reports \(1\)/);
          await page.click('#language-toggle');
          await page.locator('#withdrawn-reports button', { hasText: '恢复' }).click();
          await page.waitForSelector('#reports-body[data-busy=""]:not(:has(#withdrawn-reports))', { timeout });
        }
        await page.context().close();
      }
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
