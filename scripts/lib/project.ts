// Where things are (the project root, results/, the dev set) and small file helpers shared by the scripts.
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEFAULT_EVAL_SET = path.resolve(PROJECT_ROOT, 'eval/dev.json');
export const RESULTS_DIR = path.join(PROJECT_ROOT, 'results');

export const fromRoot = (...parts: string[]): string => path.resolve(PROJECT_ROOT, ...parts);

export async function writeResults(file: string, value: unknown): Promise<string> {
  const target = path.resolve(PROJECT_ROOT, file);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, `${JSON.stringify(value, null, 2)}\n`);
  return path.relative(PROJECT_ROOT, target);
}

/** A fresh temporary folder, removed by the returned function. */
export async function makeTempDir(prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), `${prefix}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Copies the index a server would load (`CURRENT` and the folder it names) from `indexDir` into
 * `target`, so fault tests never touch the real vectorstore/. Returns the copied folder's name.
 */
export async function copyIndex(indexDir: string, target: string): Promise<string> {
  const name = (await readFile(path.join(indexDir, 'CURRENT'), 'utf8')).trim();
  await mkdir(target, { recursive: true });
  await cp(path.join(indexDir, name), path.join(target, name), { recursive: true });
  await writeFile(path.join(target, 'CURRENT'), name);
  return name;
}

/** Environment for a child that must run offline and extractive whatever the caller's shell holds. */
export function offlineEnvironment(overrides: Record<string, string>): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) environment[key] = value;
  for (const key of ['CHAT_MODEL', 'OPENAI_BASE_URL', 'OPENAI_API_KEY', 'EMBEDDINGS', 'EMBEDDING_MODEL', 'CORS_ORIGINS', 'PORT', 'HOST']) delete environment[key];
  return { ...environment, HOST: '127.0.0.1', PORT: '0', ...overrides };
}

let gc: (() => void) | undefined;

/**
 * A full garbage collection, even when node was started without --expose-gc (npm run bench runs tsx
 * plainly): between measurements, and before reading heap sizes.
 */
export function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Milliseconds until `check` held (polled every `intervalMs`), or undefined when it did not within `timeoutMs`. */
export async function timeUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 20): Promise<number | undefined> {
  const started = performance.now();
  return (await waitFor(check, timeoutMs, intervalMs)) ? performance.now() - started : undefined;
}

/** Polls `check` every `intervalMs` until it holds or `timeoutMs` passes; returns whether it held. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(intervalMs);
  }
}
