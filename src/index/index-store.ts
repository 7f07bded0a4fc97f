// Building the index into vectorstore/ and loading it back. A build writes a new folder and then switches
// the CURRENT pointer by an atomic rename, so an interrupted ingest never leaves a broken index.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Document } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { z } from 'zod';
import { chunkReport, DEFAULT_CHUNK_OPTIONS, indexedText, type ChunkOptions } from '../chunking/chunk-report.ts';
import { loadCorpus, type Corpus } from '../corpus/load-corpus.ts';
import { AppError } from '../errors.ts';
import type { Passage } from '../types.ts';
import { Bm25Index, type Bm25Data } from './bm25.ts';
import { createOpenAIEmbeddings, describeEmbedder, LsaEmbeddings, type EmbedderSettings } from './embedders.ts';
import { DEFAULT_LSA_OPTIONS, LsaModel, trainLsa } from './lsa-model.ts';
import { PassageIndex, type IndexManifest, type ReportInfo } from './passage-index.ts';
import { tokenize } from './tokenize.ts';

const FORMAT_VERSION = 2;
export const REBUILD_COMMAND = 'npm run ingest';

export interface HnswSettings {
  M: number;
  efConstruction: number;
  efSearch: number;
}

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

function settingsHash(corpusHash: string, settings: BuildSettings): string {
  return createHash('sha256')
    .update(
      JSON.stringify({
        FORMAT_VERSION,
        corpusHash,
        embedder: describeEmbedder(settings.embedder),
        chunking: settings.chunking ?? DEFAULT_CHUNK_OPTIONS,
        hnsw: settings.hnsw ?? DEFAULT_HNSW,
        lsa: settings.embedder.kind === 'lsa' ? DEFAULT_LSA_OPTIONS : undefined,
      }),
    )
    .digest('hex');
}

/** Characters that matter for comparing passages across copies of a report. */
const normalizeForComparison = (text: string): string => text.replace(/[\s，。、；：！？,.;:!?“”‘’"'（）()《》【】\-—*]/g, '');

/** Chunks every report; a copy of a report (Jiangsu's PDF) keeps only passages the original lacks. */
export function chunkCorpus(corpus: Corpus, options: ChunkOptions = DEFAULT_CHUNK_OPTIONS): { passages: Passage[]; dropped: number } {
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

export async function buildIndex(settings: BuildSettings, onProgress: ProgressListener = () => {}): Promise<IndexManifest> {
  const chunking = settings.chunking ?? DEFAULT_CHUNK_OPTIONS;
  const hnsw = settings.hnsw ?? DEFAULT_HNSW;
  onProgress({ stage: 'corpus', done: 0, total: 1 });
  const corpus = await loadCorpus(settings.dataDir);
  const { passages, dropped } = chunkCorpus(corpus, chunking);
  const texts = passages.map(indexedText);
  onProgress({ stage: 'corpus', done: 1, total: 1 });

  onProgress({ stage: 'bm25', done: 0, total: passages.length });
  const bm25 = Bm25Index.build(texts.map((text) => tokenize(text)));
  onProgress({ stage: 'bm25', done: passages.length, total: passages.length });

  let lsa: LsaModel | undefined;
  let embeddings: EmbeddingsInterface;
  if (settings.embedder.kind === 'lsa') {
    onProgress({ stage: 'lsa', done: 0, total: 1 });
    lsa = trainLsa(texts);
    embeddings = new LsaEmbeddings(lsa);
    onProgress({ stage: 'lsa', done: 1, total: 1 });
  } else {
    embeddings = createOpenAIEmbeddings(settings.embedder);
  }

  const vectors: number[][] = [];
  const batch = 128;
  for (let offset = 0; offset < texts.length; offset += batch) {
    onProgress({ stage: 'embed', done: offset, total: texts.length });
    try {
      vectors.push(...(await embeddings.embedDocuments(texts.slice(offset, offset + batch))));
    } catch (cause) {
      throw new AppError('model_error', `The embeddings endpoint failed: ${(cause as Error).message}`, { cause });
    }
  }
  onProgress({ stage: 'embed', done: texts.length, total: texts.length });
  const dimensions = vectors[0]?.length ?? 0;
  if (dimensions === 0 || vectors.some((vector) => vector.length !== dimensions)) {
    throw new AppError('model_error', 'The embedder returned vectors of inconsistent or zero dimension');
  }

  const { HierarchicalNSW } = (await import('hnswlib-node')).default;
  const graph = new HierarchicalNSW('cosine', dimensions);
  graph.initIndex(vectors.length, hnsw.M, hnsw.efConstruction, 100);
  vectors.forEach((vector, label) => {
    graph.addPoint(vector, label);
    if (label % 500 === 0) onProgress({ stage: 'hnsw', done: label, total: vectors.length });
  });
  onProgress({ stage: 'hnsw', done: vectors.length, total: vectors.length });

  const manifest: IndexManifest = {
    formatVersion: FORMAT_VERSION,
    corpusHash: corpus.hash,
    settingsHash: settingsHash(corpus.hash, settings),
    embedder: describeEmbedder(settings.embedder),
    dimensions,
    passages: passages.length,
    hnsw,
    chunking,
    builtAt: new Date().toISOString(),
    droppedDuplicates: dropped,
  };

  // Write everything into a fresh folder, then point CURRENT at it with an atomic rename.
  await mkdir(settings.indexDir, { recursive: true });
  const folderName = `index-${Date.now()}-${process.pid}`;
  const folder = path.join(settings.indexDir, folderName);
  const staging = path.join(settings.indexDir, `.staging-${folderName}`);
  await mkdir(path.join(staging, 'hnsw'), { recursive: true });
  const normalized = new Float32Array(vectors.length * dimensions);
  vectors.forEach((vector, row) => {
    const norm = Math.hypot(...vector) || 1;
    vector.forEach((value, column) => (normalized[row * dimensions + column] = value / norm));
  });
  const reports: ReportInfo[] = corpus.reports.map((report) => ({ ...report }));
  await Promise.all([
    writeJson(path.join(staging, 'passages.json'), passages),
    writeJson(path.join(staging, 'reports.json'), reports),
    writeJson(path.join(staging, 'bm25.json'), bm25.toData()),
    writeFile(path.join(staging, 'vectors.bin'), new Uint8Array(normalized.buffer)),
    lsa?.save(staging),
    graph.writeIndex(path.join(staging, 'hnsw', 'hnswlib.index')),
    writeJson(path.join(staging, 'hnsw', 'args.json'), { space: 'cosine', numDimensions: dimensions }),
    writeJson(
      path.join(staging, 'hnsw', 'docstore.json'),
      passages.map((passage, label) => [String(label), new Document({ pageContent: texts[label]!, metadata: { id: passage.id, region: passage.region } })]),
    ),
  ]);
  await writeJson(path.join(staging, 'manifest.json'), manifest);
  await rename(staging, folder);
  const previous = await readFile(path.join(settings.indexDir, 'CURRENT'), 'utf8').then((text) => text.trim(), () => undefined);
  const pointer = path.join(settings.indexDir, `.CURRENT-${process.pid}`);
  await writeFile(pointer, folderName);
  await rename(pointer, path.join(settings.indexDir, 'CURRENT'));
  // The folder just replaced stays until the next build, so a load that read CURRENT a moment before
  // the switch can still finish; older ones go.
  await removeStaleFolders(settings.indexDir, [folderName, ...(previous ? [previous] : [])]);
  return manifest;
}

/** Removes index folders other than `keep`, and abandoned staging folders. */
async function removeStaleFolders(indexDir: string, keep: readonly string[]): Promise<void> {
  for (const entry of await readdir(indexDir)) {
    if (keep.includes(entry) || !/^(?:\.staging-)?index-/.test(entry)) continue;
    // A staging folder younger than a minute may belong to an ingest still running.
    const stamp = Number(/index-(\d+)-/.exec(entry)?.[1] ?? 0);
    if (entry.startsWith('.staging-') && Date.now() - stamp < 60_000) continue;
    await rm(path.join(indexDir, entry), { recursive: true, force: true });
  }
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
const bm25Schema = z.object({
  parameters: z.object({ k1: z.number(), b: z.number() }),
  documentLengths: z.array(z.number()),
  postings: z.record(z.array(z.number())),
});

const manifestSchema = z.object({
  formatVersion: z.literal(FORMAT_VERSION),
  corpusHash: z.string(),
  settingsHash: z.string(),
  embedder: z.string(),
  dimensions: z.number().int().positive(),
  passages: z.number().int().positive(),
  hnsw: z.object({ M: z.number(), efConstruction: z.number(), efSearch: z.number() }),
  chunking: z.object({ targetChars: z.number(), maxChars: z.number(), minChars: z.number() }),
  builtAt: z.string(),
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

async function loadIndexFolder(settings: Pick<BuildSettings, 'indexDir' | 'embedder'>, folder: string): Promise<PassageIndex> {
  const manifest = await readManifestIn(folder);
  if (manifest.embedder !== describeEmbedder(settings.embedder)) {
    throw new AppError('index_corrupt', `The index was built with embedder ${manifest.embedder}, but ${describeEmbedder(settings.embedder)} is configured. Rebuild with \`${REBUILD_COMMAND}\`.`);
  }
  try {
    const [passages, reports, bm25Data, vectorBytes] = await Promise.all([
      readFile(path.join(folder, 'passages.json'), 'utf8').then((text): Passage[] => z.array(passageSchema).parse(JSON.parse(text))),
      readFile(path.join(folder, 'reports.json'), 'utf8').then((text): ReportInfo[] => z.array(reportSchema).parse(JSON.parse(text))),
      readFile(path.join(folder, 'bm25.json'), 'utf8').then((text): Bm25Data => bm25Schema.parse(JSON.parse(text))),
      readFile(path.join(folder, 'vectors.bin')),
    ]);
    if (!Array.isArray(passages) || passages.length !== manifest.passages) throw new Error(`passages.json holds ${Array.isArray(passages) ? passages.length : 'no'} passages, the manifest says ${manifest.passages}`);
    if (vectorBytes.byteLength !== manifest.passages * manifest.dimensions * 4) throw new Error('vectors.bin has the wrong size');
    const bm25 = Bm25Index.fromData(bm25Data);
    if (bm25.size !== passages.length) throw new Error('bm25.json does not match passages.json');
    const embeddings = settings.embedder.kind === 'lsa' ? new LsaEmbeddings(await LsaModel.load(folder)) : createOpenAIEmbeddings(settings.embedder);
    const store = await HNSWLib.load(path.join(folder, 'hnsw'), embeddings);
    if (store.index.getCurrentCount() !== passages.length) throw new Error('the HNSW index does not match passages.json');
    store.index.setEf(manifest.hnsw.efSearch);
    const vectors = new Float32Array(vectorBytes.buffer.slice(vectorBytes.byteOffset, vectorBytes.byteOffset + vectorBytes.byteLength));
    return new PassageIndex(manifest, passages, reports, bm25, store, vectors, embeddings);
  } catch (cause) {
    if (cause instanceof AppError) throw cause;
    throw new AppError('index_corrupt', `The index in ${folder} is corrupt or incomplete (${(cause as Error).message}). Rebuild it with \`${REBUILD_COMMAND}\`.`, { cause });
  }
}
