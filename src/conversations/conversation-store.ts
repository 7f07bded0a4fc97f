// The conversation store: what the server keeps for each owner (an API key, or a browser), behind one small
// interface, and its implementation in SQL over SQLite or PostgreSQL. Owners are opaque strings the server
// derives (hashes); nothing here knows about HTTP.
import { randomBytes } from 'node:crypto';
import { AppError } from '../errors.ts';
import { migrate } from './migrations.ts';
import { conversationSchema, exchangeSchema, feedbackInputSchema, type Conversation, type ConversationSummary, type Exchange, type Feedback, type FeedbackInput, type Share } from './records.ts';
import { openPostgres, openSqlite, type SqlDatabase, type SqlExecutor } from './sql-database.ts';

/** What a share link opens: the conversation as far as it was shared, or the fact that its owner revoked it. */
export type SharedConversation = { state: 'active'; conversation: Conversation; share: Share } | { state: 'revoked'; revokedAt: number };

export interface ConversationStore {
  /** The owner's conversations, the most recently changed first; with `query`, those whose title, questions or answers contain it. */
  list(owner: string, options?: { query?: string; limit?: number }): Promise<ConversationSummary[]>;
  get(owner: string, id: string): Promise<{ conversation: Conversation; share?: Share } | undefined>;
  /** Creates or replaces the conversation (with all its exchanges). */
  save(owner: string, conversation: Conversation): Promise<void>;
  rename(owner: string, id: string, title: string): Promise<boolean>;
  /** Removes it and its share links; false when the owner has no such conversation. */
  remove(owner: string, id: string): Promise<boolean>;
  /** A read-only link to the conversation as it is now; sharing again keeps the token and brings it up to date. */
  share(owner: string, id: string): Promise<Share | undefined>;
  unshare(owner: string, id: string): Promise<boolean>;
  shared(token: string): Promise<SharedConversation | undefined>;
  close(): Promise<void>;
}

export interface FeedbackStore {
  /** Records (or changes) the owner's rating of one answer. */
  putFeedback(owner: string, exchangeId: string, input: FeedbackInput): Promise<Feedback>;
  removeFeedback(owner: string, exchangeId: string): Promise<boolean>;
  /** The owner's feedback on the answers of one conversation. */
  feedbackOn(owner: string, conversationId: string): Promise<Feedback[]>;
  /** Every owner's feedback, oldest first (for `npm run feedback -- export`). */
  allFeedback(options?: { rating?: 'up' | 'down' }): Promise<Feedback[]>;
}

export type Store = ConversationStore & FeedbackStore & { readonly backend: string };

interface ConversationRow {
  id: string;
  title: string;
  renamed: boolean | number;
  created_at: number;
  updated_at: number;
  exchange_count?: number;
  shared?: boolean | number;
}

interface ShareRow {
  token: string;
  owner: string;
  conversation_id: string;
  exchanges: number;
  created_at: number;
  revoked_at: number | null;
}

/** LIKE with the user's text taken literally. */
const likePattern = (text: string): string => `%${text.toLowerCase().replace(/[\\%_]/g, (character) => `\\${character}`)}%`;

/** About `radius` characters either side of the first occurrence of `query` in `text`. */
export function snippetAround(text: string, query: string, radius = 30): string {
  const flat = text.replace(/\s+/g, ' ');
  const at = flat.toLowerCase().indexOf(query.toLowerCase());
  if (at < 0) return flat.slice(0, radius * 2);
  const start = Math.max(0, at - radius);
  const end = Math.min(flat.length, at + query.length + radius);
  return `${start > 0 ? '…' : ''}${flat.slice(start, end)}${end < flat.length ? '…' : ''}`;
}

const summaryOf = (row: ConversationRow): ConversationSummary => ({
  id: row.id,
  title: row.title,
  renamed: Boolean(row.renamed),
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
  exchanges: Number(row.exchange_count ?? 0),
  shared: Boolean(row.shared),
});

const shareOf = (row: ShareRow): Share => ({ token: row.token, exchanges: Number(row.exchanges), createdAt: Number(row.created_at) });

/** A stored record read back: validated, so a damaged row is an error with its place, not a page that breaks. */
function readRecord<T>(schema: { safeParse(input: unknown): { success: true; data: T } | { success: false } }, json: string, what: string): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    parsed = undefined;
  }
  const result = schema.safeParse(parsed);
  if (!result.success) throw new AppError('internal', `The stored ${what} cannot be read.`);
  return result.data;
}

const COUNTED = `SELECT c.id, c.title, c.renamed, c.created_at, c.updated_at,
  (SELECT COUNT(*) FROM exchanges e WHERE e.owner = c.owner AND e.conversation_id = c.id) AS exchange_count,
  EXISTS (SELECT 1 FROM shares s WHERE s.owner = c.owner AND s.conversation_id = c.id AND s.revoked_at IS NULL) AS shared
  FROM conversations c`;

export class SqlStore implements Store {
  constructor(private readonly database: SqlDatabase) {}

  get backend(): string {
    return `${this.database.dialect} (${this.database.location})`;
  }

  async list(owner: string, options: { query?: string; limit?: number } = {}): Promise<ConversationSummary[]> {
    const limit = Math.min(Math.max(1, options.limit ?? 100), 500);
    const query = options.query?.trim();
    if (!query) {
      const rows = await this.database.all<ConversationRow>(`${COUNTED} WHERE c.owner = ? ORDER BY c.updated_at DESC LIMIT ?`, [owner, limit]);
      return rows.map(summaryOf);
    }
    const pattern = likePattern(query);
    const rows = await this.database.all<ConversationRow>(
      `${COUNTED} WHERE c.owner = ? AND (LOWER(c.title) LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM exchanges e WHERE e.owner = c.owner AND e.conversation_id = c.id AND (LOWER(e.question) LIKE ? ESCAPE '\\' OR LOWER(e.answer) LIKE ? ESCAPE '\\')))
       ORDER BY c.updated_at DESC LIMIT ?`,
      [owner, pattern, pattern, pattern, limit],
    );
    if (rows.length === 0) return [];
    const matches = await this.database.all<{ conversation_id: string; id: string; question: string; answer: string }>(
      `SELECT conversation_id, id, question, answer FROM exchanges WHERE owner = ? AND (LOWER(question) LIKE ? ESCAPE '\\' OR LOWER(answer) LIKE ? ESCAPE '\\') ORDER BY position`,
      [owner, pattern, pattern],
    );
    const lowered = query.toLowerCase();
    return rows.map((row) => {
      const summary = summaryOf(row);
      const exchange = matches.find((candidate) => candidate.conversation_id === row.id);
      if (exchange && exchange.question.toLowerCase().includes(lowered)) summary.match = { exchangeId: exchange.id, field: 'question', text: snippetAround(exchange.question, query) };
      else if (exchange) summary.match = { exchangeId: exchange.id, field: 'answer', text: snippetAround(exchange.answer, query) };
      else summary.match = { exchangeId: '', field: 'title', text: snippetAround(row.title, query) };
      return summary;
    });
  }

  private async load(executor: SqlExecutor, owner: string, id: string): Promise<Conversation | undefined> {
    const [row] = await executor.all<ConversationRow>('SELECT id, title, renamed, created_at, updated_at FROM conversations WHERE owner = ? AND id = ?', [owner, id]);
    if (!row) return undefined;
    const exchanges = await executor.all<{ record: string }>('SELECT record FROM exchanges WHERE owner = ? AND conversation_id = ? ORDER BY position', [owner, id]);
    return {
      id: row.id,
      title: row.title,
      renamed: Boolean(row.renamed),
      createdAt: Number(row.created_at),
      updatedAt: Number(row.updated_at),
      exchanges: exchanges.map((exchange) => readRecord<Exchange>(exchangeSchema, exchange.record, 'exchange')),
    };
  }

  private async activeShare(executor: SqlExecutor, owner: string, id: string): Promise<ShareRow | undefined> {
    const [row] = await executor.all<ShareRow>('SELECT * FROM shares WHERE owner = ? AND conversation_id = ? AND revoked_at IS NULL', [owner, id]);
    return row;
  }

  async get(owner: string, id: string): Promise<{ conversation: Conversation; share?: Share } | undefined> {
    const conversation = await this.load(this.database, owner, id);
    if (!conversation) return undefined;
    const share = await this.activeShare(this.database, owner, id);
    return { conversation, ...(share ? { share: shareOf(share) } : {}) };
  }

  async save(owner: string, input: Conversation): Promise<void> {
    const conversation = conversationSchema.parse(input);
    await this.database.transaction(async (executor) => {
      await executor.run(
        `INSERT INTO conversations (owner, id, title, renamed, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (owner, id) DO UPDATE SET title = excluded.title, renamed = excluded.renamed, updated_at = excluded.updated_at`,
        [owner, conversation.id, conversation.title, conversation.renamed, conversation.createdAt, conversation.updatedAt],
      );
      await executor.run('DELETE FROM exchanges WHERE owner = ? AND conversation_id = ?', [owner, conversation.id]);
      for (const [position, exchange] of conversation.exchanges.entries()) {
        await executor.run('INSERT INTO exchanges (owner, conversation_id, position, id, question, answer, asked_at, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
          owner,
          conversation.id,
          position,
          exchange.id,
          exchange.question,
          exchange.answer,
          exchange.askedAt,
          JSON.stringify(exchange),
        ]);
      }
    });
  }

  async rename(owner: string, id: string, title: string): Promise<boolean> {
    return (await this.database.run('UPDATE conversations SET title = ?, renamed = ? WHERE owner = ? AND id = ?', [title, true, owner, id])) > 0;
  }

  async remove(owner: string, id: string): Promise<boolean> {
    return this.database.transaction(async (executor) => {
      await executor.run('DELETE FROM shares WHERE owner = ? AND conversation_id = ?', [owner, id]);
      await executor.run('DELETE FROM exchanges WHERE owner = ? AND conversation_id = ?', [owner, id]);
      return (await executor.run('DELETE FROM conversations WHERE owner = ? AND id = ?', [owner, id])) > 0;
    });
  }

  async share(owner: string, id: string): Promise<Share | undefined> {
    return this.database.transaction(async (executor) => {
      const [counted] = await executor.all<{ exchange_count: number }>(
        'SELECT (SELECT COUNT(*) FROM exchanges e WHERE e.owner = c.owner AND e.conversation_id = c.id) AS exchange_count FROM conversations c WHERE c.owner = ? AND c.id = ?',
        [owner, id],
      );
      if (!counted) return undefined;
      const exchanges = Number(counted.exchange_count);
      const existing = await this.activeShare(executor, owner, id);
      if (existing) {
        await executor.run('UPDATE shares SET exchanges = ? WHERE token = ?', [exchanges, existing.token]);
        return { token: existing.token, exchanges, createdAt: Number(existing.created_at) };
      }
      // 144 random bits: a link cannot be guessed.
      const token = randomBytes(18).toString('base64url');
      const createdAt = Date.now();
      await executor.run('INSERT INTO shares (token, owner, conversation_id, exchanges, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, NULL)', [token, owner, id, exchanges, createdAt]);
      return { token, exchanges, createdAt };
    });
  }

  async unshare(owner: string, id: string): Promise<boolean> {
    return (await this.database.run('UPDATE shares SET revoked_at = ? WHERE owner = ? AND conversation_id = ? AND revoked_at IS NULL', [Date.now(), owner, id])) > 0;
  }

  async shared(token: string): Promise<SharedConversation | undefined> {
    const [row] = await this.database.all<ShareRow>('SELECT * FROM shares WHERE token = ?', [token]);
    if (!row) return undefined;
    if (row.revoked_at !== null && row.revoked_at !== undefined) return { state: 'revoked', revokedAt: Number(row.revoked_at) };
    const conversation = await this.load(this.database, row.owner, row.conversation_id);
    if (!conversation) return undefined;
    const share = shareOf(row);
    return { state: 'active', conversation: { ...conversation, exchanges: conversation.exchanges.slice(0, share.exchanges) }, share };
  }

  async putFeedback(owner: string, exchangeId: string, input: FeedbackInput): Promise<Feedback> {
    const parsed = feedbackInputSchema.parse(input);
    const now = Date.now();
    const [existing] = await this.database.all<{ created_at: number }>('SELECT created_at FROM feedback WHERE owner = ? AND exchange_id = ?', [owner, exchangeId]);
    const createdAt = existing ? Number(existing.created_at) : now;
    await this.database.run(
      `INSERT INTO feedback (owner, exchange_id, conversation_id, rating, reason, question, record, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (owner, exchange_id) DO UPDATE SET conversation_id = excluded.conversation_id, rating = excluded.rating, reason = excluded.reason,
         question = excluded.question, record = excluded.record, updated_at = excluded.updated_at`,
      [owner, exchangeId, parsed.conversationId ?? null, parsed.rating, parsed.reason ?? null, parsed.question, JSON.stringify(parsed), createdAt, now],
    );
    return { ...parsed, exchangeId, createdAt, updatedAt: now };
  }

  async removeFeedback(owner: string, exchangeId: string): Promise<boolean> {
    return (await this.database.run('DELETE FROM feedback WHERE owner = ? AND exchange_id = ?', [owner, exchangeId])) > 0;
  }

  private readFeedback(rows: { exchange_id: string; record: string; created_at: number; updated_at: number }[]): Feedback[] {
    return rows.map((row) => ({ ...readRecord<FeedbackInput>(feedbackInputSchema, row.record, 'feedback'), exchangeId: row.exchange_id, createdAt: Number(row.created_at), updatedAt: Number(row.updated_at) }));
  }

  async feedbackOn(owner: string, conversationId: string): Promise<Feedback[]> {
    return this.readFeedback(await this.database.all('SELECT exchange_id, record, created_at, updated_at FROM feedback WHERE owner = ? AND conversation_id = ? ORDER BY created_at', [owner, conversationId]));
  }

  async allFeedback(options: { rating?: 'up' | 'down' } = {}): Promise<Feedback[]> {
    const rows = options.rating
      ? await this.database.all<{ exchange_id: string; record: string; created_at: number; updated_at: number }>('SELECT exchange_id, record, created_at, updated_at FROM feedback WHERE rating = ? ORDER BY created_at, exchange_id', [options.rating])
      : await this.database.all<{ exchange_id: string; record: string; created_at: number; updated_at: number }>('SELECT exchange_id, record, created_at, updated_at FROM feedback ORDER BY created_at, exchange_id');
    return this.readFeedback(rows);
  }

  close(): Promise<void> {
    return this.database.close();
  }
}

/** Opens the database, brings its schema up to date, and returns the store over it. */
export async function openStore(database: SqlDatabase): Promise<SqlStore> {
  try {
    await migrate(database);
  } catch (error) {
    await database.close().catch(() => undefined);
    if (error instanceof AppError) throw error;
    throw new AppError('config_invalid', `Cannot open the conversation database ${database.location}: ${(error as Error).message}`, { cause: error });
  }
  return new SqlStore(database);
}

/** The store the configuration names: PostgreSQL at `databaseUrl` when given, else SQLite in `sqliteFile`. */
export async function openConfiguredStore(settings: { databaseUrl?: string; sqliteFile: string }): Promise<SqlStore> {
  let database: SqlDatabase;
  try {
    database = settings.databaseUrl ? openPostgres(settings.databaseUrl) : openSqlite(settings.sqliteFile);
  } catch (error) {
    throw new AppError('config_invalid', `Cannot open the conversation database ${settings.databaseUrl ? 'at DATABASE_URL' : settings.sqliteFile} (CONVERSATIONS_DB): ${(error as Error).message}`, { cause: error });
  }
  return openStore(database);
}

/**
 * A store usable at once while the database opens (and migrates) in the background: each call waits for it,
 * and fails with the opening's error if it could not be opened. The server starts listening meanwhile; its
 * readiness waits for the store too, so a wrong DATABASE_URL still stops `npm start` with its reason.
 */
export function deferStore(opening: Promise<Store>, backend: string): Store {
  opening.catch(() => undefined);
  const call =
    <K extends Exclude<keyof Store, 'backend' | 'close'>>(name: K) =>
    async (...args: Parameters<Store[K]>): Promise<Awaited<ReturnType<Store[K]>>> => {
      const store = await opening;
      return (store[name] as (...parameters: Parameters<Store[K]>) => Promise<Awaited<ReturnType<Store[K]>>>)(...args);
    };
  return {
    backend,
    list: call('list'),
    get: call('get'),
    save: call('save'),
    rename: call('rename'),
    remove: call('remove'),
    share: call('share'),
    unshare: call('unshare'),
    shared: call('shared'),
    putFeedback: call('putFeedback'),
    removeFeedback: call('removeFeedback'),
    feedbackOn: call('feedbackOn'),
    allFeedback: call('allFeedback'),
    close: async () => {
      const store = await opening.catch(() => undefined);
      await store?.close();
    },
  };
}
