// The chat page in headless Chromium against the real server: ask, stream, cite, follow up, priorities, targets, safety.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { browserSkip, buildPage, launchBrowser, SCREENSHOTS } from '../helpers/browser.ts';
import { mockSocketServer, refuseSocketConnections } from './socket-io-mock.ts';
import { startTestServer, type TestServer } from './test-server.ts';

const screenshots = SCREENSHOTS;
const skip = browserSkip;
if (skip) console.log(`# ${skip}`);

const answerTimeout = 60_000;
let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** Socket.IO frames the main page sent, in order. */
const sentFrames: string[] = [];

async function shoot(target: Page, name: string): Promise<void> {
  await target.screenshot({ path: `${screenshots}/${name}.png`, fullPage: false });
}

async function openPage(options: { width?: number; height?: number } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const newContext = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 860 },
    deviceScaleFactor: 1,
    locale: 'zh-CN',
  });
  const newPage = await newContext.newPage();
  newPage.on('pageerror', (error) => console.error('page error:', error.message));
  newPage.on('console', (message) => {
    if (message.type() === 'error') console.error('console error:', message.text());
  });
  newPage.on('websocket', (socket) => socket.on('framesent', (frame) => sentFrames.push(String(frame.payload))));
  await newPage.goto(`${server.url}/`);
  await newPage.waitForSelector('body[data-ready="true"]');
  return { context: newContext, page: newPage };
}

async function ask(target: Page, question: string): Promise<number> {
  const before = await target.locator('.exchange').count();
  await target.fill('#question', question);
  await target.click('#send');
  const exchange = target.locator('.exchange').nth(before);
  await exchange.waitFor();
  await target.waitForFunction(
    (index) => {
      const state = document.querySelectorAll<HTMLElement>('.exchange')[index]?.dataset.state;
      return state === 'done' || state === 'error' || state === 'stopped';
    },
    before,
    { timeout: answerTimeout },
  );
  return before;
}

before(async () => {
  if (skip) return;
  buildPage();
  server = await startTestServer();
  browser = await launchBrowser();
  ({ context, page } = await openPage());
});

after(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

test('an empty chat offers suggested questions in Chinese', { skip }, async () => {
  await page.waitForSelector('.suggestion');
  assert.ok((await page.locator('.suggestion').count()) >= 3);
  assert.equal(await page.locator('.nav a[data-nav="chat"]').textContent(), '对话');
  await shoot(page, '01-empty-chat');
});

test('an empty question shows an error and sends nothing', { skip }, async () => {
  await page.fill('#question', '   ');
  await page.click('#send');
  const error = page.locator('#composer-error');
  await error.waitFor({ state: 'visible' });
  assert.match((await error.textContent()) ?? '', /请输入问题/);
  assert.equal(await page.locator('.exchange').count(), 0);
  await shoot(page, '02-empty-question');
});

test('a question streams in an answer with the resolved region, the mode and citations', { skip }, async () => {
  await page.evaluate(() => {
    const states: string[] = [];
    (window as unknown as { __answerStates: string[] }).__answerStates = states;
    new MutationObserver((records) => {
      for (const record of records) {
        const element = record.target as HTMLElement;
        if (element.classList.contains('exchange')) states.push(element.dataset.state ?? '');
      }
    }).observe(document.getElementById('chat-log')!, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
  });
  const index = await ask(page, '2024年江苏省地区生产总值增长目标是多少？');
  const exchange = page.locator('.exchange').nth(index);
  assert.equal(await exchange.getAttribute('data-state'), 'done');
  const states = await page.evaluate(() => (window as unknown as { __answerStates: string[] }).__answerStates);
  assert.ok(states.includes('streaming'), `the answer streamed (states: ${states.join(' → ')})`);

  const answer = (await exchange.locator('.answer-body').textContent()) ?? '';
  assert.ok(answer.length > 5, 'the answer has text');
  assert.match((await exchange.locator('.resolved-regions').textContent()) ?? '', /江苏/);
  assert.match((await exchange.locator('.badge').getAttribute('data-mode')) ?? '', /^(extractive|llm)$/);
  assert.ok((await exchange.locator('.answer-body button.cite').count()) >= 1, 'the answer cites a source');
  assert.ok((await exchange.locator('.source-card').count()) >= 1, 'the sources are listed');
  assert.ok(sentFrames.some((frame) => frame.includes('"ask"') && frame.includes('江苏省地区生产总值')), 'asked over Socket.IO');
  await shoot(page, '03-answer');
});

test('a citation opens its passage, highlighted within its neighbouring text', { skip }, async () => {
  const citation = page.locator('.exchange').first().locator('.answer-body button.cite').first();
  const n = Number(await citation.getAttribute('data-n'));
  await citation.click();
  const panel = page.locator('#passage-panel');
  await page.waitForSelector('#passage-panel.open[data-state="loaded"]');
  const passage = (await panel.locator('.passage').textContent()) ?? '';
  const cardText = (await page.locator('.exchange').first().locator(`.source-card[data-n="${n}"] .source-text`).textContent()) ?? '';
  assert.ok(passage.length > 0);
  assert.equal(passage.replace(/\s+/g, ''), cardText.replace(/\s+/g, ''), 'the panel shows the cited passage');
  assert.ok((await panel.locator('.region-chip').count()) === 1, 'the region is shown');
  assert.ok((await panel.locator('.panel-report').textContent())?.length, 'the report title is shown');
  assert.ok((await panel.locator('.section-path li').count()) >= 1, 'the section path is shown');
  assert.equal(await panel.locator('.passage .figure, .passage strong').count(), 0, 'figures are not bolded wholesale');
  await page.waitForTimeout(300);
  await shoot(page, '04-passage-panel');
  await page.keyboard.press('Escape');
  await page.waitForSelector('#passage-panel:not(.open)');
});

test('a follow-up question is sent with the conversation so far', { skip }, async () => {
  const index = await ask(page, '那苏州呢？');
  const exchange = page.locator('.exchange').nth(index);
  assert.equal(await exchange.getAttribute('data-state'), 'done');
  assert.equal(await page.locator('.exchange').count(), 2);
  assert.ok(((await exchange.locator('.answer-body').textContent()) ?? '').length > 5);
  assert.match((await exchange.locator('.resolved-regions').textContent()) ?? '', /苏州/);
  const askFrame = sentFrames.filter((frame) => frame.includes('"ask"')).at(-1) ?? '';
  const [, payload] = JSON.parse(askFrame.replace(/^42\d*/, '')) as [string, { question: string; history?: { role: string; content: string }[] }];
  assert.equal(payload.question, '那苏州呢？');
  assert.deepEqual(payload.history?.map((turn) => turn.role), ['user', 'assistant']);
  assert.equal(payload.history?.[0]?.content, '2024年江苏省地区生产总值增长目标是多少？');
  await shoot(page, '05-follow-up');
});

test('a source card opens its passage too, and an answer copies as Markdown with its sources', { skip }, async () => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  const first = page.locator('.exchange').first();
  await first.locator('.copy-answer').click();
  await page.waitForSelector('.copy-answer.done');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(copied, /江苏省地区生产总值/);
  assert.match(copied, /\[1\]/);
  assert.match(copied, /jiangsu-2024#p\d+/, 'a copy names the passage ids of its sources');
  assert.match(copied, /来源/);
  await first.locator('.source-card').first().click();
  await page.waitForSelector('#passage-panel.open[data-state="loaded"]');
  await page.click('.panel-close');
});

test('a new conversation clears the messages', { skip }, async () => {
  await page.click('#new-conversation');
  await page.waitForSelector('.suggestion');
  assert.equal(await page.locator('.exchange').count(), 0);
});

test('a region picked in the chat opens its priorities, whose citations open passages', { skip }, async () => {
  await page.click('#region-button');
  await page.locator('#region-popover input[value="江苏省"]').check();
  await page.keyboard.press('Escape');
  await page.click('#open-priorities');
  await page.waitForSelector('#priorities-body[data-state="loaded"]', { timeout: answerTimeout });
  assert.match(page.url(), /#\/priorities\//);
  assert.match((await page.locator('#priorities-body h2').textContent()) ?? '', /江苏省/);
  assert.ok((await page.locator('.task').count()) >= 1, 'key tasks are listed');
  await shoot(page, '06-priorities');
  const citation = page.locator('.task button.cite').first();
  if ((await citation.count()) > 0) {
    await citation.click();
    await page.waitForSelector('#passage-panel.open[data-state="loaded"]');
    await page.click('.panel-close');
  }
  await page.click('.nav a[data-nav="chat"]');
  await page.click('#region-button');
  await page.click('#region-popover .region-clear');
  await page.keyboard.press('Escape');
});

test('the targets chart shows the GDP-growth targets of every region with the national target marked', { skip }, async () => {
  await page.click('.nav a[data-nav="targets"]');
  await page.waitForSelector('#targets-body[data-state="loaded"] .chart canvas', { timeout: answerTimeout });
  const chart = page.locator('#targets-body .chart');
  assert.equal(await chart.getAttribute('data-indicator'), 'gdp_growth');
  assert.ok(Number(await chart.getAttribute('data-count')) >= 2, 'several regions are charted');
  assert.match((await page.locator('.chart-caption').textContent()) ?? '', /全国目标/);
  await page.waitForTimeout(600);
  await shoot(page, '07-targets-chart');

  // Every row is clickable, not only its bar: a click in the middle of the chart opens that row's region.
  const box = (await chart.locator('canvas').first().boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.8, box.y + box.height / 2);
  await page.waitForURL(/#\/priorities\/.+/, { timeout: 5000 });
});

test('English is one click away', { skip }, async () => {
  await page.click('.nav a[data-nav="chat"]');
  await page.click('#language-toggle');
  assert.equal(await page.locator('.nav a[data-nav="chat"]').textContent(), 'Chat');
  assert.equal(await page.locator('#send').textContent(), 'Send');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await shoot(page, '08-english');
  await page.click('#language-toggle');
  assert.equal(await page.locator('#send').textContent(), '发送');
});

test('a passage containing markup is shown as text and runs no script', { skip }, async () => {
  const hostile = '预期目标：地区生产总值增长5%以上。<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';
  await page.route('**/api/passages/**', (route) =>
    route.fulfill({
      contentType: 'application/json',
      body: JSON.stringify({
        passage: { id: 'evil#p1', region: '江苏省', title: '<b>2024年江苏省政府工作报告</b>', section: '二、目标', sectionPath: ['二、目标<script>window.__pwned=3</script>'], text: hostile },
        before: [{ id: 'evil#p0', text: '<img src=x onerror="window.__pwned=4">' }],
        after: [],
      }),
    }),
  );
  await ask(page, '2024年江苏省地区生产总值增长目标是多少？');
  await page.locator('.exchange').last().locator('.source-card').first().click();
  await page.waitForSelector('#passage-panel.open[data-state="loaded"]');
  const panel = page.locator('#passage-panel');
  assert.equal(await panel.locator('.passage').textContent(), hostile);
  assert.equal(await panel.locator('script, img').count(), 0);
  assert.match((await panel.locator('.panel-report').textContent()) ?? '', /<b>/);
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
  await shoot(page, '09-hostile-passage');
  await page.unroute('**/api/passages/**');
  await page.click('.panel-close');
});

test('a rate limit and a failed answer are explained, and markup in an answer stays text', { skip }, async () => {
  const { context: mockContext, page: mockPage } = await (async () => {
    const newContext = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const newPage = await newContext.newPage();
    await mockSocketServer(newPage, (payload, reply) => {
      if (payload.question.includes('限流')) {
        reply.ack({ ok: false, error: { code: 'rate_limited', message: 'Too many requests' } });
        return;
      }
      reply.ack({ ok: true, id: 'a1' });
      reply.emit('answer:start', { id: 'a1', mode: 'llm', regions: ['江苏省'], query: payload.question });
      reply.emit('answer:sources', { id: 'a1', sources: [{ n: 1, id: 'jiangsu-2024#p042', region: '江苏省', title: '2024年江苏省政府工作报告', section: '二、目标', text: '地区生产总值增长5%以上', score: 1 }] });
      reply.emit('answer:delta', { id: 'a1', text: '增长5%以上 [1]。<img src=x onerror="window.__pwned=5"><script>window.__pwned=6</script>' });
      reply.emit('answer:error', { id: 'a1', code: 'model_failed', message: 'upstream timeout' });
    });
    await newPage.goto(`${server.url}/`);
    await newPage.waitForSelector('body[data-ready="true"]');
    return { context: newContext, page: newPage };
  })();
  try {
    await mockPage.fill('#question', '限流测试');
    await mockPage.click('#send');
    await mockPage.waitForSelector('.exchange[data-state="error"] .note.error');
    assert.match((await mockPage.locator('.note.error').first().textContent()) ?? '', /太频繁/);

    await mockPage.fill('#question', '江苏的目标？');
    await mockPage.click('#send');
    await mockPage.waitForSelector('.exchange:nth-child(2)[data-state="error"] .note.error');
    const failed = mockPage.locator('.exchange').nth(1);
    assert.match((await failed.locator('.note.error').textContent()) ?? '', /回答失败/);
    assert.match((await failed.locator('.answer-body').textContent()) ?? '', /<img src=x/);
    assert.equal(await failed.locator('.answer-body img, .answer-body script').count(), 0);
    assert.equal(await mockPage.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    await shoot(mockPage, '10-errors');
  } finally {
    await mockContext.close();
  }
});

test('an answer in progress can be stopped', { skip }, async () => {
  const newContext = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const newPage = await newContext.newPage();
  const cancelled: string[] = [];
  try {
    await mockSocketServer(
      newPage,
      (payload, reply) => {
        reply.ack({ ok: true, id: 'slow1' });
        reply.emit('answer:start', { id: 'slow1', mode: 'extractive', regions: ['全国'], query: payload.question });
        reply.emit('answer:sources', { id: 'slow1', sources: [{ n: 1, id: 'national-2024#p031', region: '全国', title: '2024年国务院政府工作报告', section: '二、2024年经济社会发展总体要求和政策取向', text: '今年发展主要预期目标是：国内生产总值增长5%左右；城镇新增就业1200万人以上。', score: 1 }] });
        reply.emit('answer:delta', { id: 'slow1', text: '2024年国内生产总值预期增长5%左右 [1]，' });
      },
      ({ id }) => cancelled.push(id),
    );
    await newPage.goto(`${server.url}/`);
    await newPage.waitForSelector('body[data-ready="true"]');
    await newPage.fill('#question', '2024年全国GDP增长目标是多少？');
    await newPage.click('#send');
    await newPage.waitForSelector('.exchange[data-state="streaming"] .answer-body .caret');
    assert.equal(await newPage.locator('#send').textContent(), '停止');
    await newPage.mouse.move(0, 0);
    await shoot(newPage, '11-streaming');
    await newPage.click('#send');
    await newPage.waitForSelector('.exchange[data-state="stopped"]');
    await newPage.waitForFunction(() => document.querySelector('#send')?.textContent === '发送');
    await newPage.waitForTimeout(100);
    assert.deepEqual(cancelled, ['slow1']);
    assert.match((await newPage.locator('.note.stopped').textContent()) ?? '', /已停止/);
  } finally {
    await newContext.close();
  }
});

test('an unreachable server is reported', { skip }, async () => {
  const newContext = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const newPage = await newContext.newPage();
  try {
    await refuseSocketConnections(newPage);
    await newPage.goto(`${server.url}/`);
    await newPage.waitForSelector('#status-banner.banner-offline:not([hidden])');
    assert.match((await newPage.locator('#status-banner').textContent()) ?? '', /无法连接/);
    await newPage.fill('#question', '江苏的目标？');
    await newPage.click('#send');
    assert.match((await newPage.locator('#composer-error').textContent()) ?? '', /尚未连接/);
    await shoot(newPage, '12-unreachable');
  } finally {
    await newContext.close();
  }
});

test('it works on a phone-sized screen', { skip }, async () => {
  const { context: phoneContext, page: phone } = await openPage({ width: 390, height: 844 });
  try {
    await shoot(phone, '13-phone-empty');
    const index = await ask(phone, '2024年江苏省地区生产总值增长目标是多少？');
    assert.equal(await phone.locator('.exchange').nth(index).getAttribute('data-state'), 'done');
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no horizontal scrolling (page is ${width}px wide)`);
    await shoot(phone, '14-phone-answer');
    await phone.locator('.answer-body button.cite').first().click();
    await phone.waitForSelector('#passage-panel.open[data-state="loaded"]');
    await phone.waitForTimeout(300);
    await shoot(phone, '15-phone-passage');
  } finally {
    await phoneContext.close();
  }
});
