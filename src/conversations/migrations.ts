// The conversation store's schema, as numbered migrations applied in order and recorded in
// schema_migrations. Each runs once, in the same transaction as its record, under a lock no other process
// can hold at the same time (replicas starting together migrate once). Append new versions; never edit one
// that has shipped. The SQL is what SQLite and PostgreSQL both accept (BIGINT for milliseconds).
import { AppError } from '../errors.ts';
import type { SqlDatabase } from './sql-database.ts';

export interface Migration {
  version: number;
  name: string;
  statements: readonly string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'conversations, their exchanges and share links',
    statements: [
      `CREATE TABLE conversations (
        owner TEXT NOT NULL,
        id TEXT NOT NULL,
        title TEXT NOT NULL,
        renamed BOOLEAN NOT NULL DEFAULT FALSE,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (owner, id)
      )`,
      'CREATE INDEX conversations_by_owner ON conversations (owner, updated_at)',
      `CREATE TABLE exchanges (
        owner TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        id TEXT NOT NULL,
        question TEXT NOT NULL,
        answer TEXT NOT NULL,
        asked_at BIGINT NOT NULL,
        record TEXT NOT NULL,
        PRIMARY KEY (owner, conversation_id, position),
        FOREIGN KEY (owner, conversation_id) REFERENCES conversations (owner, id) ON DELETE CASCADE
      )`,
      `CREATE TABLE shares (
        token TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        exchanges INTEGER NOT NULL,
        created_at BIGINT NOT NULL,
        revoked_at BIGINT
      )`,
      'CREATE INDEX shares_by_conversation ON shares (owner, conversation_id)',
    ],
  },
  {
    version: 2,
    name: 'feedback on answers',
    statements: [
      `CREATE TABLE feedback (
        owner TEXT NOT NULL,
        exchange_id TEXT NOT NULL,
        conversation_id TEXT,
        rating TEXT NOT NULL,
        reason TEXT,
        question TEXT NOT NULL,
        record TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (owner, exchange_id)
      )`,
      'CREATE INDEX feedback_by_time ON feedback (created_at)',
    ],
  },
];

/** Applies the migrations the database lacks; returns the versions applied now (none when it was current). */
export async function migrate(database: SqlDatabase, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  return database.transaction(
    async (executor) => {
      await executor.run('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
      const done = new Set((await executor.all<{ version: number }>('SELECT version FROM schema_migrations')).map((row) => Number(row.version)));
      const newest = Math.max(0, ...migrations.map((migration) => migration.version));
      const ahead = [...done].filter((version) => version > newest);
      if (ahead.length > 0) {
        throw new AppError('config_invalid', `The conversation database ${database.location} has schema version ${Math.max(...ahead)}, newer than this server knows (${newest}): run the newer server, or point the server at another database.`);
      }
      const applied: number[] = [];
      for (const migration of [...migrations].sort((left, right) => left.version - right.version)) {
        if (done.has(migration.version)) continue;
        for (const statement of migration.statements) await executor.run(statement);
        await executor.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [migration.version, migration.name, Date.now()]);
        applied.push(migration.version);
      }
      return applied;
    },
    { exclusive: true },
  );
}

/** The versions recorded, ascending. */
export async function appliedVersions(database: SqlDatabase): Promise<number[]> {
  const rows = await database.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
  return rows.map((row) => Number(row.version));
}
