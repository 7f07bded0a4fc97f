// The two databases the conversation store runs on, behind one small interface: SQLite in a file (embedded,
// the default; better-sqlite3) and PostgreSQL (DATABASE_URL; node-postgres), which several server processes
// can share. Queries are written once with `?` placeholders in SQL both understand.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import pg from 'pg';

export type Dialect = 'sqlite' | 'postgres';
export type SqlValue = string | number | boolean | null;

/** Runs statements; inside a transaction, on that transaction's connection. */
export interface SqlExecutor {
  all<Row>(sql: string, parameters?: readonly SqlValue[]): Promise<Row[]>;
  /** The number of rows the statement changed. */
  run(sql: string, parameters?: readonly SqlValue[]): Promise<number>;
}

export interface SqlDatabase extends SqlExecutor {
  readonly dialect: Dialect;
  /** Where it is, for messages: the file, or the server and database (without the password). */
  readonly location: string;
  /**
   * Runs `work` in one transaction, committed when it resolves and rolled back when it throws. With
   * `exclusive`, no other transaction (of this or another process) runs beside it: migrations use it.
   */
  transaction<T>(work: (executor: SqlExecutor) => Promise<T>, options?: { exclusive?: boolean }): Promise<T>;
  close(): Promise<void>;
}

/** One key for PostgreSQL's advisory lock that serializes migrations across processes (any constant will do). */
const MIGRATION_LOCK_KEY = 2_020_062_021;

/**
 * One queue per file for the whole process: two connections to one file in one thread would otherwise wait
 * on each other's lock with nothing left to release it (better-sqlite3 blocks the thread while it waits).
 */
const fileQueues = new Map<string | symbol, Promise<unknown>>();

/**
 * SQLite in one file, in WAL mode so readers do not wait for the writer; several processes may open the same
 * file (a write waits up to 15 s for another's). better-sqlite3 is synchronous, so every call is queued: an
 * async transaction never has another request's statements run inside it.
 */
export function openSqlite(file: string): SqlDatabase {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const database = new Sqlite(file);
  database.pragma('journal_mode = WAL');
  // Replicas on one machine share the file: a write waits for another process's (at start, its migration)
  // rather than failing; 15 s covers a busy machine.
  database.pragma('busy_timeout = 15000');
  database.pragma('foreign_keys = ON');
  const statements = new Map<string, Sqlite.Statement>();
  const prepare = (sql: string): Sqlite.Statement => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = database.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  // SQLite has no booleans: 1 and 0.
  const bind = (parameters: readonly SqlValue[]): (string | number | null)[] => parameters.map((value) => (typeof value === 'boolean' ? (value ? 1 : 0) : value));
  const executor: SqlExecutor = {
    all: async <Row>(sql: string, parameters: readonly SqlValue[] = []) => prepare(sql).all(...bind(parameters)) as Row[],
    run: async (sql, parameters = []) => prepare(sql).run(...bind(parameters)).changes,
  };
  const key = file === ':memory:' ? Symbol('memory') : path.resolve(file);
  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const next = (fileQueues.get(key) ?? Promise.resolve()).then(work, work);
    fileQueues.set(key, next.catch(() => undefined));
    return next;
  };
  return {
    dialect: 'sqlite',
    location: file,
    all: (sql, parameters) => serialized(() => executor.all(sql, parameters)),
    run: (sql, parameters) => serialized(() => executor.run(sql, parameters)),
    transaction: (work) =>
      serialized(async () => {
        // IMMEDIATE takes the write lock at once, so two processes cannot both read and then both write.
        database.exec('BEGIN IMMEDIATE');
        try {
          const result = await work(executor);
          database.exec('COMMIT');
          return result;
        } catch (error) {
          if (database.inTransaction) database.exec('ROLLBACK');
          throw error;
        }
      }),
    close: () => serialized(async () => void database.close()),
  };
}

/** `?` placeholders as PostgreSQL's `$1, $2, …` (none of our SQL has a `?` inside a string literal). */
function numberPlaceholders(sql: string): string {
  let position = 0;
  return sql.replace(/\?/g, () => `$${++position}`);
}

/** BIGINT (int8) columns hold milliseconds and counts: read them as numbers, not strings. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === 20 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text'))) as typeof pg.types.getTypeParser,
};

export function describeDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.username ? `${decodeURIComponent(parsed.username)}@` : ''}${parsed.host}${parsed.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}

/** PostgreSQL through a small pool; every server process that points at the same database sees the same conversations. */
export function openPostgres(url: string, options: { maxConnections?: number } = {}): SqlDatabase {
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 5, types, connectionTimeoutMillis: 10_000, idleTimeoutMillis: 30_000 });
  // An idle client that loses its connection (the database restarted) must not crash the process.
  pool.on('error', (error) => console.error(`PostgreSQL connection lost: ${error.message}`));
  const executorOf = (client: pg.Pool | pg.PoolClient): SqlExecutor => ({
    all: async <Row>(sql: string, parameters: readonly SqlValue[] = []) => (await client.query(numberPlaceholders(sql), [...parameters])).rows as Row[],
    run: async (sql, parameters = []) => (await client.query(numberPlaceholders(sql), [...parameters])).rowCount ?? 0,
  });
  const shared = executorOf(pool);
  return {
    dialect: 'postgres',
    location: describeDatabaseUrl(url),
    all: shared.all,
    run: shared.run,
    async transaction(work, transactionOptions = {}) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        // Released at COMMIT or ROLLBACK; another process migrating waits here.
        if (transactionOptions.exclusive) await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
        const result = await work(executorOf(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
