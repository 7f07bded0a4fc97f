// Composition root: configuration → index → assistant → HTTP + Socket.IO server → listen.
// `npm start` runs this file; tests call startServer() with their own environment.
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Assistant } from './assistant.ts';
import { createProgressBar } from './cli/progress.ts';
import { openIndex } from './compose.ts';
import { readConfig, type Config } from './config.ts';
import { ProcessDocumentReader } from './corpus/document-reader.ts';
import { AppError } from './errors.ts';
import { describeEmbedder, type EmbedderSettings } from './index/embedders.ts';
import { openEmbedder, type OpenedEmbedder } from './index/model-runtime.ts';
import { FileWriterLock } from './index/file-writer-lock.ts';
import type { ReconcileReport } from './index/reconcile-index.ts';
import type { ProgressListener } from './index/index-store.ts';
import { watchCurrentIndex } from './index/watch-current.ts';
import { ReportsService } from './reports-service.ts';
import { createApplication } from './server/app.ts';
import { deferStore, openConfiguredStore } from './conversations/conversation-store.ts';
import { ApiKeys, exposureWarning } from './server/api-keys.ts';

/** The event by which a replica that switched the index tells the others (Socket.IO's serverSideEmit). */
const INDEX_SWITCHED = 'index:switched';

export interface RunningServer {
  url: string;
  port: number;
  config: Config;
  /** Resolves when the index is loaded and questions can be answered. */
  ready: Promise<void>;
  /**
   * Stops taking questions, lets answers in flight finish for `graceMs` (default SHUTDOWN_GRACE_MS), ends
   * the rest with answer:error shutting_down, and closes every connection.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

export interface StartOptions {
  port?: number;
  host?: string;
  /** Environment variables (defaults to process.env). */
  env?: Record<string, string | undefined>;
  onProgress?: ProgressListener;
  log?: (line: string) => void;
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const config = readConfig({ ...(options.env ?? process.env), ...(options.port !== undefined ? { PORT: String(options.port) } : {}), ...(options.host ? { HOST: options.host } : {}) });
  const log = options.log ?? (() => {});
  let assistant: Assistant | undefined;
  let status: { state: 'starting' | 'ready' | 'failed'; message?: string; stage?: string; done?: number; total?: number } = { state: 'starting' };
  const startedAt = Date.now();
  let watching: { stop(): void; check(): void } | undefined;
  // Conversations are opened (and their schema migrated) beside the index's loading; readiness waits for both,
  // so a wrong DATABASE_URL stops the start with its reason.
  const openingConversations = openConfiguredStore(config.conversations);
  const conversations = deferStore(openingConversations, config.conversations.databaseUrl ? 'postgres' : 'sqlite');
  let closingConversations: Promise<void> | undefined;
  // The chat model's client (LangChain, openai) is loaded only when one is configured.
  const llm = config.chat ? new (await import('./answer/llm-answerer.ts')).LlmAnswerer(config.chat) : undefined;
  // With REDIS_URL the replicas share limits, caps, broadcasts and the writer lock; the Redis modules load only then.
  const shared = config.redis
    ? (await import('./server/redis/redis-state.ts')).createRedisState({ ...config.redis, replica: config.replicaName ?? hostname(), rateLimitPerMinute: config.rateLimitPerMinute, log })
    : undefined;
  // One writer of the index at a time, across this server, the CLI and ingest (and, with Redis, every replica).
  const fileLock = new FileWriterLock(config.indexDir);
  const writerLock = shared?.writerLock?.(fileLock) ?? fileLock;
  let startupCheck: ReconcileReport | undefined;
  /** Tells the other replicas that this one switched the index, so that they read CURRENT now (set once Socket.IO is up). */
  let announceSwitch = (_folder: string): void => {};
  // The embedder is opened with the index (a local model starts then); until then the configured one is shown.
  let embedder: OpenedEmbedder | undefined;
  const reports = new ReportsService(
    {
      dataDir: config.dataDir,
      indexDir: config.indexDir,
      // Read when a report is added or removed, which needs the index, opened with the embedder.
      get embedder(): EmbedderSettings {
        if (!embedder) throw new AppError('not_ready', 'The index is still loading; try again in a moment.');
        return embedder.settings;
      },
      maxUploadBytes: config.maxUploadBytes,
    },
    {
      index: () => assistant?.index,
      swap: (index) => {
        assistant = new Assistant(index, llm);
        announceSwitch(index.folder);
      },
    },
    { reader: new ProcessDocumentReader(config.documentLimits), lock: writerLock },
  );
  const embedderName = (): string => (embedder ? describeEmbedder(embedder.settings) : config.embedder.kind === 'model-request' ? `model:${config.embedder.model} (starting)` : config.embedder.kind);
  const state = {
    assistant: () => assistant,
    health: () => ({
      status: assistant ? 'ok' : status.state,
      ready: Boolean(assistant),
      ...(status.message ? { message: status.message } : {}),
      ...(status.stage && !assistant ? { progress: { stage: status.stage, done: status.done, total: status.total } } : {}),
      passages: assistant?.index.passages.length ?? 0,
      embedder: embedderName(),
      ...(embedder?.status() ? { embeddingModel: embedder.status() } : {}),
      ...(embedder?.notice ? { embedderNotice: embedder.notice } : {}),
      mode: config.chat ? 'llm' : 'extractive',
      ...(config.chat ? { chatModel: config.chat.model } : {}),
      indexBuiltAt: assistant?.index.manifest.builtAt ?? null,
      indexUpdatedAt: assistant?.index.manifest.updatedAt ?? null,
      reports: { writable: Boolean(config.adminToken), ...reports.status() },
      ...(startupCheck ? { startupCheck: { repaired: startupCheck.repaired, removed: startupCheck.removed.length, ...(startupCheck.disagreement ? { disagreement: startupCheck.disagreement } : {}) } } : {}),
      conversations: config.conversations.databaseUrl ? 'postgres' : 'sqlite',
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    }),
    writerLock: () => reports.writerLock(),
  };
  const application = createApplication(state, {
    rateLimitPerMinute: config.rateLimitPerMinute,
    corsOrigins: config.corsOrigins,
    maxInFlightPerSocket: config.maxInFlightPerSocket,
    allowedHosts: config.allowedHosts,
    requestTimeoutMs: config.requestTimeoutMs,
    headersTimeoutMs: config.headersTimeoutMs,
    maxConnectionsPerAddress: config.maxConnectionsPerAddress,
    maxSessionsPerAddress: config.maxSessionsPerAddress,
    apiKeys: config.apiKeys,
    relayLimits: { maxInFlight: config.maxInFlight, deadlineMs: config.answerDeadlineMs },
    reports: { service: reports, maxUploadBytes: config.maxUploadBytes, ...(config.adminToken ? { adminToken: config.adminToken } : {}) },
    trustedProxies: config.trustedProxies,
    ...(shared ? { shared } : {}),
    ...(config.replicaName ? { replicaName: config.replicaName } : {}),
    conversations,
  });
  const { httpServer, io } = application;
  // Through Socket.IO's adapter (Redis) to every other replica; each also polls CURRENT, so a notice lost
  // while Redis is away only costs it half a second.
  if (shared) {
    announceSwitch = (folder) => io.serverSideEmit(INDEX_SWITCHED, folder);
    io.on(INDEX_SWITCHED, () => watching?.check());
  }
  const exposure = exposureWarning(config.host, new ApiKeys(config.apiKeys));
  if (exposure) (options.log ?? console.error)(exposure);
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  }).catch(async (error: unknown) => {
    await shared?.close();
    await conversations.close();
    throw error;
  });
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  let closed = false;
  const ready = openEmbedder(config.embedder, { log })
    .then(async (opened) => {
      // A server closed while its model was starting stops the model at once.
      if (closed) {
        await opened.stop();
        throw new AppError('shutting_down', 'The server closed while the embedder was starting.');
      }
      embedder = opened;
      return openIndex(
        { ...config, embedder: opened.settings },
        {
          lock: writerLock,
          onChecked: (report) => (startupCheck = report),
          onProgress: (event) => {
            status = { state: 'starting', stage: event.stage, done: event.done, total: event.total };
            options.onProgress?.(event);
          },
          log,
        },
      );
    })
    .then(
    async (index) => {
      try {
        await openingConversations;
      } catch (error) {
        status = { state: 'failed', message: (error as Error).message };
        throw error;
      }
      assistant = new Assistant(index, llm);
      status = { state: 'ready' };
      // A report added or removed by the CLI (or a rebuild) switches CURRENT: answer from the new index.
      watching = watchCurrentIndex(
        { indexDir: config.indexDir, embedder: embedder!.settings },
        () => assistant?.index,
        (next) => {
          assistant = new Assistant(next, llm);
          log(`Index switched to ${next.folder} (${next.passages.length} passages).`);
        },
        (error) => log(`Cannot load the switched index: ${error.message}`),
      );
    },
    (error: unknown) => {
      status = { state: 'failed', message: (error as Error).message };
      throw error;
    },
  );
  // The caller may attach its handler later; a failed load must not crash the process meanwhile.
  ready.catch(() => {});
  return {
    url,
    port,
    config,
    ready,
    close: async (closeOptions = {}) => {
      // An index still loading is not waited for: nothing can be in flight without it.
      closed = true;
      watching?.stop();
      reports.close();
      const { finished, cancelled } = await application.close(closeOptions.graceMs ?? config.shutdownGraceMs);
      await shared?.close();
      await (closingConversations ??= conversations.close());
      if (finished + cancelled > 0) log(`Closed: ${finished} answer(s) in flight finished, ${cancelled} cancelled.`);
      // The embedding model goes last: answers in flight may still embed their question.
      await embedder?.stop();
    },
  };
}

async function main(): Promise<void> {
  const progress = createProgressBar();
  let server: RunningServer;
  try {
    server = await startServer({ onProgress: progress.listener, log: (line) => console.error(line) });
  } catch (error) {
    console.error(`Cannot start: ${(error as Error).message}`);
    process.exit(1);
  }
  let stoppingSince: number | undefined;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stoppingSince !== undefined) {
      // Ctrl-C reaches both npm and this process, and npm forwards it: the echo is not a second request.
      if (Date.now() - stoppingSince < 1000) return;
      console.error(`${signal} again: exiting now.`);
      process.exit(1);
    }
    stoppingSince = Date.now();
    const graceMs = server.config.shutdownGraceMs;
    console.error(`Shutting down (${signal}): no new questions; answers in flight get ${graceMs / 1000} s …`);
    // Whatever happens below, the process is gone shortly after the grace period.
    setTimeout(() => {
      console.error('Shutdown took too long; exiting.');
      process.exit(1);
    }, graceMs + 3000).unref();
    void server.close().then(
      () => {
        console.error('Stopped.');
        process.exit(0);
      },
      (error: unknown) => {
        console.error(`Shutdown failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  console.error(`Listening on ${server.url} (mode: ${server.config.chat ? `llm, model ${server.config.chat.model}` : 'extractive, offline'}; loading the index …)`);
  try {
    await server.ready;
  } catch (error) {
    progress.stop();
    console.error(`Cannot load the index: ${(error as Error).message}`);
    process.exit(1);
  }
  progress.stop();
  console.error(`Ready: open ${server.url} in a browser.`);
  console.error(server.config.adminToken ? 'Reports: POST/DELETE /api/reports are on (Authorization: Bearer <ADMIN_TOKEN>).' : 'Reports: adding and removing over HTTP is off (no ADMIN_TOKEN); `npm run reports` works on this machine.');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) void main();
