// The configuration, read from the environment and validated with zod. The only reader of process.env.
import proxyAddr from 'proxy-addr';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from './errors.ts';
import { DEFAULT_DOCUMENT_LIMITS, type DocumentLimits } from './corpus/document-limits.ts';
import { DEFAULT_MODEL, MODEL_NAMES } from './index/embedding-models.ts';
import type { EmbedderRequest } from './index/embedders.ts';

const integer = (name: string, fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value.trim() === '') return fallback;
      const parsed = Number(value);
      if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
        context.addIssue({ code: z.ZodIssueCode.custom, message: `${name} must be a whole number from ${min} to ${max} (got "${value}")` });
        return z.NEVER;
      }
      return parsed;
    });

const MB = 1024 * 1024;

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value && value.trim() !== '' ? value.trim() : undefined));

/** A host name, an IPv4 address, a bracketed IPv6 address, or `*` (any host). */
const HOST_NAME = /^(\*|\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?)$/i;
const LOOPBACK_HOST_NAMES = ['localhost', '127.0.0.1', '[::1]'];

const hostList = z
  .string()
  .optional()
  .transform((value, context) => {
    if (value === undefined || value.trim() === '') return undefined;
    const hosts = value.split(',').map((host) => host.trim()).filter(Boolean);
    const bad = hosts.find((host) => !HOST_NAME.test(host));
    if (bad !== undefined) {
      context.addIssue({ code: z.ZodIssueCode.custom, message: `ALLOWED_HOSTS must be comma-separated host names without scheme or port (reports.example, 10.0.0.5, [::1]) or * (got "${bad}")` });
      return z.NEVER;
    }
    return hosts;
  });

/** Proxies trusted to name the client in X-Forwarded-For: `loopback`, `uniquelocal`, addresses, CIDR ranges. */
const proxyList = z
  .string()
  .optional()
  .transform((value, context) => {
    if (value === undefined || value.trim() === '') return [];
    const entries = value.split(',').map((entry) => entry.trim()).filter(Boolean);
    try {
      proxyAddr.compile(entries);
    } catch (error) {
      context.addIssue({ code: z.ZodIssueCode.custom, message: `TRUST_PROXY must be comma-separated addresses, CIDR ranges or loopback / linklocal / uniquelocal (${(error as Error).message})` });
      return z.NEVER;
    }
    return entries;
  });

const environmentSchema = z
  .object({
  PORT: integer('PORT', 3000, 0, 65535),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().trim().min(1).default('data'),
  INDEX_DIR: z.string().trim().min(1).default('vectorstore'),
  OPENAI_BASE_URL: optionalText.pipe(z.string().url({ message: 'OPENAI_BASE_URL must be a URL such as http://127.0.0.1:11434/v1' }).optional()),
  OPENAI_API_KEY: optionalText,
  CHAT_MODEL: optionalText,
  EMBEDDINGS: z
    .enum(['lsa', 'auto', 'openai', ...MODEL_NAMES], { message: `EMBEDDINGS must be "lsa" (offline, the default), "auto" (${DEFAULT_MODEL} when installed, else LSA), "openai" or a local model (${MODEL_NAMES.join(', ')})` })
    .default('lsa'),
  // Where `npm run models` installs the local embedding models.
  MODELS_DIR: z.string().trim().min(1).default('.models'),
  EMBEDDING_MODEL: z.string().trim().min(1).default('text-embedding-3-small'),
  LLM_TIMEOUT_MS: integer('LLM_TIMEOUT_MS', 20000, 100, 600000),
  LLM_FIRST_TOKEN_TIMEOUT_MS: integer('LLM_FIRST_TOKEN_TIMEOUT_MS', 8000, 50, 600000),
  RATE_LIMIT_PER_MINUTE: integer('RATE_LIMIT_PER_MINUTE', 60, 0, 1000000),
  CORS_ORIGINS: optionalText,
  MAX_IN_FLIGHT_PER_SOCKET: integer('MAX_IN_FLIGHT_PER_SOCKET', 4, 1, 100),
  // Comma-separated bearer keys for /api, /v1, /mcp and Socket.IO; unset: open (fine on 127.0.0.1 only).
  API_KEYS: optionalText,
  MAX_IN_FLIGHT: integer('MAX_IN_FLIGHT', 256, 1, 100000),
  ANSWER_DEADLINE_MS: integer('ANSWER_DEADLINE_MS', 60000, 100, 600000),
  ALLOWED_HOSTS: hostList,
  REQUEST_TIMEOUT_MS: integer('REQUEST_TIMEOUT_MS', 30_000, 1000, 3_600_000),
  HEADERS_TIMEOUT_MS: integer('HEADERS_TIMEOUT_MS', 10_000, 1000, 3_600_000),
  MAX_CONNECTIONS_PER_ADDRESS: integer('MAX_CONNECTIONS_PER_ADDRESS', 200, 0, 1_000_000),
  MAX_SESSIONS_PER_ADDRESS: integer('MAX_SESSIONS_PER_ADDRESS', 100, 0, 1_000_000),
  SHUTDOWN_GRACE_MS: integer('SHUTDOWN_GRACE_MS', 5000, 0, 600_000),
  ADMIN_TOKEN: optionalText.pipe(z.string().min(16, { message: 'ADMIN_TOKEN must be at least 16 characters' }).optional()),
  MAX_UPLOAD_MB: integer('MAX_UPLOAD_MB', 20, 1, 200),
  REDIS_URL: optionalText.pipe(z.string().regex(/^rediss?:\/\/[^\s]+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379' }).optional()),
  REDIS_PREFIX: z.string().trim().regex(/^[A-Za-z0-9:_.-]{1,64}$/, { message: 'REDIS_PREFIX must be 1 to 64 letters, digits or : _ . -' }).default('gov-report:'),
  TRUST_PROXY: proxyList,
  REPLICA_NAME: optionalText.pipe(z.string().max(64, { message: 'REPLICA_NAME must be at most 64 characters' }).optional()),
  // Reading one uploaded or added document (see src/corpus/document-limits.ts).
  DOCUMENT_MAX_ENTRY_MB: integer('DOCUMENT_MAX_ENTRY_MB', DEFAULT_DOCUMENT_LIMITS.entryBytes / MB, 1, 4096),
  DOCUMENT_MAX_UNPACKED_MB: integer('DOCUMENT_MAX_UNPACKED_MB', DEFAULT_DOCUMENT_LIMITS.unpackedBytes / MB, 1, 16384),
  DOCUMENT_MAX_PAGES: integer('DOCUMENT_MAX_PAGES', DEFAULT_DOCUMENT_LIMITS.pages, 1, 1_000_000),
  DOCUMENT_MAX_CHARACTERS: integer('DOCUMENT_MAX_CHARACTERS', DEFAULT_DOCUMENT_LIMITS.characters, 1000, 100_000_000),
  DOCUMENT_TIMEOUT_MS: integer('DOCUMENT_TIMEOUT_MS', DEFAULT_DOCUMENT_LIMITS.milliseconds, 1000, 3_600_000),
  DOCUMENT_MAX_HEAP_MB: integer('DOCUMENT_MAX_HEAP_MB', DEFAULT_DOCUMENT_LIMITS.memoryBytes / MB, 64, 65536),
  // Conversations: PostgreSQL when set (replicas share it), else SQLite in CONVERSATIONS_DB.
  DATABASE_URL: optionalText.pipe(z.string().regex(/^postgres(?:ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@127.0.0.1:5432/reports' }).optional()),
  CONVERSATIONS_DB: optionalText,
})
  .superRefine((env, context) => {
    // Node refuses a headers timeout longer than the request timeout.
    if (env.DOCUMENT_MAX_ENTRY_MB > env.DOCUMENT_MAX_UNPACKED_MB) context.addIssue({ code: z.ZodIssueCode.custom, path: ['DOCUMENT_MAX_ENTRY_MB'], message: `DOCUMENT_MAX_ENTRY_MB (${env.DOCUMENT_MAX_ENTRY_MB}) must not exceed DOCUMENT_MAX_UNPACKED_MB (${env.DOCUMENT_MAX_UNPACKED_MB})` });
    if (env.HEADERS_TIMEOUT_MS > env.REQUEST_TIMEOUT_MS) context.addIssue({ code: z.ZodIssueCode.custom, path: ['HEADERS_TIMEOUT_MS'], message: `HEADERS_TIMEOUT_MS (${env.HEADERS_TIMEOUT_MS}) must not exceed REQUEST_TIMEOUT_MS (${env.REQUEST_TIMEOUT_MS})` });
  });

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  indexDir: string;
  /** The embedder asked for; a local model is opened (started, or replaced by LSA) by `openEmbedder`. */
  embedder: EmbedderRequest;
  /** Present when a chat model is configured: answers then come from it (mode "llm"). */
  chat?: { model: string; baseURL?: string; apiKey?: string; timeoutMs: number; firstTokenTimeoutMs: number };
  rateLimitPerMinute: number;
  corsOrigins: string[];
  maxInFlightPerSocket: number;
  /** Bearer keys (API_KEYS); empty: the surfaces are open. */
  apiKeys: string[];
  /** Answers in flight across the server, every transport together (MAX_IN_FLIGHT). */
  maxInFlight: number;
  /** An answer still running after this long ends with deadline_exceeded (ANSWER_DEADLINE_MS). */
  answerDeadlineMs: number;
  /** Host names the server answers to (the Host header): the loopback names, HOST, and ALLOWED_HOSTS; `*` = any. */
  allowedHosts: string[];
  /** Deadline for a whole request (headers and body) to arrive, and for its headers alone. */
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  /** Open TCP connections and Socket.IO sessions one client address may hold; 0 = no cap. */
  maxConnectionsPerAddress: number;
  maxSessionsPerAddress: number;
  /** How long a shutdown waits for answers in flight before cancelling them and closing every connection. */
  shutdownGraceMs: number;
  /** Bearer token that allows adding and removing reports over HTTP; absent = writing over HTTP is off. */
  adminToken?: string;
  /** Largest report file accepted (CLI and upload), in bytes. */
  maxUploadBytes: number;
  /** With REDIS_URL: replicas share rate limits, caps, in-flight places and Socket.IO broadcasts through Redis. */
  redis?: { url: string; prefix: string };
  /** Proxies whose X-Forwarded-For names the client (TRUST_PROXY); empty: the TCP peer is the client. */
  trustedProxies: string[];
  /** This replica's name in /healthz and in what it holds in Redis (REPLICA_NAME). */
  replicaName?: string;
  /** What reading one document may unpack, hold and cost (DOCUMENT_*). */
  documentLimits: DocumentLimits;
  /** Where conversations, share links and feedback are kept: PostgreSQL at `databaseUrl`, else the SQLite file. */
  conversations: { databaseUrl?: string; sqliteFile: string };
}

/** The loopback names, and the listening address itself when it is a specific one (not 0.0.0.0 or ::). */
export function defaultAllowedHosts(listenHost: string): string[] {
  const hosts = [...LOOPBACK_HOST_NAMES];
  const wildcard = listenHost === '0.0.0.0' || listenHost === '::' || listenHost === '[::]';
  const spelled = listenHost.includes(':') && !listenHost.startsWith('[') ? `[${listenHost}]` : listenHost;
  if (!wildcard && !hosts.includes(spelled.toLowerCase())) hosts.push(spelled.toLowerCase());
  return hosts;
}

export function readConfig(environment: Record<string, string | undefined> = process.env): Config {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`).join('; ');
    throw new AppError('config_invalid', `Invalid configuration — ${problems}`);
  }
  const env = parsed.data;
  const embedder: EmbedderRequest =
    env.EMBEDDINGS === 'openai'
      ? { kind: 'openai', model: env.EMBEDDING_MODEL, timeoutMs: env.LLM_TIMEOUT_MS, ...(env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : {}), ...(env.OPENAI_API_KEY ? { apiKey: env.OPENAI_API_KEY } : {}) }
      : env.EMBEDDINGS === 'lsa'
        ? { kind: 'lsa' }
        : { kind: 'model-request', model: env.EMBEDDINGS === 'auto' ? DEFAULT_MODEL : env.EMBEDDINGS, modelsDir: env.MODELS_DIR, explicit: env.EMBEDDINGS !== 'auto' };
  return {
    port: env.PORT,
    host: env.HOST,
    dataDir: env.DATA_DIR,
    indexDir: env.INDEX_DIR,
    embedder,
    ...(env.CHAT_MODEL
      ? {
          chat: {
            model: env.CHAT_MODEL,
            timeoutMs: env.LLM_TIMEOUT_MS,
            firstTokenTimeoutMs: env.LLM_FIRST_TOKEN_TIMEOUT_MS,
            ...(env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : {}),
            ...(env.OPENAI_API_KEY ? { apiKey: env.OPENAI_API_KEY } : {}),
          },
        }
      : {}),
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
    corsOrigins: env.CORS_ORIGINS ? env.CORS_ORIGINS.split(',').map((origin) => origin.trim()).filter(Boolean) : [],
    maxInFlightPerSocket: env.MAX_IN_FLIGHT_PER_SOCKET,
    apiKeys: env.API_KEYS ? env.API_KEYS.split(',').map((key) => key.trim()).filter(Boolean) : [],
    maxInFlight: env.MAX_IN_FLIGHT,
    answerDeadlineMs: env.ANSWER_DEADLINE_MS,
    // The loopback names stay allowed: a rebinding page sends its own host name, never these.
    allowedHosts: [...new Set([...defaultAllowedHosts(env.HOST), ...(env.ALLOWED_HOSTS ?? []).map((host) => host.toLowerCase())])],
    requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
    headersTimeoutMs: env.HEADERS_TIMEOUT_MS,
    maxConnectionsPerAddress: env.MAX_CONNECTIONS_PER_ADDRESS,
    maxSessionsPerAddress: env.MAX_SESSIONS_PER_ADDRESS,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    ...(env.ADMIN_TOKEN ? { adminToken: env.ADMIN_TOKEN } : {}),
    ...(env.REDIS_URL ? { redis: { url: env.REDIS_URL, prefix: env.REDIS_PREFIX } } : {}),
    trustedProxies: env.TRUST_PROXY,
    ...(env.REPLICA_NAME ? { replicaName: env.REPLICA_NAME } : {}),
    maxUploadBytes: env.MAX_UPLOAD_MB * MB,
    documentLimits: {
      entryBytes: env.DOCUMENT_MAX_ENTRY_MB * MB,
      unpackedBytes: env.DOCUMENT_MAX_UNPACKED_MB * MB,
      pages: env.DOCUMENT_MAX_PAGES,
      characters: env.DOCUMENT_MAX_CHARACTERS,
      milliseconds: env.DOCUMENT_TIMEOUT_MS,
      memoryBytes: env.DOCUMENT_MAX_HEAP_MB * MB,
    },
    // The SQLite file sits beside the index folder (not in it: a rebuilt or deleted index must not take conversations along).
    conversations: { ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}), sqliteFile: env.CONVERSATIONS_DB ?? path.join(path.dirname(path.resolve(env.INDEX_DIR)), 'conversations.sqlite') },
  };
}
