// The chat page against a server with API_KEYS: the key from `?key=` (kept, and removed from the address
// bar) or typed when the page is refused, sent on fetches and on the Socket.IO handshake.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Browser, type Page } from 'playwright-core';
import { browserSkip, buildPage, launchBrowser, SCREENSHOTS } from '../helpers/browser.ts';
import type { RunningServer } from '../../src/main.ts';

const skip = browserSkip;
const KEY = 'page-key-7d2b';

let server: RunningServer;
let browser: Browser;

before(async () => {
  if (skip) return;
  buildPage();
  const { startServer } = await import('../../src/main.ts');
  server = await startServer({ port: 0, host: '127.0.0.1', env: { RATE_LIMIT_PER_MINUTE: '0', API_KEYS: KEY } });
  await server.ready;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function askOnPage(page: Page, question: string): Promise<string> {
  await page.waitForSelector('body[data-ready="true"]');
  await page.fill('#question', question);
  await page.click('#send');
  await page.waitForFunction(() => {
    const state = document.querySelector<HTMLElement>('.exchange')?.dataset.state;
    return state === 'done' || state === 'error' || state === 'stopped';
  }, undefined, { timeout: 60_000 });
  assert.equal(await page.locator('.exchange').first().getAttribute('data-state'), 'done');
  return (await page.locator('.exchange .answer-body').first().textContent()) ?? '';
}

test('a key given once in ?key= is sent with every request, and leaves the address bar', { skip }, async () => {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  const refused: string[] = [];
  page.on('response', (response) => {
    if (response.status() === 401) refused.push(response.url());
  });
  await page.goto(`${server.url}/?key=${KEY}`);
  const answer = await askOnPage(page, '2024年江苏省地区生产总值增长目标是多少？');
  assert.match(answer, /5%以上/);
  assert.doesNotMatch(page.url(), /key=/);
  assert.deepEqual(refused, []);
  await context.close();
});

test('without a key the page asks for one, then answers', { skip }, async () => {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  const prompts: string[] = [];
  page.on('dialog', (dialog) => {
    prompts.push(dialog.message());
    void dialog.accept(KEY);
  });
  await page.goto(`${server.url}/`);
  const answer = await askOnPage(page, '2024年江苏省地区生产总值增长目标是多少？');
  assert.match(answer, /5%以上/);
  assert.ok(prompts.length >= 1 && prompts.every((message) => /API key/.test(message)), `prompts: ${prompts.join(' | ')}`);
  await context.close();
});

test('the targets CSV downloads with the key (a plain link could not send it)', { skip }, async () => {
  const context = await browser.newContext({ locale: 'zh-CN', acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${server.url}/?key=${KEY}#/targets`);
  const link = page.locator('a.csv-link');
  await link.waitFor({ timeout: 30_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const path = await download.path();
  const { readFile } = await import('node:fs/promises');
  const csv = await readFile(path, 'utf8');
  assert.match(csv, /江苏省/);
  assert.doesNotMatch(csv, /unauthorized/);
  await context.close();
});
