// Adding and removing reports in place: the new passages are chunked, folded into the existing LSA
// projection (no retraining; `npm run ingest` retrains), appended to BM25 and the HNSW graph; removed
// ones leave BM25 and are marked deleted in HNSW. The result is written as a new index folder and
// switched in by renaming CURRENT, so a process killed mid-way leaves the previous corpus serving.
import { chunkReport, DEFAULT_CHUNK_OPTIONS, indexedText } from '../chunking/chunk-report.ts';
import {
  readCatalogue,
  removeReportText,
  writeCatalogue,
  writeReportText,
  type CatalogueEntry,
} from '../corpus/catalogue.ts';
import { DocumentError } from '../corpus/document-error.ts';
import { hashCorpusWith } from '../corpus/load-corpus.ts';
import type { ReadDocument } from '../corpus/read-document.ts';
import { REGION_TABLE } from '../corpus/region-table.ts';
import { registerCorpusRegions, type RegionEntry } from '../corpus/regions.ts';
import type { UserReport } from '../corpus/user-report.ts';
import { AppError } from '../errors.ts';
import type { Passage, Report } from '../types.ts';
import type { PassageIndex } from './passage-index.ts';
import { currentIndexFolder, embedTexts, loadIndexFolder, REBUILD_COMMAND, settingsHash, writeIndexFolder, type BuildSettings } from './index-store.ts';
import { tokenize } from './tokenize.ts';
import { withUpdateLock } from './update-lock.ts';

export type UpdateStage = 'load' | 'chunk' | 'embed' | 'index' | 'write';
export type UpdateProgress = (event: { stage: UpdateStage; done: number; total: number }) => void;

export interface ReportListing {
  id: string;
  region: string;
  level: Report['level'];
  parent?: string;
  year: number;
  title: string;
  passages: number;
  /** `seed`: from data/manifest.json (changed only by editing data/ and `npm run ingest`); `added`: by a user. */
  origin: 'seed' | 'added';
  sourceFile: string;
  addedAt?: string;
}

export interface AddedReport {
  id: string;
  region: string;
  year: number;
  passages: number;
  replaced?: string;
  newRegion: boolean;
  milliseconds: number;
}

const tableNames = new Set(REGION_TABLE.map((entry) => entry.name));

/** The added reports' regions the table does not know, one entry each. */
function corpusRegions(catalogue: readonly CatalogueEntry[]): RegionEntry[] {
  const byName = new Map<string, RegionEntry>();
  for (const entry of catalogue) if (!tableNames.has(entry.region.name)) byName.set(entry.region.name, entry.region);
  return [...byName.values()];
}

export function listReports(reports: readonly Report[], passageCount: (reportId: string) => number, catalogue: readonly CatalogueEntry[]): ReportListing[] {
  const added = new Map(catalogue.map((entry) => [entry.id, entry]));
  return reports.map((report) => {
    const entry = added.get(report.id);
    return {
      id: report.id,
      region: report.region,
      level: report.level,
      ...(report.parent ? { parent: report.parent } : {}),
      year: report.year,
      title: report.title,
      passages: passageCount(report.id),
      origin: entry ? 'added' : 'seed',
      sourceFile: report.sourceFile,
      ...(entry ? { addedAt: entry.addedAt } : {}),
    };
  });
}

type Settings = Pick<BuildSettings, 'dataDir' | 'indexDir' | 'embedder' | 'chunking' | 'hnsw'>;

/** What a running server hands in: its loaded index, whose embedder an update may reuse when it is still current. */
export interface UpdateOptions {
  serving?: PassageIndex;
  onProgress?: UpdateProgress;
}

async function openCopy(settings: Settings, serving?: PassageIndex) {
  const folder = await currentIndexFolder(settings.indexDir);
  const reuse = serving && serving.folder === folder ? serving.embeddings : undefined;
  return { folder, index: await loadIndexFolder(settings, folder, reuse) };
}

/** Writes the changed index and catalogue: catalogue first, then CURRENT, each by an atomic rename. */
async function commit(
  settings: Settings,
  from: Awaited<ReturnType<typeof openCopy>>,
  catalogue: CatalogueEntry[],
  texts: Map<string, string>,
  store: typeof from.index.store,
): Promise<void> {
  const corpusHash = await hashCorpusWith(settings.dataDir, catalogue, texts);
  const manifest = {
    ...from.index.manifest,
    corpusHash,
    settingsHash: settingsHash(corpusHash, { ...settings }),
    passages: store.passages.length,
    updatedAt: new Date().toISOString(),
  };
  const regions = corpusRegions(catalogue);
  for (const [id, text] of texts) await writeReportText(settings.dataDir, id, text);
  await writeIndexFolder(settings.indexDir, {
    manifest,
    store,
    backend: from.index.backend,
    regions,
    ...(settings.embedder.kind === 'lsa' ? { lsaFrom: from.folder } : {}),
    beforeSwitch: () => writeCatalogue(settings.dataDir, catalogue),
  });
  registerCorpusRegions(regions);
}

/**
 * Adds reports to the current index. A duplicate (same content, or a report for the same region and
 * year) is refused unless `replace` names it; on any refusal nothing is written.
 */
export async function addReports(
  settings: Settings,
  documents: readonly { document: ReadDocument; report: UserReport }[],
  options: UpdateOptions & { replace?: boolean } = {},
): Promise<AddedReport[]> {
  const onProgress = options.onProgress ?? (() => {});
  return withUpdateLock(settings.indexDir, async () => {
    const started = performance.now();
    onProgress({ stage: 'load', done: 0, total: 1 });
    const copy = await openCopy(settings, options.serving);
    let catalogue = await readCatalogue(settings.dataDir);
    let store = copy.index.store;
    onProgress({ stage: 'load', done: 1, total: 1 });
    const results: AddedReport[] = [];
    const texts = new Map<string, string>();
    for (const { document, report: prepared } of documents) {
      const { report, region } = prepared;
      const sameContent = catalogue.find((entry) => entry.sha256 === document.sha256);
      if (sameContent) {
        throw new DocumentError('duplicate', `${document.fileName} is already in the corpus as ${sameContent.id} (same content).`, { existing: sameContent.id });
      }
      let replaced: string | undefined;
      const existing = store.report(report.id);
      if (existing) {
        const added = catalogue.some((entry) => entry.id === report.id);
        if (!added) {
          throw new DocumentError('duplicate', `${existing.title} (${existing.id}) is part of the seed corpus (data/manifest.json); it cannot be replaced here. Edit data/ and run \`${REBUILD_COMMAND}\` instead.`, { existing: existing.id });
        }
        if (!options.replace) {
          throw new DocumentError('duplicate', `The corpus already has ${existing.title} (${existing.id}). Add it again with replace (--replace, or replace=true) to put this file in its place.`, { existing: existing.id });
        }
        copy.index.backend.remove(store.passagesOf(report.id).map((passage) => passage.id));
        store = store.withoutReport(report.id);
        catalogue = catalogue.filter((entry) => entry.id !== report.id);
        replaced = report.id;
      }
      onProgress({ stage: 'chunk', done: 0, total: 1 });
      const passages: Passage[] = chunkReport(report, settings.chunking ?? DEFAULT_CHUNK_OPTIONS);
      if (passages.length === 0) throw new DocumentError('not_a_report', `${document.fileName} gives no passages to index.`);
      const indexed = passages.map(indexedText);
      onProgress({ stage: 'embed', done: 0, total: passages.length });
      const vectors = await embedTexts(copy.index.embeddings, indexed, (event) => onProgress({ stage: 'embed', done: event.done, total: event.total }));
      if (vectors[0]!.length !== copy.index.dimensions) throw new AppError('index_corrupt', `The embedder gives ${vectors[0]!.length} dimensions, the index has ${copy.index.dimensions}. Rebuild with \`${REBUILD_COMMAND}\`.`);
      onProgress({ stage: 'index', done: 0, total: passages.length });
      copy.index.backend.add(passages.map((passage, index) => ({ passage, tokens: tokenize(indexed[index]!), vector: vectors[index]! })));
      onProgress({ stage: 'index', done: passages.length, total: passages.length });
      store = store.withReport(report, passages);
      texts.set(report.id, report.text);
      catalogue = [
        ...catalogue,
        {
          id: report.id,
          region: { ...region, inCorpus: true },
          year: report.year,
          title: report.title,
          sourceFile: document.fileName,
          sha256: document.sha256,
          format: document.format,
          cleaning: document.cleaning,
          ...(document.encoding ? { encoding: document.encoding } : {}),
          characters: report.text.length,
          addedAt: new Date().toISOString(),
        },
      ];
      results.push({ id: report.id, region: report.region, year: report.year, passages: passages.length, newRegion: !tableNames.has(region.name), milliseconds: 0, ...(replaced ? { replaced } : {}) });
    }
    onProgress({ stage: 'write', done: 0, total: 1 });
    await commit(settings, copy, catalogue, texts, store);
    onProgress({ stage: 'write', done: 1, total: 1 });
    const milliseconds = Math.round(performance.now() - started);
    return results.map((result) => ({ ...result, milliseconds }));
  });
}

/** Removes an added report; seed reports are changed through data/ and a rebuild. */
export async function removeReport(settings: Settings, id: string, options: UpdateOptions = {}): Promise<{ id: string; passages: number; milliseconds: number }> {
  return withUpdateLock(settings.indexDir, async () => {
    const started = performance.now();
    const copy = await openCopy(settings, options.serving);
    const catalogue = await readCatalogue(settings.dataDir);
    const report = copy.index.store.report(id);
    if (!report) throw new AppError('not_found', `No report with id "${id}". \`npm run reports -- list\` (or GET /api/reports) lists them.`);
    if (!catalogue.some((entry) => entry.id === id)) {
      throw new AppError('forbidden', `${report.title} (${id}) is part of the seed corpus (data/manifest.json); remove it there and run \`${REBUILD_COMMAND}\`.`);
    }
    const passages = copy.index.store.passagesOf(id).map((passage) => passage.id);
    copy.index.backend.remove(passages);
    await commit(settings, copy, catalogue.filter((entry) => entry.id !== id), new Map(), copy.index.store.withoutReport(id));
    await removeReportText(settings.dataDir, id);
    return { id, passages: passages.length, milliseconds: Math.round(performance.now() - started) };
  });
}
