// Reading a document a user brings without letting it near the server's event loop or memory: each
// document is read in a child process of its own (read-document-child.ts) with a JavaScript heap cap,
// watched for wall time and (on Linux) resident memory, and killed at the first limit. Memory a hostile
// file made the reader take goes back to the system with the process.
import { fork, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { DocumentError, type DocumentProblem, type ExceededLimit } from './document-error.ts';
import { overLimit, type DocumentLimits } from './document-limits.ts';
import { checkFileSize, type ReadDocument, type ReadDocumentInput } from './read-document.ts';

export interface DocumentReader {
  /** Reads a document, or rejects with a DocumentError: never anything else. */
  read(input: Omit<ReadDocumentInput, 'limits'>): Promise<ReadDocument>;
  /** Stops every read in progress (a server shutting down); they reject with `unreadable`. */
  close(): void;
}

/** What the reading process answers. */
export type ReaderReply = { ok: true; document: ReadDocument } | { ok: false; problem: DocumentProblem; message: string; limit?: ExceededLimit };

const CHILD_ENTRY = fileURLToPath(new URL('./read-document-child.ts', import.meta.url));
/** The TypeScript loader the server itself runs with, resolved here so the child finds it from any directory. */
const TS_LOADER = import.meta.resolve('tsx');
const MB = 1024 * 1024;
/** How often the reading process's resident memory is sampled. */
const MEMORY_SAMPLE_MS = 50;

/** Resident memory of a process in bytes, from /proc (Linux); undefined elsewhere or once it is gone. */
async function residentBytes(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  const kilobytes = status ? /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] : undefined;
  return kilobytes ? Number(kilobytes) * 1024 : undefined;
}

export class ProcessDocumentReader implements DocumentReader {
  private readonly running = new Set<ChildProcess>();

  constructor(private readonly limits: DocumentLimits) {}

  read(input: Omit<ReadDocumentInput, 'limits'>): Promise<ReadDocument> {
    const refusal = checkFileSize(input.bytes, input.fileName, input.maxBytes);
    if (refusal) return Promise.reject(refusal);
    const { limits } = this;
    const heapMb = Math.max(16, Math.floor(limits.memoryBytes / MB));
    return new Promise<ReadDocument>((resolve, reject) => {
      const child = fork(CHILD_ENTRY, [], {
        execArgv: ['--import', TS_LOADER, `--max-old-space-size=${heapMb}`],
        serialization: 'advanced',
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      this.running.add(child);
      let settled = false;
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
      const settle = (outcome: { document: ReadDocument } | { error: DocumentError }): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearInterval(sampler);
        this.running.delete(child);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        if ('document' in outcome) resolve(outcome.document);
        else reject(outcome.error);
      };
      const timer = setTimeout(() => settle({ error: overLimit('milliseconds', limits, `Reading ${input.fileName} took over ${limits.milliseconds / 1000} s`) }), limits.milliseconds);
      let sampling = false;
      const sampler = setInterval(() => {
        if (sampling || child.pid === undefined) return;
        sampling = true;
        void residentBytes(child.pid).then((bytes) => {
          sampling = false;
          if (bytes !== undefined && bytes > limits.memoryBytes) settle({ error: overLimit('memoryBytes', limits, `Reading ${input.fileName} took over ${Math.round(limits.memoryBytes / MB)} MB of memory`) });
        });
      }, MEMORY_SAMPLE_MS);
      child.once('message', (reply: ReaderReply) => {
        if (reply.ok) return settle({ document: reply.document });
        settle({ error: new DocumentError(reply.problem, reply.message, reply.limit ? { limit: reply.limit } : {}) });
      });
      child.once('error', (cause) => settle({ error: new DocumentError('unreadable', `${input.fileName} could not be read: the reader did not start (${cause.message}).`, { cause }) }));
      // 'close', not 'exit': it comes after the last message, so an answer sent just before exiting is not missed.
      child.once('close', (code, signal) => {
        if (/heap out of memory|Allocation failed/i.test(stderr)) {
          return settle({ error: overLimit('memoryBytes', limits, `Reading ${input.fileName} took over ${heapMb} MB of memory`) });
        }
        settle({ error: new DocumentError('unreadable', `${input.fileName} could not be read: the reader stopped (${signal ?? `exit code ${code}`}).`) });
      });
      child.send({ bytes: input.bytes, fileName: input.fileName, limits, ...(input.maxBytes ? { maxBytes: input.maxBytes } : {}), ...(input.encoding ? { encoding: input.encoding } : {}) } satisfies ReadDocumentInput);
    });
  }

  close(): void {
    for (const child of this.running) child.kill('SIGKILL');
  }
}
