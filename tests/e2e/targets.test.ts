// The 目标一览 page in headless Chromium against the real server: the table sorts by value and filters by
// indicator, level and region group; a value opens its passage; the CSV downloads; the chart has tooltips
// and keyboard access, keeps the national total off the scale of absolute indicators; the phone layout fits.
// Expected values come from the hand-verified fixture. Screenshots go to results/screenshots/.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { browserSkip, buildPage, launchBrowser, SCREENSHOTS } from '../helpers/browser.ts';
import { verifiedTargetsSchema } from '../../src/answer/extract-targets.ts';
import { startTestServer, type TestServer } from './test-server.ts';

const screenshots = SCREENSHOTS;
const skip = browserSkip;
const timeout = 60_000;
const fixture = verifiedTargetsSchema.parse(JSON.parse(readFileSync(new URL('../fixtures/targets-verified.json', import.meta.url), 'utf8')));
const fixtureValue = (region: string, indicator: string, scope = 'all'): string | undefined =>
  fixture.regions.find((entry) => entry.region === region)?.targets.find((target) => target.indicator === indicator && target.scope === scope)?.value;
const leadingNumber = (value: string): number => Number(/^\d+(?:\.\d+)?/.exec(value)?.[0] ?? NaN);

let server: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function openTargets(width: number, height: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1, locale: 'zh-CN', acceptDownloads: true });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
  await page.goto(`${server.url}/#/targets`);
  await page.waitForSelector('#targets-body[data-state="loaded"] .targets-table', { timeout });
  return page;
}

/** The table's rows as [region, value], in order. */
const tableRows = (page: Page): Promise<string[][]> =>
  page.$$eval('#targets-body .targets-table tbody tr', (rows) => rows.map((row) => [(row as HTMLElement).dataset.region ?? '', (row as HTMLElement).dataset.value ?? '']));

before(async () => {
  if (skip) return;
  buildPage();
  server = await startTestServer();
  browser = await launchBrowser();
});

after(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.close();
});

test('the table shows every region’s GDP target as written, highest first, and sorts by value both ways', { skip }, async () => {
  const page = await openTargets(1440, 900);
  const rows = await tableRows(page);
  const expected = fixture.regions.filter((entry) => fixtureValue(entry.region, 'gdp_growth'));
  assert.equal(rows.length, expected.length);
  for (const [region, value] of rows) assert.equal(value, fixtureValue(region!, 'gdp_growth'), `${region} as written`);
  const numbers = rows.map(([, value]) => leadingNumber(value!));
  assert.deepEqual(numbers, [...numbers].sort((left, right) => right - left), 'highest first');
  assert.equal(await page.getAttribute('th.col-value', 'aria-sort'), 'descending');
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${screenshots}/11-targets-1440.png` });

  await page.click('.sort-button');
  assert.equal(await page.getAttribute('th.col-value', 'aria-sort'), 'ascending');
  const ascending = (await tableRows(page)).map(([, value]) => leadingNumber(value!));
  assert.deepEqual(ascending, [...ascending].sort((left, right) => left - right), 'lowest first');
  // The sort button keeps the keyboard focus after re-rendering.
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('sort-button')), true);
  await page.keyboard.press('Enter');
  assert.equal(await page.getAttribute('th.col-value', 'aria-sort'), 'none');
});

test('with one report year the page is as before: no year selector, 2024 in the title, targets-2024-….csv', { skip }, async () => {
  const page = await openTargets(1440, 900);
  assert.equal(await page.getAttribute('#targets-body', 'data-years'), '2024', 'the server listed the one year');
  assert.equal(await page.locator('#targets-year').count(), 0);
  assert.equal(await page.locator('#targets-body h2').textContent(), '2024年主要目标一览');
  // The table opens on GDP growth: its CSV is that filter's, and named so.
  assert.equal(await page.getAttribute('.csv-link', 'download'), 'targets-2024-gdp_growth.csv');
  assert.doesNotMatch((await page.getAttribute('.csv-link', 'href')) ?? '', /year=/);
  await page.goto(`${server.url}/#/priorities/${encodeURIComponent('江苏省')}`);
  await page.waitForSelector('#priorities-body[data-state="loaded"]', { timeout });
  assert.equal(await page.locator('#priorities-body h2').textContent(), '江苏省 2024年重点');
  assert.equal(await page.locator('.priorities-year').count(), 0);
});

test('filters by indicator, level and region group, and the table follows the fixture', { skip }, async () => {
  const page = await openTargets(1440, 900);
  await page.selectOption('#targets-indicator', 'cpi');
  await page.selectOption('#targets-group', 'northeast');
  const rows = await tableRows(page);
  const expected = ['辽宁省', '吉林省', '黑龙江省'].filter((region) => fixtureValue(region, 'cpi')).map((region) => [region, fixtureValue(region, 'cpi')]);
  assert.deepEqual([...rows].sort(), [...expected].sort());
  assert.ok(expected.length < 3, 'the fixture has a northeastern province without a CPI target, and the table leaves it out');

  await page.selectOption('#targets-group', '');
  await page.selectOption('#targets-indicator', 'income');
  await page.selectOption('#targets-level', 'province');
  const income = await page.$$eval('#targets-body tbody tr[data-region="安徽省"]', (elements) => elements.map((row) => [(row as HTMLElement).dataset.scope, (row as HTMLElement).dataset.value]));
  // Sorted highest first: the rural 7.5% before the urban 6.5%.
  assert.deepEqual(income, [
    ['rural', fixtureValue('安徽省', 'income', 'rural')],
    ['urban', fixtureValue('安徽省', 'income', 'urban')],
  ]);
  const regions = await page.$$eval('#targets-body tbody tr', (elements) => elements.map((row) => (row as HTMLElement).dataset.region));
  assert.ok(!regions.includes('全国') && !regions.includes('苏州市'), 'provinces only');
});

test('a value opens the passage it was read from, which holds the value', { skip }, async () => {
  const page = await openTargets(1440, 900);
  await page.selectOption('#targets-indicator', 'exports');
  const link = page.locator('#targets-body tbody tr[data-region="福建省"] .value-link');
  assert.equal(await link.textContent(), fixtureValue('福建省', 'exports'));
  const passageId = await link.getAttribute('data-passage-id');
  await link.click();
  await page.waitForSelector('#passage-panel.open[data-state="loaded"]', { timeout });
  assert.equal(await page.getAttribute('#passage-panel', 'data-passage-id'), passageId);
  const text = (await page.locator('#passage-panel .passage').textContent()) ?? '';
  assert.ok(text.includes(`出口增长${fixtureValue('福建省', 'exports')}`), 'the passage quotes the value');
  await page.screenshot({ path: `${screenshots}/12-targets-passage-1440.png` });
  await page.keyboard.press('Escape');
  // The region cell opens the same passage.
  await page.click('#targets-body tbody tr[data-region="福建省"] .region-link');
  await page.waitForSelector('#passage-panel.open[data-state="loaded"]', { timeout });
  assert.equal(await page.getAttribute('#passage-panel', 'data-passage-id'), passageId);
});

test('the CSV export downloads the filtered table with a BOM, quotes and passage ids', { skip }, async () => {
  const page = await openTargets(1440, 900);
  await page.selectOption('#targets-group', 'jingjinji');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('.csv-link')]);
  assert.match(download.suggestedFilename(), /^(?:targets-2024|2024年主要预期目标)-gdp_growth-jingjinji\.csv$/, 'a filtered table is saved under a name that says so');
  const bytes = readFileSync((await download.path())!);
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const lines = bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
  assert.match(lines[0]!, /^region,level,indicator,label,scope,value,.*passage_id,quote$/);
  const gdp = lines.slice(1).filter((line) => line.split(',')[2] === 'gdp_growth');
  assert.deepEqual(gdp.map((line) => line.split(',')[0]), ['北京市', '天津市', '河北省']);
  for (const line of gdp) {
    const [region, , , , , value] = line.split(',');
    assert.equal(value, fixtureValue(region!, 'gdp_growth'));
    assert.match(line, /,[a-z-]+-2024#p\d+,/);
  }
});

test('the chart has a keyboard path with tooltips; on an absolute indicator the national total stays off the scale', { skip }, async () => {
  const page = await openTargets(1440, 900);
  await page.waitForSelector('#targets-body .chart canvas');
  assert.equal(await page.getAttribute('.chart', 'data-national'), 'line');
  await page.focus('#targets-body .chart');
  await page.keyboard.press('ArrowDown');
  const top = await page.getAttribute('.chart', 'data-focused');
  const gdp = fixture.regions.map((entry) => [entry.region, fixtureValue(entry.region, 'gdp_growth')] as const).filter(([, value]) => value);
  const highest = Math.max(...gdp.map(([, value]) => leadingNumber(value!)));
  assert.ok(gdp.some(([region, value]) => `${region}:all` === top && leadingNumber(value!) === highest), `the first bar (${top}) is a highest target`);
  assert.match((await page.locator('#targets-chart-live').textContent()) ?? '', /地区生产总值增长/);
  // The tooltip ECharts shows for the focused bar.
  await page.waitForFunction(() => [...document.querySelectorAll('#targets-body .chart div')].some((element) => element.textContent?.includes('原文') && getComputedStyle(element).display !== 'none'));
  await page.locator('#targets-body .chart').scrollIntoViewIfNeeded();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${screenshots}/18-targets-tooltip-1440.png` });

  await page.selectOption('#targets-indicator', 'urban_jobs');
  await page.waitForSelector('.chart[data-indicator="urban_jobs"]');
  assert.equal(await page.getAttribute('.chart', 'data-national'), 'apart');
  const caption = (await page.locator('.national-caption').textContent()) ?? '';
  assert.ok(caption.includes(fixtureValue('全国', 'urban_jobs')!), 'the national total is shown apart, as written');
  const charted = Number(await page.getAttribute('.chart', 'data-count'));
  const provinces = fixture.regions.filter((entry) => entry.region !== '全国' && fixtureValue(entry.region, 'urban_jobs')).length;
  assert.equal(charted, provinces, 'every region but the nation is charted');
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${screenshots}/13-targets-jobs-1440.png` });
});

test('on a phone (390×844) nothing overflows sideways and the chart labels fit', { skip }, async () => {
  const page = await openTargets(390, 844);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
  const table = (await page.locator('.targets-table').boundingBox())!;
  assert.ok(table.x >= 0 && table.x + table.width <= 390 + 1, 'the table fits the screen width');
  const chart = (await page.locator('#targets-body .chart').boundingBox())!;
  assert.ok(chart.x >= 0 && chart.x + chart.width <= 390 + 1, 'the chart fits the screen width');
  await page.screenshot({ path: `${screenshots}/14-targets-390.png` });
  await page.locator('#targets-body .chart').scrollIntoViewIfNeeded();
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${screenshots}/15-targets-chart-390.png` });
});

test('a province’s 地区重点 view shows its own targets table, urban and rural income apart, values opening passages', { skip }, async () => {
  const page = await openTargets(390, 844);
  await page.goto(`${server.url}/#/priorities/${encodeURIComponent('安徽省')}`);
  await page.waitForSelector('#priorities-body[data-state="loaded"] .targets-table', { timeout });
  const rows = await page.$$eval('#priorities-body .targets-table tbody tr', (elements) => elements.map((row) => [(row as HTMLElement).dataset.indicator, (row as HTMLElement).dataset.scope, (row as HTMLElement).dataset.value]));
  const anhui = fixture.regions.find((entry) => entry.region === '安徽省')!;
  assert.deepEqual([...rows].map((row) => row.join('|')).sort(), anhui.targets.map((target) => [target.indicator, target.scope, target.value].join('|')).sort());
  await page.screenshot({ path: `${screenshots}/16-priorities-targets-390.png` });
  await page.click('#priorities-body tr[data-indicator="income"][data-scope="rural"] .value-link');
  await page.waitForSelector('#passage-panel.open[data-state="loaded"]', { timeout });
  assert.match((await page.locator('#passage-panel .passage').textContent()) ?? '', /7\.5%/);
});

test('in English the table, filters and chart speak English and values stay as written', { skip }, async () => {
  const page = await openTargets(1440, 900);
  await page.click('#language-toggle');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.equal((await page.locator('#targets-body thead th.col-region').textContent())?.trim(), 'Region');
  assert.match((await page.locator('label:has(#targets-indicator) .filter-label').textContent()) ?? '', /Indicator/);
  const jiangsu = page.locator('#targets-body tbody tr[data-region="江苏省"]');
  assert.equal((await jiangsu.locator('.region-link').textContent())?.trim(), 'Jiangsu');
  assert.equal(await jiangsu.locator('.value-link').textContent(), fixtureValue('江苏省', 'gdp_growth'));
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${screenshots}/17-targets-en-1440.png` });
  await page.click('#language-toggle');
});
