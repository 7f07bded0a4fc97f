// A PostgreSQL server of its own for a test file: Debian's binaries (`apt-get install postgresql`; .ci/run
// installs it), a fresh cluster made with initdb in a temporary folder, listening on 127.0.0.1 at a free
// port, stopped and removed afterwards. As root (CI), it runs as the `postgres` system user, which the
// package creates: PostgreSQL refuses to run as root. Without the binaries, outside CI, the tests skip.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

const ROOT = '/usr/lib/postgresql';

function findBinaries(): string | undefined {
  if (!existsSync(ROOT)) return undefined;
  const versions = readdirSync(ROOT)
    .filter((version) => existsSync(path.join(ROOT, version, 'bin', 'initdb')) && existsSync(path.join(ROOT, version, 'bin', 'postgres')))
    .sort((left, right) => Number(right) - Number(left));
  return versions[0] ? path.join(ROOT, versions[0], 'bin') : undefined;
}

const binaries = findBinaries();
if (!binaries && process.env.CI) throw new Error(`PostgreSQL is missing (${ROOT}/*/bin/postgres): install it with apt-get install -y postgresql`);
/** Why the PostgreSQL tests skip (outside CI, without the server), or false when they run. */
export const postgresSkip: string | false = binaries ? false : 'PostgreSQL is not installed (apt-get install -y postgresql); its tests skipped';

export interface TestPostgres {
  /** A connection URL for a new, empty database on this server. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Runs as the postgres user when this process is root (setpriv execs the program itself: its pid is the server's). */
function asServerUser(command: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [command, args];
  return ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', command, ...args]];
}

export async function startPostgres(): Promise<TestPostgres> {
  if (!binaries) throw new Error(String(postgresSkip));
  const folder = mkdtempSync(path.join(tmpdir(), 'pg-test-'));
  const data = path.join(folder, 'data');
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(folder, uid, gid);
  }
  const [initdb, initArgs] = asServerUser(path.join(binaries, 'initdb'), ['-D', data, '-U', 'test', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  execFileSync(initdb, initArgs, { stdio: 'pipe', cwd: folder });
  const port = await freePort();
  // Durability is not what these tests check: fsync off makes the cluster quick on a busy machine.
  const [postgres, serverArgs] = asServerUser(path.join(binaries, 'postgres'), ['-D', data, '-p', String(port), '-k', folder, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']);
  const server: ChildProcess = spawn(postgres, serverArgs, { stdio: ['ignore', 'ignore', 'pipe'], cwd: folder });
  let log = '';
  server.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const admin = `postgres://test@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const client = new pg.Client({ connectionString: admin });
    try {
      await client.connect();
      await client.end();
      break;
    } catch {
      await client.end().catch(() => undefined);
      if (server.exitCode !== null || Date.now() > deadline) {
        server.kill('SIGKILL');
        rmSync(folder, { recursive: true, force: true });
        throw new Error(`PostgreSQL did not start: ${log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return {
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
      } finally {
        await client.end();
      }
      return `postgres://test@127.0.0.1:${port}/${encodeURIComponent(name)}`;
    },
    async stop() {
      // SIGINT: PostgreSQL's fast shutdown (open connections are cut).
      server.kill('SIGINT');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
