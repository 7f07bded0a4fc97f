// The serving probes of `npm run stress -- --only serving` (issue 10): clients that never read, limits
// across reconnects, the page under another host name, SIGTERM under load, long pasted text, request
// hygiene (Content-Type, Host, slow bodies, connections per address), static files, long searches and an
// unwritable index folder. Each probe starts its own server (from `root`, so the same probes measure an
// older checkout) and returns the figures and the invariants they decide.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { AskPayload } from '../../src/server/contract.ts';
import { connectSocket, connectSockets, keepAliveAgent, runClosedLoop, sendHttp, SocketAsker } from './answer-clients.ts';
import { connectPausedSocket, holdConnections, openPollingSession, trickleRequest } from './raw-clients.ts';
import { formatBytes } from './latency.ts';
import { sleep, waitFor } from './project.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';

export interface ProbeCheck {
  finding: string;
  check: string;
  held: boolean;
  measured: string;
}

export interface ProbeContext {
  /** The checkout whose server is probed (the project root, or an older commit's tree). */
  root: string;
  /** Offline environment with DATA_DIR and INDEX_DIR set; each probe adds its own settings. */
  environment: (overrides: Record<string, string>) => Record<string, string>;
  question: (turn: number) => AskPayload;
  temp: string;
  log: (line: string) => void;
}

type Probe = (context: ProbeContext) => Promise<{ checks: ProbeCheck[]; figures: Record<string, unknown> }>;

const MB = 1024 * 1024;
/** Server RSS may grow by less than this while clients that never read keep asking. */
export const NON_READER_RSS_LIMIT = 50 * MB;

async function withServer<T>(context: ProbeContext, env: Record<string, string>, run: (server: ServerProcess) => Promise<T>): Promise<T> {
  const server = await startServerProcess({ env: context.environment(env), root: context.root });
  try {
    await server.ready;
    return await run(server);
  } finally {
    await server.close();
  }
}

/** Samples the server's RSS every 250 ms while `run` runs; returns run's result and the peak growth over the GC'd baseline. */
async function measureRssGrowth<T>(server: ServerProcess, run: (baselineOf: () => number) => Promise<T>): Promise<{ result: T; baseline: number; peak: number; growth: number }> {
  await server.probe({ gc: true });
  const baseline = server.rss();
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, server.rss())), 250);
  try {
    const result = await run(() => baseline);
    peak = Math.max(peak, server.rss());
    return { result, baseline, peak, growth: peak - baseline };
  } finally {
    clearInterval(sampler);
  }
}

/** RSS after a forced GC, minus the baseline: what the server holds on to, without garbage not yet collected. */
async function retainedGrowth(server: ServerProcess, baseline: number): Promise<number> {
  await server.probe({ gc: true });
  return server.rss() - baseline;
}

// 1. Clients that never read -------------------------------------------------------------------------
// They ask for 20 sources (k: 20), so that each unread answer weighs what a long one does (~40 kB).
const nonReaders: Probe = async (context) => {
  const checks: ProbeCheck[] = [];
  const figures: Record<string, unknown> = {};
  // 200 polling sessions asking within the default rate limit (60 a minute), never fetching an answer.
  await withServer(context, {}, async (server) => {
    const agent = keepAliveAgent(64);
    const sessions = 200;
    const durationMs = 20_000;
    context.log(`serving: ${sessions} polling sessions that ask and never read, ${durationMs / 1000} s …`);
    const measured = await measureRssGrowth(server, async (baselineOf) => {
      const opened = (await Promise.all(Array.from({ length: sessions }, () => openPollingSession(server.url, agent)))).filter((session) => session !== undefined);
      let posted = 0;
      const stopAt = performance.now() + durationMs;
      await Promise.all(
        opened.map(async (session, index) => {
          for (let turn = 0; performance.now() < stopAt && turn < 60; turn++) {
            if ((await session.ask({ ...context.question(index + turn), k: 20 })) === 200) posted++;
            await sleep(durationMs / 60);
          }
        }),
      );
      // While the sessions are still open: what their unread answers keep alive.
      const retained = await retainedGrowth(server, baselineOf());
      return { opened: opened.length, posted, retained };
    });
    agent.destroy();
    figures.pollingNonReaders = { sessions, durationMs, ...measured.result, baselineRss: measured.baseline, peakRss: measured.peak, growth: measured.growth, alive: server.alive() };
    checks.push({
      finding: '1 memory',
      check: `${sessions} polling sessions asking for ${durationMs / 1000} s and never reading: server RSS (after GC, sessions open) grows < ${formatBytes(NON_READER_RSS_LIMIT)}`,
      held: measured.result.retained < NON_READER_RSS_LIMIT && server.alive(),
      measured: `${measured.result.opened} sessions opened, ${measured.result.posted} asks posted; RSS ${formatBytes(measured.baseline)} → +${formatBytes(measured.result.retained)} after GC (peak +${formatBytes(measured.growth)})`,
    });
  });
  // One websocket client that stops reading, with the rate limit off.
  await withServer(context, { RATE_LIMIT_PER_MINUTE: '0' }, async (server) => {
    const durationMs = 15_000;
    context.log(`serving: one paused websocket client asking for ${durationMs / 1000} s, rate limit off …`);
    const measured = await measureRssGrowth(server, async (baselineOf) => {
      const { socket, resume } = await connectPausedSocket(server.url);
      let emitted = 0;
      let answered = 0;
      let serverClosed: string | undefined;
      const started = performance.now();
      socket.on('answer:end', () => answered++);
      socket.on('disconnect', (reason) => {
        if (reason !== 'io client disconnect') serverClosed ??= reason;
      });
      while (performance.now() - started < durationMs && socket.connected) {
        for (let burst = 0; burst < 4; burst++) socket.emit('ask', { ...context.question(emitted++), k: 20 });
        await sleep(1);
      }
      const retained = await retainedGrowth(server, baselineOf());
      // Reading again shows what the server kept for it: the answers, or a close.
      resume();
      await waitFor(() => serverClosed !== undefined, 5000, 100);
      socket.close();
      return { emitted, answersReadAfterResuming: answered, serverClosed: serverClosed ?? 'no', retained };
    });
    figures.pausedWebsocket = { durationMs, ...measured.result, baselineRss: measured.baseline, peakRss: measured.peak, growth: measured.growth, alive: server.alive() };
    checks.push({
      finding: '1 memory',
      check: `a paused websocket client asking for ${durationMs / 1000} s (rate limit off): server RSS (after GC, still paused) grows < ${formatBytes(NON_READER_RSS_LIMIT)}`,
      held: measured.result.retained < NON_READER_RSS_LIMIT && server.alive(),
      measured: `${measured.result.emitted} asks emitted; on reading again: ${measured.result.answersReadAfterResuming} answers, closed by the server: ${measured.result.serverClosed}; RSS ${formatBytes(measured.baseline)} → +${formatBytes(measured.result.retained)} after GC (peak +${formatBytes(measured.growth)})`,
    });
    checks.push({
      finding: '1 memory',
      check: 'the paused client is disconnected by the server once its unread output passes the cap (not kept whatever it costs)',
      held: measured.result.serverClosed !== 'no',
      measured: `closed by the server: ${measured.result.serverClosed}; ${measured.result.answersReadAfterResuming} answers were waiting (what the kernel's socket buffers held counts too)`,
    });
  });
  return { checks, figures };
};

// 2. The rate limit across reconnects, shared with HTTP ----------------------------------------------
const reconnects: Probe = async (context) =>
  withServer(context, { RATE_LIMIT_PER_MINUTE: '5' }, async (server) => {
    let accepted = 0;
    let refused = 0;
    for (let connection = 0; connection < 6; connection++) {
      const socket = await connectSocket(server.url);
      for (let turn = 0; turn < 5; turn++) {
        const ack = await socket.timeout(5000).emitWithAck('ask', context.question(turn)).catch(() => undefined);
        if (ack?.ok) accepted++;
        else refused++;
      }
      socket.close();
      await sleep(50);
    }
    const http = await sendHttp({ url: server.url, method: 'POST', path: '/api/ask', headers: { 'content-type': 'application/json' }, body: JSON.stringify(context.question(0)), timeoutMs: 5000 });
    return {
      figures: { limitPerMinute: 5, connections: 6, accepted, refused, httpAfter: http.status },
      checks: [
        { finding: '2 rate limit', check: 'a client reconnecting 5 times gets no more asks than the limit (5 a minute)', held: accepted <= 5, measured: `${accepted} accepted, ${refused} refused over 6 connections` },
        { finding: '2 rate limit', check: 'the limit is shared with HTTP: POST /api/ask then answers 429', held: http.status === 429, measured: `HTTP ${http.status}` },
      ],
    };
  });

// 3. The page under another host name over plain HTTP ------------------------------------------------
const hostName: Probe = async (context) =>
  withServer(context, { RATE_LIMIT_PER_MINUTE: '0', ALLOWED_HOSTS: 'reports.example' }, async (server) => {
    const port = new URL(server.url).port;
    const headers = (await sendHttp({ url: server.url, path: '/', headers: { host: `reports.example:${port}` }, timeoutMs: 5000 })).headers;
    const csp = String(headers['content-security-policy'] ?? '');
    if (!existsSync('/usr/bin/chromium')) throw new Error('/usr/bin/chromium is missing (apt-get install -y chromium): the host-name probe needs it');
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--host-resolver-rules=MAP reports.example 127.0.0.1'],
    });
    try {
      const page = await browser.newPage();
      const pageUrl = `http://reports.example:${port}/`;
      await page.goto(pageUrl);
      const started = await page.waitForSelector('body[data-ready="true"]', { timeout: 10_000 }).then(
        () => true,
        () => false,
      );
      // Without its script (blocked, slow, failed), pressing send must not submit the form natively. (On
      // the loopback URL: under the other name, the old CSP's upgrade also stopped the native submission.)
      const bare = await browser.newPage();
      await bare.route('**/*.js', (route) => route.abort());
      const requested: string[] = [];
      bare.on('request', (request) => requested.push(request.url()));
      const bareUrl = `${server.url}/`;
      await bare.goto(bareUrl);
      await bare.fill('#question', '江苏今年GDP增长目标是多少？');
      await bare.click('#send', { noWaitAfter: true, timeout: 5000 }).catch(() => {});
      await sleep(1000);
      const submitted = requested.find((url) => /[?&]question=/.test(url));
      const urlAfterSend = submitted ?? bare.url();
      return {
        figures: { csp, hsts: headers['strict-transport-security'] ?? null, started, urlAfterSend },
        checks: [
          { finding: '3 host name', check: 'no upgrade-insecure-requests and no HSTS over plain HTTP', held: !/upgrade-insecure-requests/.test(csp) && headers['strict-transport-security'] === undefined, measured: `CSP ${/upgrade-insecure-requests/.test(csp) ? 'has' : 'lacks'} upgrade-insecure-requests; HSTS ${headers['strict-transport-security'] ?? 'absent'}` },
          { finding: '3 host name', check: 'the page starts in Chromium at http://reports.example:PORT/', held: started, measured: started ? 'started (body[data-ready])' : 'never started within 10 s' },
          { finding: '3 host name', check: 'without its script, send does not submit the form natively (no question in the URL)', held: submitted === undefined && bare.url() === bareUrl, measured: submitted ? `submitted natively: ${submitted.replace(port, 'PORT').slice(0, 90)}` : `no submission; URL ${bare.url().replace(port, 'PORT')}` },
        ],
      };
    } finally {
      await browser.close();
    }
  });

// 4. SIGTERM under load under `npm start` ------------------------------------------------------------
const shutdown: Probe = async (context) => {
  context.log('serving: npm start, 20 clients asking, a slow upload open, then SIGTERM …');
  const graceMs = 5000;
  // Its own process group, so that whatever npm starts can be cleaned up by the group id afterwards.
  const child = spawn('npm', ['start'], { cwd: context.root, env: context.environment({ RATE_LIMIT_PER_MINUTE: '0', SHUTDOWN_GRACE_MS: String(graceMs) }), stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() })));
  try {
    const ready = await waitFor(() => /Ready: open (http:\/\/\S+)/.test(stderr), 90_000, 100);
    const url = /Listening on (http:\/\/[^\s]+)/.exec(stderr)?.[1];
    if (!ready || !url) throw new Error(`npm start did not get ready: ${stderr.slice(-300)}`);
    const sockets = await connectSockets(url, 20);
    const askers = sockets.map((socket) => new SocketAsker(socket));
    const slowUpload = trickleRequest(url, { finishHeaders: true, limitMs: 30_000 });
    let signalledAt = 0;
    const loop = runClosedLoop({ clients: 20, durationMs: 15_000, until: () => askers.every((asker) => !asker.socket.connected), question: (client, turn) => context.question(client + turn), ask: (client, payload) => askers[client]!.ask(payload, 10_000) });
    await sleep(1500);
    signalledAt = performance.now();
    process.kill(child.pid!, 'SIGTERM');
    const outcome = await Promise.race([exited, sleep(graceMs + 10_000).then(() => undefined)]);
    await loop;
    await slowUpload;
    for (const asker of askers) asker.closeBooks();
    const cut = askers.reduce((sum, asker) => sum + asker.openAnswers(), 0);
    const answered = askers.reduce((sum, asker) => sum + asker.acknowledged(), 0);
    for (const socket of sockets) socket.close();
    const port = Number(new URL(url).port);
    const stillListening = await new Promise<boolean>((resolve) => {
      const probe = connect(port, '127.0.0.1');
      probe.once('connect', () => (probe.destroy(), resolve(true)));
      probe.once('error', () => resolve(false));
    });
    const exitMs = outcome ? outcome.at - signalledAt : undefined;
    const said = /Shutting down/.test(stderr);
    return {
      figures: { graceMs, exit: outcome ? { code: outcome.code, signal: outcome.signal, afterMs: exitMs } : 'did not exit', saidShuttingDown: said, acknowledgedAsks: answered, cutWithoutTerminalEvent: cut, stillListening, stderrTail: stderr.slice(-400) },
      checks: [
        { finding: '4 shutdown', check: 'SIGTERM under load: every acknowledged answer ends with answer:end or answer:error', held: cut === 0 && answered > 0, measured: `${cut} of ${answered} acknowledged answers cut without a terminal event` },
        { finding: '4 shutdown', check: `SIGTERM with a slow upload open: npm start exits 0 within the ${graceMs / 1000} s grace period (+1 s), saying "Shutting down", port closed`, held: outcome !== undefined && outcome.code === 0 && exitMs !== undefined && exitMs <= graceMs + 1000 && said && !stillListening, measured: `${outcome ? `exit code ${outcome.code} signal ${outcome.signal} after ${(exitMs! / 1000).toFixed(2)} s` : `no exit within ${(graceMs + 10_000) / 1000} s`}; "Shutting down" ${said ? 'printed' : 'NOT printed'}; port ${stillListening ? 'STILL LISTENING' : 'closed'}` },
      ],
    };
  } finally {
    // Whatever npm started (sh, node) goes with its group.
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
    await Promise.race([exited, sleep(2000)]);
  }
};

// 5. Long pasted text over Socket.IO -------------------------------------------------------------------
const longText: Probe = async (context) =>
  withServer(context, { RATE_LIMIT_PER_MINUTE: '0' }, async (server) => {
    const socket = await connectSocket(server.url);
    const ask = async (payload: unknown): Promise<string> => {
      if (!socket.connected) return 'connection already closed';
      const closed = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(`disconnected (${reason})`)));
      const acked = socket
        .timeout(10_000)
        .emitWithAck('ask', payload as AskPayload)
        .then(
          (ack) => (ack.ok ? 'accepted' : `ack ${ack.error.code}`),
          () => 'no ack',
        );
      return Promise.race([acked, closed]);
    };
    const question = await ask({ question: '请概括江苏省2024年政府工作报告的重点任务。'.repeat(5000).slice(0, 100_000) });
    const history = await ask({ question: '江苏呢？', history: Array.from({ length: 20 }, (_, turn) => ({ role: turn % 2 ? 'assistant' : 'user', content: '政'.repeat(4000) })) });
    const stillConnected = socket.connected;
    socket.close();
    return {
      figures: { question100k: question, history80k: history, stillConnected },
      checks: [
        { finding: '5 long text', check: 'a 100,000-character question over Socket.IO gets invalid_input (not a bare disconnect)', held: question === 'ack invalid_input', measured: question },
        { finding: '5 long text', check: 'a history of 20 × 4,000 characters gets invalid_input and the connection stays', held: history === 'ack invalid_input' && stillConnected, measured: `${history}; ${stillConnected ? 'connected' : 'closed'}` },
      ],
    };
  });

// 6–8. Requests, static files, long searches -----------------------------------------------------------
const requests: Probe = async (context) =>
  withServer(context, { RATE_LIMIT_PER_MINUTE: '0' }, async (server) => {
    context.log('serving: Content-Type, Host, slow headers and bodies, connections per address, static files, long searches …');
    const slowHeaders = trickleRequest(server.url, { finishHeaders: false, limitMs: 20_000 });
    const slowBody = trickleRequest(server.url, { finishHeaders: true, limitMs: 40_000 });
    const json = { 'content-type': 'application/json' };
    const body = JSON.stringify(context.question(0));
    const textPlain = await sendHttp({ url: server.url, method: 'POST', path: '/api/ask', headers: { 'content-type': 'text/plain' }, body, timeoutMs: 5000 });
    const foreignHost = await sendHttp({ url: server.url, method: 'POST', path: '/api/ask', headers: { ...json, host: 'rebound.example' }, body, timeoutMs: 5000 });
    const loopbackHost = await sendHttp({ url: server.url, method: 'POST', path: '/api/ask', headers: { ...json, host: `localhost:${new URL(server.url).port}` }, body, timeoutMs: 5000 });
    const foreignSocket = await sendHttp({ url: server.url, path: '/socket.io/?EIO=4&transport=polling', headers: { host: 'rebound.example' }, timeoutMs: 5000 });
    const connections = await holdConnections(server.url, 300, 1000);
    const sourcePaths = ['/src/main.ts', '//src/main.ts', '/%73rc/main.ts', '/src%2fmain.ts', '/dist/../src/main.ts', '/src/../src/main.ts', '/ui/src/main.ts', '/package.json', '/index.html/../src/main.ts'];
    const sources: Record<string, number> = {};
    for (const sourcePath of sourcePaths) {
      const response = await sendHttp({ url: server.url, path: sourcePath, timeoutMs: 5000 });
      sources[sourcePath] = response.status === 200 && /\bimport\b|"dependencies"/.test(response.body) ? 200 : response.status;
    }
    const page = await sendHttp({ url: server.url, path: '/', timeoutMs: 5000 });
    const longQuery = (chars: number) => '江苏省推进新型工业化'.repeat(chars / 10);
    const search = async (chars: number): Promise<string> => {
      const response = await sendHttp({ url: server.url, path: `/api/search?q=${encodeURIComponent(longQuery(chars))}`, timeoutMs: 5000 });
      return `${response.status}${response.status !== 200 ? ` ${/^\{/.test(response.body) ? ((JSON.parse(response.body) as { error?: { code?: string } }).error?.code ?? 'json') : 'bare'}` : ''}`;
    };
    const search1000 = await search(1000);
    const search2000 = await search(2000);
    const postSearch = await sendHttp({ url: server.url, method: 'POST', path: '/api/search', headers: json, body: JSON.stringify({ q: longQuery(2000) }), timeoutMs: 5000 });
    const headersClosedMs = await slowHeaders;
    const bodyClosedMs = await slowBody;
    const seconds = (ms: number | undefined, limit: number): string => (ms === undefined ? `still open after ${limit} s` : `closed after ${(ms / 1000).toFixed(1)} s`);
    const leaked = Object.entries(sources).filter(([, status]) => status === 200);
    return {
      figures: { textPlain: textPlain.status, foreignHost: foreignHost.status, loopbackHost: loopbackHost.status, foreignSocket: foreignSocket.status, connections, slowHeadersClosedMs: headersClosedMs ?? null, slowBodyClosedMs: bodyClosedMs ?? null, sources, page: page.status, search1000, search2000, postSearch: postSearch.status },
      checks: [
        { finding: '6 requests', check: 'POST /api/ask with Content-Type text/plain → 415', held: textPlain.status === 415, measured: `HTTP ${textPlain.status}` },
        { finding: '6 requests', check: 'a Host outside ALLOWED_HOSTS is refused on HTTP and Socket.IO; localhost is served', held: foreignHost.status === 403 && foreignSocket.status === 403 && loopbackHost.status === 200, measured: `rebound.example: API ${foreignHost.status}, Socket.IO ${foreignSocket.status}; localhost ${loopbackHost.status}` },
        { finding: '6 requests', check: 'headers sent one byte a second are cut within 12 s', held: headersClosedMs !== undefined && headersClosedMs <= 12_000, measured: seconds(headersClosedMs, 20) },
        { finding: '6 requests', check: 'a body sent one byte a second is cut within 32 s', held: bodyClosedMs !== undefined && bodyClosedMs <= 32_000, measured: seconds(bodyClosedMs, 40) },
        { finding: '6 requests', check: '300 connections from one address: at most 200 stay open', held: connections.openAfterHold <= 200, measured: `${connections.answered} answered, ${connections.openAfterHold} open after 1 s` },
        { finding: '7 static files', check: 'no spelling of /src (//src, %73rc, ..) nor package.json returns source; the page is served', held: leaked.length === 0 && page.status === 200, measured: leaked.length === 0 ? `none of ${sourcePaths.length} returned source; / ${page.status}` : `${leaked.map(([name]) => name).join(', ')} returned source` },
        { finding: '8 long search', check: 'GET /api/search with 1,000 and 2,000 Chinese characters answers 200 (or a JSON error), POST /api/search 200', held: !/bare/.test(search1000) && search2000 === '200' && postSearch.status === 200, measured: `GET 1,000 chars: ${search1000}; 2,000: ${search2000}; POST 2,000: ${postSearch.status}` },
      ],
    };
  });

const unwritableIndex: Probe = async (context) => {
  const locked = path.join(context.temp, 'locked');
  await mkdir(locked, { recursive: true });
  await chmod(locked, 0o555);
  // As root every folder is writable: run the server as nobody, as an unprivileged user would.
  const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  await chmod(path.dirname(context.temp), 0o755);
  await chmod(context.temp, 0o755);
  const started = performance.now();
  const outcome = await new Promise<{ code: number | null; stderr: string; ms: number }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: context.root, env: context.environment({ INDEX_DIR: path.join(locked, 'index'), HOME: context.temp }), stdio: ['ignore', 'ignore', 'pipe'], ...asNobody });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, ms: performance.now() - started });
    });
  });
  const line = outcome.stderr.split('\n').find((text) => /Cannot|EACCES|INDEX_DIR|writ/i.test(text)) ?? outcome.stderr.trim().split('\n').at(-1) ?? '';
  return {
    figures: { exitCode: outcome.code, ms: outcome.ms, message: line.slice(0, 300) },
    checks: [
      {
        finding: '8 unwritable index',
        check: 'a missing index in an unwritable folder stops within 10 s, naming INDEX_DIR (no raw EACCES)',
        held: outcome.code === 1 && outcome.ms < 10_000 && /INDEX_DIR/.test(line) && !/^Error: EACCES/m.test(outcome.stderr),
        measured: `exit ${outcome.code} after ${(outcome.ms / 1000).toFixed(1)} s: ${line.slice(0, 140)}`,
      },
    ],
  };
};

export const SERVING_PROBES: { name: string; run: Probe }[] = [
  { name: 'non-readers', run: nonReaders },
  { name: 'reconnects', run: reconnects },
  { name: 'host-name', run: hostName },
  { name: 'shutdown', run: shutdown },
  { name: 'long-text', run: longText },
  { name: 'requests', run: requests },
  { name: 'unwritable-index', run: unwritableIndex },
];
