// The limits on reading one document a user brings: how much its archive entries and compressed streams
// may unpack to (each and in all), how many pages and characters it may have, and how long and how much
// memory reading it may take. Each limit is a setting; a document over one is refused naming it.
import { DocumentError } from './document-error.ts';

export interface DocumentLimits {
  /** Unpacked bytes of one .docx archive entry or one compressed PDF stream. */
  entryBytes: number;
  /** Unpacked bytes of all entries or streams together. */
  unpackedBytes: number;
  pages: number;
  /** Characters of extracted text. */
  characters: number;
  /** Wall time of the whole read, in milliseconds. */
  milliseconds: number;
  /** Memory of the process that reads: its JavaScript heap and (on Linux) its resident size, in bytes. */
  memoryBytes: number;
}

export type DocumentLimitName = keyof DocumentLimits;

const MB = 1024 * 1024;

export const DEFAULT_DOCUMENT_LIMITS: DocumentLimits = {
  entryBytes: 64 * MB,
  unpackedBytes: 256 * MB,
  pages: 1000,
  // Three times the longest report of the corpus (广东's, 31,612 characters): a document is indexed in the
  // server's own thread, a batch at a time with questions answered in between, and longer ones hold it longer.
  characters: 100_000,
  milliseconds: 30_000,
  memoryBytes: 512 * MB,
};

/** The setting (environment variable) of each limit, what it counts, and the status a refusal gets. */
export const DOCUMENT_LIMIT_SETTINGS: Record<DocumentLimitName, { setting: string; describe: (value: number) => string; status: 413 | 422 }> = {
  entryBytes: { setting: 'DOCUMENT_MAX_ENTRY_MB', describe: (value) => `${value / MB} MB unpacked per archive entry or PDF stream`, status: 413 },
  unpackedBytes: { setting: 'DOCUMENT_MAX_UNPACKED_MB', describe: (value) => `${value / MB} MB unpacked in all`, status: 413 },
  pages: { setting: 'DOCUMENT_MAX_PAGES', describe: (value) => `${value} pages`, status: 413 },
  characters: { setting: 'DOCUMENT_MAX_CHARACTERS', describe: (value) => `${value} characters of text`, status: 413 },
  milliseconds: { setting: 'DOCUMENT_TIMEOUT_MS', describe: (value) => `${value / 1000} s of reading`, status: 422 },
  memoryBytes: { setting: 'DOCUMENT_MAX_HEAP_MB', describe: (value) => `${value / MB} MB of memory for reading`, status: 422 },
};

/** The refusal of a document over a limit: `what` says what was found ("the page tree has 100,001 nodes"). */
export function overLimit(name: DocumentLimitName, limits: DocumentLimits, what: string): DocumentError {
  const { setting, describe, status } = DOCUMENT_LIMIT_SETTINGS[name];
  return new DocumentError(status === 413 ? 'over_limit' : 'too_costly', `${what}: over the limit of ${describe(limits[name])} (${setting}). Bring a smaller or simpler file, or raise ${setting} on the server.`, {
    limit: { name, setting, value: limits[name] },
  });
}

export const formatMegabytes = (bytes: number): string => `${Math.round((bytes / MB) * 10) / 10} MB`;
