// Adding and removing reports in place: the new passages and their sentences are chunked, folded into the
// existing LSA projection (no retraining; `npm run ingest` retrains), appended to BM25, the HNSW graph and
// the sentence vectors; removed ones leave BM25 and the sentence vectors and are marked deleted in HNSW.
// A shipped report (data/manifest.json) is withdrawn rather than deleted: its file stays, the catalogue
// lists it under `withdrawn`, and restoring it reads it from data/ again. The result is written as a new
// index folder, with the catalogue inside it, and switched in by renaming CURRENT: a process killed
// mid-way leaves the previous corpus serving with its own catalogue. Every change holds the writer lock
// from reading the index to writing the catalogue's copy in data/added.
import path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { chunkReport, DEFAULT_CHUNK_OPTIONS, indexedText } from '../chunking/chunk-report.ts';
import { readCatalogue, removeUnreferencedTexts, writeCatalogueCopy, writeReportText, type Catalogue, type CatalogueEntry, type WithdrawnReport } from '../corpus/catalogue.ts';
import { DocumentError } from '../corpus/document-error.ts';
import { hashCorpusWith, loadShippedReports } from '../corpus/load-corpus.ts';
import type { ReadDocument } from '../corpus/read-document.ts';
import { REGION_TABLE } from '../corpus/region-table.ts';
import { listRegions, registerCorpusRegions, type RegionEntry } from '../corpus/regions.ts';
import type { UserReport } from '../corpus/user-report.ts';
import { AppError } from '../errors.ts';
import type { Passage, Report } from '../types.ts';
import { LocalSearchBackend } from './local-backend.ts';
import { PassageIndex, type IndexManifest } from './passage-index.ts';
import type { PassageStore } from './passage-store.ts';
import {
  chunkCorpus,
  currentIndexFolder,
  holdingWriterLock,
  loadIndexFolder,
  readIndexCatalogue,
  REBUILD_COMMAND,
  settingsHash,
  writeIndexFolder,
  type BuildSettings,
  type WriteOptions,
} from './index-store.ts';
import { reconcileIndex } from './reconcile-index.ts';
import { embedPassages, sentencePoolingOf, type EmbeddedPassages } from './embed-passages.ts';
import type { SentenceSpan, SentenceVectors } from './sentence-vectors.ts';
import { tokenize } from './tokenize.ts';
import type { HeldLock } from './writer-lock.ts';

export type UpdateStage = 'load' | 'chunk' | 'embed' | 'index' | 'write';

/** Passages tokenized between two turns of the event loop. */
const YIELD_EVERY = 32;
export type UpdateProgress = (event: { stage: UpdateStage; done: number; total: number }) => void;

export interface ReportListing {
  id: string;
  region: string;
  level: Report['level'];
  parent?: string;
  year: number;
  title: string;
  passages: number;
  /** `seed`: shipped in data/manifest.json (the admin may withdraw it; its file stays); `added`: by a user. */
  origin: 'seed' | 'added';
  sourceFile: string;
  addedAt?: string;
}

/** A shipped report the admin withdrew, as listed: `replaced` when an added report of its region and year took its place. */
export interface WithdrawnListing extends WithdrawnReport {
  replaced: boolean;
}

export interface AddedReport {
  id: string;
  region: string;
  year: number;
  passages: number;
  replaced?: string;
  /** The report replaced shipped with the project: it is now withdrawn (its file in data/ stays; restorable). */
  replacedShipped?: boolean;
  newRegion: boolean;
  milliseconds: number;
}

const tableNames = new Set(REGION_TABLE.map((entry) => entry.name));

export interface Duplicate {
  id: string;
  title: string;
  /** `same_content`: the very file is present; `seed`: the region and year are a shipped report's (replaceable:
   * it is then withdrawn, its file in data/ kept); `same_region_year`: an added report of the region and year (replaceable). */
  kind: 'same_content' | 'seed' | 'same_region_year';
}

/** The report a new one would duplicate: the same content (by hash), or the same region and year (its id). */
export function findDuplicate(catalogue: readonly CatalogueEntry[], store: Pick<PassageStore, 'report'>, sha256: string, reportId: string): Duplicate | undefined {
  const sameContent = catalogue.find((entry) => entry.sha256 === sha256);
  if (sameContent) return { id: sameContent.id, title: sameContent.title, kind: 'same_content' };
  const existing = store.report(reportId);
  if (!existing) return undefined;
  return { id: existing.id, title: existing.title, kind: catalogue.some((entry) => entry.id === reportId) ? 'same_region_year' : 'seed' };
}

/** The report a copy repeats (`jiangsu-2024` for `jiangsu-2024-pdf`), or undefined when the id is no copy's. */
const originalOf = (id: string): string | undefined => /^(.+-\d{4})-[a-z]+$/.exec(id)?.[1] ?? undefined;

/** A shipped report and its copies in the store (`jiangsu-2024` and `jiangsu-2024-pdf`): what withdrawing it takes out. */
function shippedWithCopies(store: Pick<PassageStore, 'reports'>, catalogue: Catalogue, id: string): string[] {
  const added = new Set(catalogue.reports.map((entry) => entry.id));
  return store.reports.map((report) => report.id).filter((candidate) => !added.has(candidate) && (candidate === id || originalOf(candidate) === id));
}

/** Whether a report of this region makes a region the region table does not know (昆山市). */
export const isNewRegion = (name: string): boolean => !tableNames.has(name);

/** The added reports' regions the table does not know, one entry each. */
function corpusRegions(catalogue: readonly CatalogueEntry[]): RegionEntry[] {
  const byName = new Map<string, RegionEntry>();
  for (const entry of catalogue) if (!tableNames.has(entry.region.name)) byName.set(entry.region.name, entry.region);
  return [...byName.values()];
}

export function listReports(reports: readonly Report[], passageCount: (reportId: string) => number, catalogue: readonly CatalogueEntry[]): ReportListing[] {
  const added = new Map(catalogue.map((entry) => [entry.id, entry]));
  // In the region table's order (national, provinces, cities; then regions users' reports brought), years ascending.
  const order = new Map(listRegions().map((entry, position) => [entry.name, position]));
  const rank = (report: Report): number => order.get(report.region) ?? Number.MAX_SAFE_INTEGER;
  // A second copy of a seed report (Jiangsu's PDF, `jiangsu-2024-pdf`) is listed as part of its original.
  const ids = new Set(reports.map((report) => report.id));
  const copies = new Map<string, number>();
  for (const report of reports) {
    const original = originalOf(report.id);
    if (original && ids.has(original) && !added.has(report.id)) copies.set(original, (copies.get(original) ?? 0) + passageCount(report.id));
  }
  const sorted = [...reports]
    .filter((report) => !(originalOf(report.id) && ids.has(originalOf(report.id)!) && !added.has(report.id)))
    .sort((left, right) => rank(left) - rank(right) || left.year - right.year || (left.id < right.id ? -1 : 1));
  return sorted.map((report) => {
    const entry = added.get(report.id);
    return {
      ...reportIdentity(report),
      passages: passageCount(report.id) + (copies.get(report.id) ?? 0),
      origin: entry ? 'added' : 'seed',
      sourceFile: report.sourceFile,
      ...(entry ? { addedAt: entry.addedAt } : {}),
    };
  });
}

/** What names a report wherever one is listed or opened: id, region (its level and parent), year and title. */
export function reportIdentity(report: Pick<Report, 'id' | 'region' | 'level' | 'parent' | 'year' | 'title'>): Pick<Report, 'id' | 'region' | 'level' | 'year' | 'title'> & { parent?: string } {
  return { id: report.id, region: report.region, level: report.level, ...(report.parent ? { parent: report.parent } : {}), year: report.year, title: report.title };
}

/** The shipped reports withdrawn, most recent first. */
export function listWithdrawn(catalogue: Catalogue): WithdrawnListing[] {
  const added = new Set(catalogue.reports.map((entry) => entry.id));
  return [...catalogue.withdrawn].sort((left, right) => right.withdrawnAt.localeCompare(left.withdrawnAt)).map((entry) => ({ ...entry, replaced: added.has(entry.id) }));
}

type Settings = Pick<BuildSettings, 'dataDir' | 'indexDir' | 'embedder' | 'chunking' | 'hnsw'>;

/** What a running server hands in: its loaded index, whose store and embedder an update shares. */
export interface UpdateOptions extends Omit<WriteOptions, 'held'> {
  /** What the writer lock says the holder is doing (`reports add nantong.docx`). */
  purpose?: string;
  serving?: PassageIndex;
  /**
   * Change the serving index's backend itself instead of a copy loaded from disk (the server: about a
   * second faster). Questions answered meanwhile see the old store, whose view drops passages it does not
   * know; if writing fails, the serving index must be reloaded from CURRENT (`UpdateFailed.reload`).
   */
  inPlace?: boolean;
  onProgress?: UpdateProgress;
}

/** An update that failed after changing the serving backend: the caller reloads CURRENT. */
export class UpdateFailed extends AppError {
  readonly reload = true;
}

export interface UpdateResult<T> {
  result: T;
  /** The index after the change (a view over the new store), for the caller to serve. */
  index: PassageIndex;
}

/** The catalogue that goes with an index folder (a folder written before catalogues were: data/added's). */
export async function catalogueOf(settings: Pick<Settings, 'dataDir'>, folder: string): Promise<Catalogue> {
  return (await readIndexCatalogue(folder)) ?? (await readCatalogue(settings.dataDir));
}

async function openCopy(settings: Settings, options: UpdateOptions) {
  const folder = await currentIndexFolder(settings.indexDir);
  const { serving } = options;
  if (serving && serving.folder === folder) {
    if (options.inPlace) return { folder, index: serving, inPlace: true };
    // The store and the embedder are never changed in place: share them; only the backend needs a copy of its own.
    const backend = await LocalSearchBackend.load(folder, serving.manifest.dimensions, serving.manifest.hnsw);
    return { folder, index: new PassageIndex(serving.manifest, serving.store, backend, serving.sentences, serving.embeddings, folder), inPlace: false };
  }
  return { folder, index: await loadIndexFolder(settings, folder), inPlace: false };
}

/**
 * Writes the changed index: the new texts, then the folder with its catalogue, switched in by CURRENT;
 * then the catalogue's copy in data/added, and what nothing refers to any more is removed.
 */
async function commit(
  settings: Settings,
  from: Awaited<ReturnType<typeof openCopy>>,
  change: { catalogue: Catalogue; texts: Map<string, string>; store: PassageStore; sentences: SentenceVectors },
  held: HeldLock,
  onStep: WriteOptions['onStep'],
): Promise<PassageIndex> {
  const { catalogue, texts, store, sentences } = change;
  const regions = corpusRegions(catalogue.reports);
  let folder: string;
  let manifest: IndexManifest;
  try {
    const corpusHash = await hashCorpusWith(settings.dataDir, catalogue, texts);
    manifest = {
      ...from.index.manifest,
      corpusHash,
      settingsHash: settingsHash(corpusHash, { ...settings }),
      passages: store.passages.length,
      sentences: sentences.size,
      updatedAt: new Date().toISOString(),
    };
    for (const [id, text] of texts) await writeReportText(settings.dataDir, catalogue.reports.find((entry) => entry.id === id)!, text);
    await onStep?.('texts-written');
    folder = await writeIndexFolder(settings.indexDir, {
      manifest,
      store,
      backend: from.index.backend,
      sentences,
      regions,
      ...(settings.embedder.kind === 'lsa' ? { lsaFrom: from.folder } : {}),
      englishFrom: from.folder,
      catalogue,
      held,
      ...(onStep ? { onStep } : {}),
    });
  } catch (cause) {
    if (!from.inPlace) throw cause;
    throw new UpdateFailed(cause instanceof AppError ? cause.code : 'internal', `Writing the index failed (${(cause as Error).message}); the previous index is still the current one.`, { cause });
  }
  registerCorpusRegions(regions);
  // The change is made; what follows brings data/added in line (the start-up check would do it too).
  await writeCatalogueCopy(settings.dataDir, catalogue, path.basename(folder));
  await onStep?.('catalogue-written');
  await removeUnreferencedTexts(settings.dataDir, [catalogue.reports]);
  await onStep?.('cleaned');
  const index = new PassageIndex(manifest, store, from.index.backend, sentences, from.index.embeddings, folder);
  index.english = from.index.english;
  return index;
}

/** A local model starts what embedding passages needs (its processes) while the index loads and the report is chunked. */
function prepareEmbedding(settings: Settings): void {
  if (settings.embedder.kind === 'model') settings.embedder.embeddings.prepare();
}

/**
 * A report's passages and sentences embedded as the index's own were (the same dimensions, the sentences
 * pooled the same way), or an error that says to rebuild.
 */
async function embedChecked(index: PassageIndex, passages: readonly Passage[], onProgress: (event: { stage: UpdateStage; done: number; total: number }) => void): Promise<EmbeddedPassages> {
  const pooling = sentencePoolingOf(index.embeddings);
  if ((index.manifest.sentencePooling ?? 'alone') !== pooling) {
    throw new AppError('index_corrupt', `The index's sentence vectors were made another way (${index.manifest.sentencePooling ?? 'alone'}, now ${pooling}). Rebuild with \`${REBUILD_COMMAND}\`.`);
  }
  const embedded = await embedPassages(index.embeddings, passages, (event) => onProgress({ stage: 'embed', done: event.done, total: event.total }));
  if (embedded.vectors[0]!.length !== index.dimensions) throw new AppError('index_corrupt', `The embedder gives ${embedded.vectors[0]!.length} dimensions, the index has ${index.dimensions}. Rebuild with \`${REBUILD_COMMAND}\`.`);
  return embedded;
}

interface PreparedAddition {
  report: Report;
  region: RegionEntry;
  document: ReadDocument;
  passages: Passage[];
  tokens: string[][];
  vectors: number[][];
  sentenceSpans: SentenceSpan[][];
  sentenceVectors: number[][];
  replaces?: string;
  /** When the report replaced is a shipped one: it is withdrawn (with its copies). */
  replacesShipped?: WithdrawnReport;
}

/**
 * Adds reports to the current index. A duplicate (same content, or a report for the same region and
 * year) is refused unless `replace` is set; on any refusal nothing is written. Chunking and embedding
 * happen before anything changes; the backend then changes in one synchronous step.
 */
export async function addReports(
  settings: Settings,
  documents: readonly { document: ReadDocument; report: UserReport }[],
  options: UpdateOptions & { replace?: boolean } = {},
): Promise<UpdateResult<AddedReport[]>> {
  const onProgress = options.onProgress ?? (() => {});
  return holdingWriterLock(settings.indexDir, options.purpose ?? `add ${documents.map((item) => item.document.fileName).join(', ')}`, options, async (held) => {
    const started = performance.now();
    prepareEmbedding(settings);
    onProgress({ stage: 'load', done: 0, total: 1 });
    await reconcileIndex(settings);
    const copy = await openCopy(settings, options);
    let catalogue = await catalogueOf(settings, copy.folder);
    onProgress({ stage: 'load', done: 1, total: 1 });
    const prepared: PreparedAddition[] = [];
    const seen = new Set<string>();
    for (const { document, report: user } of documents) {
      const { report, region } = user;
      const duplicate = findDuplicate(catalogue.reports, copy.index.store, document.sha256, report.id);
      if (duplicate?.kind === 'same_content') {
        throw new DocumentError('duplicate', `${document.fileName} is already in the corpus as ${duplicate.id} (same content).`, { existing: duplicate.id });
      }
      if (seen.has(report.id)) throw new DocumentError('duplicate', `Two of the files are ${report.title} (${report.id}); add one of them.`, { existing: report.id });
      seen.add(report.id);
      if (duplicate && !options.replace) {
        const shipped = duplicate.kind === 'seed' ? ' It ships with the project: its file in data/ stays, and it is listed as withdrawn (restorable).' : '';
        throw new DocumentError('duplicate', `The corpus already has ${duplicate.title} (${duplicate.id}). Add it again with replace (--replace, or replace=true) to put this file in its place.${shipped}`, { existing: duplicate.id });
      }
      onProgress({ stage: 'chunk', done: 0, total: 1 });
      const passages: Passage[] = chunkReport(report, settings.chunking ?? DEFAULT_CHUNK_OPTIONS);
      if (passages.length === 0) throw new DocumentError('not_a_report', `${document.fileName} gives no passages to index.`);
      const indexed = passages.map(indexedText);
      const embedded = await embedChecked(copy.index, passages, onProgress);
      // Tokenized a batch at a time, letting questions in between: a long report takes seconds.
      const tokens: string[][] = [];
      for (let offset = 0; offset < indexed.length; offset += YIELD_EVERY) {
        tokens.push(...indexed.slice(offset, offset + YIELD_EVERY).map((text) => tokenize(text)));
        await yieldToEventLoop();
      }
      prepared.push({
        report,
        region,
        document,
        passages,
        tokens,
        vectors: embedded.vectors,
        sentenceSpans: embedded.spans,
        sentenceVectors: embedded.sentenceVectors,
        ...(duplicate ? { replaces: report.id } : {}),
        ...(duplicate?.kind === 'seed' ? { replacesShipped: withdrawnEntry(copy.index.store.report(report.id)!) } : {}),
      });
    }

    onProgress({ stage: 'index', done: 0, total: prepared.length });
    let store = copy.index.store;
    let sentences = copy.index.sentences;
    const texts = new Map<string, string>();
    for (const addition of prepared) {
      if (addition.replaces) {
        // A shipped report goes with its copies, and is listed as withdrawn.
        for (const id of addition.replacesShipped ? shippedWithCopies(store, catalogue, addition.replaces) : [addition.replaces]) {
          const replaced = store.passagesOf(id).map((passage) => passage.id);
          copy.index.backend.remove(replaced);
          sentences = sentences.without(replaced);
          store = store.withoutReport(id);
        }
        catalogue = {
          reports: catalogue.reports.filter((entry) => entry.id !== addition.replaces),
          withdrawn: addition.replacesShipped ? [...catalogue.withdrawn, addition.replacesShipped] : catalogue.withdrawn,
        };
      }
      copy.index.backend.add(addition.passages.map((passage, index) => ({ passage, tokens: addition.tokens[index]!, vector: addition.vectors[index]! })));
      store = store.withReport(addition.report, addition.passages);
      sentences = sentences.with(addition.passages.map((passage) => passage.id), addition.sentenceSpans, addition.sentenceVectors);
      texts.set(addition.report.id, addition.report.text);
      const { document } = addition;
      catalogue = {
        ...catalogue,
        reports: [
          ...catalogue.reports,
          {
            id: addition.report.id,
            region: { ...addition.region, inCorpus: true },
            year: addition.report.year,
            title: addition.report.title,
            sourceFile: document.fileName,
            sha256: document.sha256,
            format: document.format,
            cleaning: document.cleaning,
            ...(document.encoding ? { encoding: document.encoding } : {}),
            characters: addition.report.text.length,
            addedAt: new Date().toISOString(),
          },
        ],
      };
    }
    onProgress({ stage: 'index', done: prepared.length, total: prepared.length });
    onProgress({ stage: 'write', done: 0, total: 1 });
    const index = await commit(settings, copy, { catalogue, texts, store, sentences }, held, options.onStep);
    onProgress({ stage: 'write', done: 1, total: 1 });
    const milliseconds = Math.round(performance.now() - started);
    const result = prepared.map((addition) => ({
      id: addition.report.id,
      region: addition.report.region,
      year: addition.report.year,
      passages: addition.passages.length,
      newRegion: isNewRegion(addition.region.name),
      milliseconds,
      ...(addition.replaces ? { replaced: addition.replaces } : {}),
      ...(addition.replacesShipped ? { replacedShipped: true } : {}),
    }));
    return { result, index };
  });
}

/** How a shipped report is listed once withdrawn. */
const withdrawnEntry = (report: Pick<Report, 'id' | 'title' | 'region' | 'year'>): WithdrawnReport => ({
  id: report.id,
  title: report.title,
  region: report.region,
  year: report.year,
  withdrawnAt: new Date().toISOString(),
});

export interface RemovedReport {
  id: string;
  passages: number;
  milliseconds: number;
  /** `seed`: a shipped report, withdrawn (its file in data/ stays, it can be restored); `added`: deleted. */
  origin: 'seed' | 'added';
}

/**
 * Removes a report: an added one with its text; a shipped one (data/manifest.json) with its copies
 * (`jiangsu-2024-pdf` goes with `jiangsu-2024`, and asking for the copy withdraws its original) by listing it
 * as withdrawn: its file in data/ stays, `npm run ingest` leaves it out too, and `restoreReport` brings it back.
 */
export async function removeReport(settings: Settings, id: string, options: UpdateOptions = {}): Promise<UpdateResult<RemovedReport>> {
  return holdingWriterLock(settings.indexDir, options.purpose ?? `remove ${id}`, options, async (held) => {
    const started = performance.now();
    await reconcileIndex(settings);
    const copy = await openCopy(settings, options);
    const catalogue = await catalogueOf(settings, copy.folder);
    const { store } = copy.index;
    if (!store.report(id)) throw new AppError('not_found', `No report with id "${id}". \`npm run reports -- list\` (or GET /api/reports) lists them.`);
    const added = catalogue.reports.some((entry) => entry.id === id);
    const original = added ? undefined : originalOf(id);
    const target = original && store.report(original) ? original : id;
    const ids = added ? [id] : shippedWithCopies(store, catalogue, target);
    const passages = ids.flatMap((reportId) => store.passagesOf(reportId).map((passage) => passage.id));
    copy.index.backend.remove(passages);
    const next: Catalogue = added
      ? { reports: catalogue.reports.filter((entry) => entry.id !== id), withdrawn: catalogue.withdrawn }
      : { reports: catalogue.reports, withdrawn: [...catalogue.withdrawn, withdrawnEntry(store.report(target)!)] };
    const index = await commit(settings, copy, { catalogue: next, texts: new Map(), store: ids.reduce((left, reportId) => left.withoutReport(reportId), store), sentences: copy.index.sentences.without(passages) }, held, options.onStep);
    return { result: { id: target, passages: passages.length, milliseconds: Math.round(performance.now() - started), origin: added ? 'added' : 'seed' }, index };
  });
}

export interface RestoredReport {
  id: string;
  title: string;
  passages: number;
  /** The added report that had taken its place and was taken out (its id: the same region and year). */
  replaced?: string;
  milliseconds: number;
}

/**
 * Brings a withdrawn shipped report back from its file in data/, with its copies: read, chunked and embedded
 * as an ingest would, then added in place (its passages get the ids they had). Where an added report of its
 * region and year took its place, `replace` is needed and the added one goes.
 */
export async function restoreReport(settings: Settings, id: string, options: UpdateOptions & { replace?: boolean } = {}): Promise<UpdateResult<RestoredReport>> {
  const onProgress = options.onProgress ?? (() => {});
  return holdingWriterLock(settings.indexDir, options.purpose ?? `restore ${id}`, options, async (held) => {
    const started = performance.now();
    prepareEmbedding(settings);
    onProgress({ stage: 'load', done: 0, total: 1 });
    await reconcileIndex(settings);
    const copy = await openCopy(settings, options);
    const catalogue = await catalogueOf(settings, copy.folder);
    const withdrawn = catalogue.withdrawn.find((entry) => entry.id === id);
    if (!withdrawn) throw new AppError('not_found', `No withdrawn shipped report with id "${id}". \`npm run reports -- list\` (or GET /api/reports, under withdrawn) lists them.`);
    const upload = catalogue.reports.find((entry) => entry.id === id);
    if (upload && !options.replace) {
      throw new DocumentError('duplicate', `${upload.title} (${id}, added from ${upload.sourceFile}) has taken the shipped report's place. Restore with replace (--replace, or replace=true) to put the shipped one back instead of it.`, { existing: id });
    }
    const shipped = await loadShippedReports(settings.dataDir, new Set([id]));
    if (!shipped.reports.some((report) => report.id === id)) {
      throw new AppError('not_found', `${withdrawn.title} (${id}) is no longer in data/manifest.json, so it cannot be restored. To stop listing it, delete its entry under "withdrawn" in data/added/catalogue.json and run \`${REBUILD_COMMAND}\`.`);
    }
    onProgress({ stage: 'load', done: 1, total: 1 });
    onProgress({ stage: 'chunk', done: 0, total: 1 });
    // As at ingest: a copy (Jiangsu's PDF) keeps only the passages its original lacks.
    const { passages } = chunkCorpus(shipped, settings.chunking ?? DEFAULT_CHUNK_OPTIONS);
    const indexed = passages.map(indexedText);
    const embedded = await embedChecked(copy.index, passages, onProgress);

    onProgress({ stage: 'index', done: 0, total: 1 });
    let store = copy.index.store;
    let sentences = copy.index.sentences;
    if (upload) {
      const replaced = store.passagesOf(id).map((passage) => passage.id);
      copy.index.backend.remove(replaced);
      sentences = sentences.without(replaced);
      store = store.withoutReport(id);
    }
    copy.index.backend.add(passages.map((passage, index) => ({ passage, tokens: tokenize(indexed[index]!), vector: embedded.vectors[index]! })));
    for (const report of shipped.reports) store = store.withReport(report, passages.filter((passage) => passage.reportId === report.id));
    sentences = sentences.with(passages.map((passage) => passage.id), embedded.spans, embedded.sentenceVectors);
    const next: Catalogue = { reports: catalogue.reports.filter((entry) => entry.id !== id), withdrawn: catalogue.withdrawn.filter((entry) => entry.id !== id) };
    onProgress({ stage: 'index', done: 1, total: 1 });
    onProgress({ stage: 'write', done: 0, total: 1 });
    const index = await commit(settings, copy, { catalogue: next, texts: new Map(), store, sentences }, held, options.onStep);
    onProgress({ stage: 'write', done: 1, total: 1 });
    const milliseconds = Math.round(performance.now() - started);
    return { result: { id, title: withdrawn.title, passages: passages.length, milliseconds, ...(upload ? { replaced: upload.id } : {}) }, index };
  });
}
