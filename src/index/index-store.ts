// Building the index into vectorstore/ and loading it back. A build writes a new folder and then switches
// the CURRENT pointer by an atomic rename, so an interrupted ingest never leaves a broken index.
import { createHash } from 'node:crypto';
import { copyFile, link, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { z } from 'zod';
import { chunkReport, DEFAULT_CHUNK_OPTIONS, indexedText, type ChunkOptions } from '../chunking/chunk-report.ts';
import { CATALOGUE_FILE_NAME, readCatalogueFile, removeUnreferencedTexts, writeCatalogueCopy, writeCatalogueFile, type Catalogue } from '../corpus/catalogue.ts';
import { loadCorpus, type Corpus } from '../corpus/load-corpus.ts';
import { listCorpusRegions, registerCorpusRegions, type RegionEntry } from '../corpus/regions.ts';
import { AppError } from '../errors.ts';
import type { Passage, Report } from '../types.ts';
import { createEmbeddings, describeEmbedder, LsaEmbeddings, type EmbedderSettings } from './embedders.ts';
import { buildEnglishDictionary, ENGLISH_DICTIONARY_FILE, ENGLISH_DICTIONARY_VERSION, readEnglishDictionary, type EnglishDictionaryData } from './english-dictionary.ts';
import { DEFAULT_LSA_OPTIONS, LsaModel, trainLsa } from './lsa-model.ts';
import { LocalSearchBackend, type HnswSettings } from './local-backend.ts';
import { PassageIndex, type IndexManifest, type ReportInfo } from './passage-index.ts';
import { PassageStore } from './passage-store.ts';
import { embedReusing } from './reuse-vectors.ts';
import { embedPassages, sentencePooling } from './embed-passages.ts';
import { SentenceVectors } from './sentence-vectors.ts';
import { tokenize } from './tokenize.ts';
import { FileWriterLock } from './file-writer-lock.ts';
import { withWriterLock, type AcquireOptions, type HeldLock, type WriterLock } from './writer-lock.ts';

/** 3: the passage store and the search backend in separate files; HNSW labels are backend slots. 4: sentence vectors. */
const FORMAT_VERSION = 4;
export const REBUILD_COMMAND = 'npm run ingest';

export type { HnswSettings };

/** Chosen by measuring recall@10 against brute force on this corpus (see `npm run bench`). */
export const DEFAULT_HNSW: HnswSettings = { M: 16, efConstruction: 200, efSearch: 100 };

export interface BuildSettings {
  dataDir: string;
  indexDir: string;
  embedder: EmbedderSettings;
  chunking?: ChunkOptions;
  hnsw?: HnswSettings;
}

export type ProgressListener = (event: { stage: string; done: number; total: number }) => void;

/**
 * The steps of writing an index, in order, each durable when it is announced: the texts of added reports
 * are in data/added, the new folder is complete (still under its staging name), renamed into place,
 * CURRENT switched to it (the change is made), the catalogue's copy in data/added written, and what the
 * change left unreferenced removed. A process stopped after any step leaves the previous index or the new
 * one, and the start-up check (reconcile-index.ts) finishes or clears the rest.
 */
export const WRITE_STEPS = ['locked', 'texts-written', 'folder-written', 'folder-renamed', 'switched', 'catalogue-written', 'cleaned'] as const;
export type WriteStep = (typeof WRITE_STEPS)[number];

/** How a writer is run: the lock it takes (or already holds), and a hook told of each step. */
export interface WriteOptions {
  /** The lock to take; the file lock in INDEX_DIR by default. */
  lock?: WriterLock;
  /** The lock the caller already holds (it has also run the start-up check). */
  held?: HeldLock;
  /** How long to wait for another writer, and what to say meanwhile (the CLI); by default, busy at once. */
  wait?: AcquireOptions;
  /** Called after each step (progress, or a test stopping the process there). */
  onStep?: (step: WriteStep) => void | Promise<void>;
}

/** Runs `work` holding the writer lock: the caller's, or one taken (and released) here. */
export async function holdingWriterLock<T>(indexDir: string, purpose: string, options: WriteOptions, work: (held: HeldLock) => Promise<T>): Promise<T> {
  if (options.held) return work(options.held);
  return withWriterLock(
    options.lock ?? new FileWriterLock(indexDir),
    purpose,
    async (held) => {
      await options.onStep?.('locked');
      return work(held);
    },
    options.wait,
  );
}

export function settingsHash(corpusHash: string, settings: BuildSettings): string {
  return createHash('sha256')
    .update(
      JSON.stringify({
        FORMAT_VERSION,
        corpusHash,
        english: ENGLISH_DICTIONARY_VERSION,
        embedder: describeEmbedder(settings.embedder),
        chunking: settings.chunking ?? DEFAULT_CHUNK_OPTIONS,
        hnsw: settings.hnsw ?? DEFAULT_HNSW,
        lsa: settings.embedder.kind === 'lsa' ? DEFAULT_LSA_OPTIONS : undefined,
        // A model's index records how its sentences were embedded (LSA's hash stays what it was).
        sentences: settings.embedder.kind === 'model' ? sentencePooling(settings.embedder) : undefined,
      }),
    )
    .digest('hex');
}

/** Characters that matter for comparing passages across copies of a report. */
const normalizeForComparison = (text: string): string => text.replace(/[\s，。、；：！？,.;:!?“”‘’"'（）()《》【】\-—*]/g, '');

/** Chunks every report; a copy of a report (Jiangsu's PDF) keeps only passages the original lacks. */
export function chunkCorpus(corpus: Pick<Corpus, 'reports' | 'duplicates'>, options: ChunkOptions = DEFAULT_CHUNK_OPTIONS): { passages: Passage[]; dropped: number } {
  const passages: Passage[] = [];
  let dropped = 0;
  const normalizedReports = new Map(corpus.reports.map((report) => [report.id, normalizeForComparison(report.text)]));
  for (const report of corpus.reports) {
    const original = corpus.duplicates.get(report.id);
    const originalText = original ? normalizedReports.get(original) : undefined;
    for (const passage of chunkReport(report, options)) {
      if (originalText !== undefined && originalText.includes(normalizeForComparison(passage.text))) {
        dropped++;
        continue;
      }
      passages.push(passage);
    }
  }
  return { passages, dropped };
}

async function writeJson(file: string, value: unknown): Promise<void> {
  await writeFile(file, JSON.stringify(value));
}

/** Builds the index from data/ and switches to it, holding the writer lock throughout. */
export async function buildIndex(settings: BuildSettings, onProgress: ProgressListener = () => {}, options: WriteOptions = {}): Promise<IndexManifest> {
  return holdingWriterLock(settings.indexDir, 'ingest', options, (held) => buildIndexHolding(settings, onProgress, { ...options, held }));
}

async function buildIndexHolding(settings: BuildSettings, onProgress: ProgressListener, options: WriteOptions & { held: HeldLock }): Promise<IndexManifest> {
  const chunking = settings.chunking ?? DEFAULT_CHUNK_OPTIONS;
  const hnsw = settings.hnsw ?? DEFAULT_HNSW;
  // A local model starts what embedding many passages needs (its processes) while the corpus is read.
  if (settings.embedder.kind === 'model') settings.embedder.embeddings.prepare();
  onProgress({ stage: 'corpus', done: 0, total: 1 });
  // A local model's vectors of unchanged texts are taken from the index being replaced (loaded before the
  // corpus, whose regions then replace the ones it registered). Not an endpoint's: the model behind its name may change.
  const previous = settings.embedder.kind !== 'model' ? undefined : await currentIndexFolder(settings.indexDir).then((folder) => loadIndexFolder(settings, folder)).catch(() => undefined);
  const corpus = await loadCorpus(settings.dataDir);
  const { passages, dropped } = chunkCorpus(corpus, chunking);
  const texts = passages.map(indexedText);
  onProgress({ stage: 'corpus', done: 1, total: 1 });

  // BM25's tokens, and the English dictionary of their vocabulary built in a child process while the passages are embedded.
  onProgress({ stage: 'bm25', done: 0, total: passages.length });
  const tokens = texts.map((text) => tokenize(text));
  onProgress({ stage: 'bm25', done: passages.length, total: passages.length });
  const vocabulary = new Map<string, number>();
  for (const list of tokens) for (const token of new Set(list)) vocabulary.set(token, (vocabulary.get(token) ?? 0) + 1);
  const englishBuilt = buildEnglishDictionary(vocabulary);
  // Awaited after the embedding; a failure meanwhile is not left unhandled.
  englishBuilt.catch(() => {});

  let lsa: LsaModel | undefined;
  let embeddings: EmbeddingsInterface;
  if (settings.embedder.kind === 'lsa') {
    onProgress({ stage: 'lsa', done: 0, total: 1 });
    lsa = trainLsa(texts);
    embeddings = new LsaEmbeddings(lsa);
    onProgress({ stage: 'lsa', done: 1, total: 1 });
  } else {
    embeddings = await createEmbeddings(settings.embedder);
  }

  // Passages and their sentences (one run of the model each, when it pools the sentences from it).
  const embedded = await embedReusing(passages, settings.embedder, previous, (missing) => embedPassages(embeddings, missing, onProgress));
  const { vectors } = embedded;
  const dimensions = vectors[0]?.length ?? 0;
  const sentences = SentenceVectors.fromEmbedded(dimensions, passages.map((passage) => passage.id), embedded.spans, embedded.sentenceVectors);

  onProgress({ stage: 'dictionary', done: 0, total: 1 });
  const english = await englishBuilt;
  onProgress({ stage: 'dictionary', done: 1, total: 1 });
  onProgress({ stage: 'hnsw', done: 0, total: passages.length });
  const backend = await LocalSearchBackend.create(
    dimensions,
    hnsw,
    passages.map((passage, index) => ({ passage, tokens: tokens[index]!, vector: vectors[index]! })),
  );
  onProgress({ stage: 'hnsw', done: passages.length, total: passages.length });

  const manifest: IndexManifest = {
    formatVersion: FORMAT_VERSION,
    corpusHash: corpus.hash,
    settingsHash: settingsHash(corpus.hash, settings),
    embedder: describeEmbedder(settings.embedder),
    dimensions,
    passages: passages.length,
    sentences: sentences.size,
    sentencePooling: sentencePooling(settings.embedder),
    hnsw,
    chunking,
    builtAt: new Date().toISOString(),
    droppedDuplicates: dropped,
  };
  const reports: ReportInfo[] = corpus.reports.map((report) => ({ ...report }));
  const folder = await writeIndexFolder(settings.indexDir, { manifest, store: new PassageStore(reports, passages), backend, sentences, regions: listCorpusRegions(), lsa, english, catalogue: corpus.catalogue, held: options.held, ...(options.onStep ? { onStep: options.onStep } : {}) });
  // The copy names the folder it now belongs to, so that a later edit by hand is told from a writer that died.
  await writeCatalogueCopy(settings.dataDir, corpus.catalogue, path.basename(folder));
  await options.onStep?.('catalogue-written');
  await removeUnreferencedTexts(settings.dataDir, [corpus.catalogue.reports]);
  await options.onStep?.('cleaned');
  return manifest;
}

export interface IndexContents {
  manifest: IndexManifest;
  store: PassageStore;
  backend: LocalSearchBackend;
  sentences: SentenceVectors;
  /** Regions of the corpus the region table does not know. */
  regions: readonly RegionEntry[];
  /** A freshly trained model, or the folder whose model files are reused unchanged (linked, not copied). */
  lsa?: LsaModel;
  lsaFrom?: string;
  /** The added reports the index holds and the shipped ones it leaves out: switched with it, so the two never disagree. */
  catalogue: Catalogue;
  /** The writer lock, checked to be still held right before CURRENT switches. */
  held: HeldLock;
  onStep?: WriteOptions['onStep'];
  /** The English → report terms table, or the folder whose table is reused (an update keeps it). */
  english?: EnglishDictionaryData;
  englishFrom?: string;
}

/**
 * Writes an index into a fresh folder, then points CURRENT at it with an atomic rename: a reader sees
 * the previous index or this one, and a process killed before the rename leaves the previous one serving.
 */
export async function writeIndexFolder(indexDir: string, contents: IndexContents): Promise<string> {
  await mkdir(indexDir, { recursive: true });
  const folderName = `index-${Date.now()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const folder = path.join(indexDir, folderName);
  const staging = path.join(indexDir, `.staging-${folderName}`);
  await mkdir(staging, { recursive: true });
  const reuseLsa = async (): Promise<void> => {
    for (const file of ['lsa.json', 'lsa.bin']) {
      const from = path.join(contents.lsaFrom!, file);
      await link(from, path.join(staging, file)).catch(() => copyFile(from, path.join(staging, file)));
    }
  };
  await Promise.all([
    writeJson(path.join(staging, 'passages.json'), contents.store.passages),
    writeJson(path.join(staging, 'reports.json'), contents.store.reports),
    writeJson(path.join(staging, 'regions.json'), contents.regions),
    contents.backend.save(staging),
    contents.sentences.save(staging),
    contents.lsa ? contents.lsa.save(staging) : contents.lsaFrom ? reuseLsa() : undefined,
    writeCatalogueFile(path.join(staging, CATALOGUE_FILE_NAME), contents.catalogue),
    contents.english
      ? writeJson(path.join(staging, ENGLISH_DICTIONARY_FILE), contents.english)
      : contents.englishFrom
        ? copyFile(path.join(contents.englishFrom, ENGLISH_DICTIONARY_FILE), path.join(staging, ENGLISH_DICTIONARY_FILE)).catch(() => undefined)
        : undefined,
  ]);
  await writeJson(path.join(staging, 'manifest.json'), contents.manifest);
  await contents.onStep?.('folder-written');
  await rename(staging, folder);
  await contents.onStep?.('folder-renamed');
  const previous = await readFile(path.join(indexDir, 'CURRENT'), 'utf8').then((text) => text.trim(), () => undefined);
  const pointer = path.join(indexDir, `.CURRENT-${process.pid}`);
  await writeFile(pointer, folderName);
  if (!(await contents.held.stillHeld())) {
    throw new AppError('busy', 'The writer lock was taken over by another writer while this one worked; nothing was switched. Try again.');
  }
  await rename(pointer, path.join(indexDir, 'CURRENT'));
  await contents.onStep?.('switched');
  // The folder just replaced stays until the next switch, so a load that read CURRENT a moment before
  // can still finish; older ones go.
  await removeStaleFolders(indexDir, [folderName, ...(previous ? [previous] : [])]);
  return folder;
}

/**
 * Removes index folders other than `keep`, staging folders and CURRENT pointers being written: every
 * writer holds the writer lock, so any of them not this writer's was left by a writer that died.
 */
export async function removeStaleFolders(indexDir: string, keep: readonly string[]): Promise<string[]> {
  const removed: string[] = [];
  for (const entry of await readdir(indexDir)) {
    if (keep.includes(entry) || !/^(?:\.staging-index-|index-|\.CURRENT-)/.test(entry)) continue;
    await rm(path.join(indexDir, entry), { recursive: true, force: true });
    removed.push(entry);
  }
  return removed;
}

const passageSchema = z.object({
  id: z.string(),
  reportId: z.string(),
  region: z.string(),
  title: z.string(),
  sectionPath: z.array(z.string()),
  text: z.string(),
  start: z.number().int(),
  end: z.number().int(),
  ordinal: z.number().int(),
  year: z.number().int(),
  part: z.enum(['review', 'plan', 'other']),
});
const reportSchema = z.object({
  id: z.string(),
  region: z.string(),
  level: z.enum(['national', 'province', 'city']),
  parent: z.string().optional(),
  title: z.string(),
  year: z.number().int(),
  date: z.string().optional(),
  speaker: z.string().optional(),
  sourceFile: z.string(),
  text: z.string(),
  sections: z.array(z.object({ heading: z.string(), level: z.union([z.literal(1), z.literal(2)]), start: z.number(), end: z.number() })),
});
const regionEntrySchema = z.object({
  name: z.string(),
  slug: z.string(),
  level: z.enum(['national', 'province', 'city']),
  parent: z.string().optional(),
  aliases: z.array(z.string()),
  english: z.array(z.string()),
  inCorpus: z.boolean(),
});

const manifestSchema = z.object({
  formatVersion: z.literal(FORMAT_VERSION),
  corpusHash: z.string(),
  settingsHash: z.string(),
  embedder: z.string(),
  dimensions: z.number().int().positive(),
  passages: z.number().int().positive(),
  sentences: z.number().int().nonnegative(),
  sentencePooling: z.enum(['passage', 'alone']).optional(),
  hnsw: z.object({ M: z.number(), efConstruction: z.number(), efSearch: z.number() }),
  chunking: z.object({ targetChars: z.number(), maxChars: z.number(), minChars: z.number() }),
  builtAt: z.string(),
  updatedAt: z.string().optional(),
  droppedDuplicates: z.number(),
});

export async function currentIndexFolder(indexDir: string): Promise<string> {
  let name: string;
  try {
    name = (await readFile(path.join(indexDir, 'CURRENT'), 'utf8')).trim();
  } catch (cause) {
    throw new AppError('index_missing', `No index in ${indexDir}. Build it with \`${REBUILD_COMMAND}\`.`, { cause });
  }
  if (!/^index-[\w-]+$/.test(name)) throw new AppError('index_corrupt', `${path.join(indexDir, 'CURRENT')} is corrupt. Rebuild with \`${REBUILD_COMMAND}\`.`);
  return path.join(indexDir, name);
}

async function readManifestIn(folder: string): Promise<IndexManifest> {
  try {
    return manifestSchema.parse(JSON.parse(await readFile(path.join(folder, 'manifest.json'), 'utf8')));
  } catch (cause) {
    throw new AppError('index_corrupt', `The index manifest in ${folder} is unreadable (${(cause as Error).message}). Rebuild with \`${REBUILD_COMMAND}\`.`, { cause });
  }
}

export async function readIndexManifest(indexDir: string): Promise<IndexManifest> {
  return readManifestIn(await currentIndexFolder(indexDir));
}

/** Whether the index on disk was built from this corpus with these settings. */
export async function isIndexFresh(settings: BuildSettings): Promise<{ fresh: boolean; reason: string }> {
  let manifest: IndexManifest;
  try {
    manifest = await readIndexManifest(settings.indexDir);
  } catch (error) {
    const missing = error instanceof AppError && error.code === 'index_missing';
    return { fresh: false, reason: missing ? `no index in ${settings.indexDir}/ yet (it is built by \`${REBUILD_COMMAND}\`)` : (error as Error).message };
  }
  const corpus = await loadCorpus(settings.dataDir);
  if (manifest.corpusHash !== corpus.hash) return { fresh: false, reason: 'the corpus changed since the index was built' };
  if (manifest.settingsHash !== settingsHash(corpus.hash, settings)) return { fresh: false, reason: 'the embedder or index settings changed' };
  return { fresh: true, reason: 'up to date' };
}

/** The catalogue written with an index folder, or undefined for a folder written before catalogues were. */
export async function readIndexCatalogue(folder: string): Promise<Catalogue | undefined> {
  const file = await readCatalogueFile(path.join(folder, CATALOGUE_FILE_NAME));
  return file && { reports: file.reports, withdrawn: file.withdrawn };
}

/** Loads the current index; when an ingest switches CURRENT during the load, loads the new one. */
export async function loadIndex(settings: Pick<BuildSettings, 'indexDir' | 'embedder'>): Promise<PassageIndex> {
  for (let attempt = 0; ; attempt++) {
    const folder = await currentIndexFolder(settings.indexDir);
    try {
      return await loadIndexFolder(settings, folder);
    } catch (error) {
      const now = await currentIndexFolder(settings.indexDir).catch(() => folder);
      if (now === folder || attempt >= 2) throw error;
    }
  }
}

/** Reads an index folder into memory; every call gives objects of its own (an update works on a copy). */
export async function loadIndexFolder(
  settings: Pick<BuildSettings, 'indexDir' | 'embedder'>,
  folder: string,
  /** Embeddings to use instead of loading the folder's (an update reuses the served index's LSA model, which it never changes). */
  reuseEmbeddings?: EmbeddingsInterface,
): Promise<PassageIndex> {
  const manifest = await readManifestIn(folder);
  if (manifest.embedder !== describeEmbedder(settings.embedder)) {
    throw new AppError('index_corrupt', `The index was built with embedder ${manifest.embedder}, but ${describeEmbedder(settings.embedder)} is configured. Rebuild with \`${REBUILD_COMMAND}\`.`);
  }
  try {
    const [passages, reports, regions] = await Promise.all([
      readFile(path.join(folder, 'passages.json'), 'utf8').then((text): Passage[] => z.array(passageSchema).parse(JSON.parse(text))),
      readFile(path.join(folder, 'reports.json'), 'utf8').then((text): Report[] => z.array(reportSchema).parse(JSON.parse(text))),
      readFile(path.join(folder, 'regions.json'), 'utf8').then((text): RegionEntry[] => z.array(regionEntrySchema).parse(JSON.parse(text))),
    ]);
    if (passages.length !== manifest.passages) throw new Error(`passages.json holds ${passages.length} passages, the manifest says ${manifest.passages}`);
    const backend = await LocalSearchBackend.load(folder, manifest.dimensions, manifest.hnsw);
    if (backend.size !== passages.length || passages.some((passage) => !backend.has(passage.id))) throw new Error('the search backend does not match passages.json');
    const sentences = await SentenceVectors.load(folder, manifest.dimensions);
    if (sentences.size !== manifest.sentences) throw new Error(`the sentence files hold ${sentences.size} sentences, the manifest says ${manifest.sentences}`);
    const unmatched = passages.find((passage) => !sentences.has(passage.id) || sentences.spansOf(passage.id).some((span) => span.end > passage.text.length));
    if (unmatched || sentences.passageCount !== passages.length) throw new Error(`the sentence files do not match passages.json${unmatched ? ` (at ${unmatched.id})` : ''}`);
    const embeddings = reuseEmbeddings ?? (settings.embedder.kind === 'lsa' ? new LsaEmbeddings(await LsaModel.load(folder)) : await createEmbeddings(settings.embedder));
    registerCorpusRegions(regions);
    const index = new PassageIndex(manifest, new PassageStore(reports, passages), backend, sentences, embeddings, folder);
    index.english = await readEnglishDictionary(folder);
    return index;
  } catch (cause) {
    if (cause instanceof AppError) throw cause;
    throw new AppError('index_corrupt', `The index in ${folder} is corrupt or incomplete (${(cause as Error).message}). Rebuild it with \`${REBUILD_COMMAND}\`.`, { cause });
  }
}
