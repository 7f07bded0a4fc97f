// Reports users bring, as the server offers them: list, add (read in a reader process, detect, index in
// place), remove (a shipped report is withdrawn), restore a withdrawn one, one change at a time in this server and one writer of the index across processes (the
// writer lock), with the progress of the change in hand for GET /api/reports and /healthz.
import type { DocumentReader } from './corpus/document-reader.ts';
import { buildUserReport } from './corpus/user-report.ts';
import { AppError } from './errors.ts';
import type { EmbedderSettings } from './index/embedders.ts';
import { loadIndex } from './index/index-store.ts';
import type { PassageIndex } from './index/passage-index.ts';
import {
  addReports,
  catalogueOf,
  findDuplicate,
  isNewRegion,
  listReports,
  listWithdrawn,
  removeReport,
  restoreReport,
  UpdateFailed,
  type Duplicate,
  type RemovedReport,
  type ReportListing,
  type RestoredReport,
  type UpdateStage,
  type WithdrawnListing,
} from './index/update-index.ts';
import type { LockStatus, WriterLock } from './index/writer-lock.ts';

export interface ReportsSettings {
  dataDir: string;
  indexDir: string;
  embedder: EmbedderSettings;
  maxUploadBytes: number;
}

export interface UpdateStatus {
  action: 'add' | 'remove' | 'restore';
  /** The file being added, or the id being removed or restored. */
  subject: string;
  stage: UpdateStage | 'read';
  done: number;
  total: number;
  startedAt: string;
}

export interface AddRequest {
  bytes: Uint8Array;
  fileName: string;
  region?: string;
  year?: number;
  /** The parent of a region the table does not know (苏州市 for 昆山市); detected when left out. */
  parent?: string;
  replace?: boolean;
  /** Read and detect only: what would be added, for the user to confirm. */
  dryRun?: boolean;
}

export interface AddResponse {
  report: ReportListing;
  detected: { region?: string; year?: number; regionFrom?: string; yearFrom?: string };
  format: string;
  encoding?: string;
  added: boolean;
  replaced?: string;
  newRegion?: boolean;
  /** A dry run's warning: the report this one would duplicate (replaceable with `replace` unless `kind` is `same_content`). */
  existing?: Duplicate;
  milliseconds?: number;
}

/** What the service works with: documents are read by `reader`, the index is changed holding `lock`. */
export interface ReportsComponents {
  reader: DocumentReader;
  lock: WriterLock;
}

export class ReportsService {
  private current: UpdateStatus | undefined;
  private last: { action: string; subject: string; ok: boolean; message: string; finishedAt: string } | undefined;

  constructor(
    readonly settings: ReportsSettings,
    private readonly serving: { index(): PassageIndex | undefined; swap(index: PassageIndex): void },
    private readonly components: ReportsComponents,
  ) {}

  status(): { busy: UpdateStatus | null; last: ReportsService['last'] | null } {
    return { busy: this.current ?? null, last: this.last ?? null };
  }

  /** Who holds the writer lock of the index (this server, the CLI, an ingest), or undefined. */
  writerLock(): Promise<LockStatus | undefined> {
    return this.components.lock.status();
  }

  /** The list of the index served, with the catalogue written with it: the two always agree. */
  async list(): Promise<{ reports: ReportListing[]; withdrawn: WithdrawnListing[] }> {
    const index = this.requireIndex();
    const catalogue = await catalogueOf(this.settings, index.folder);
    return { reports: listReports(index.store.reports, (id) => index.store.passagesOf(id).length, catalogue.reports), withdrawn: listWithdrawn(catalogue) };
  }

  /** Stops documents being read (a server shutting down). */
  close(): void {
    this.components.reader.close();
  }

  /** Takes the one slot for a change, or says who has it. */
  reserve(action: UpdateStatus['action'], subject: string): () => void {
    if (this.current) throw new AppError('busy', `${{ add: 'Adding', remove: 'Removing', restore: 'Restoring' }[this.current.action]} ${this.current.subject} is in progress (${this.current.stage}); one change at a time — try again when it is done.`);
    this.current = { action, subject, stage: 'read', done: 0, total: 1, startedAt: new Date().toISOString() };
    return () => {
      this.current = undefined;
    };
  }

  async add(request: AddRequest, release: () => void): Promise<AddResponse> {
    try {
      const document = await this.components.reader.read({ bytes: request.bytes, fileName: request.fileName, maxBytes: this.settings.maxUploadBytes });
      const user = buildUserReport(document, {
        ...(request.region ? { region: request.region } : {}),
        ...(request.year ? { year: request.year } : {}),
        ...(request.parent ? { parent: request.parent } : {}),
      });
      const detected = {
        ...(user.detected.regionName ? { region: user.detected.regionName } : {}),
        ...(user.detected.year ? { year: user.detected.year } : {}),
        ...(user.detected.evidence.region ? { regionFrom: user.detected.evidence.region } : {}),
        ...(user.detected.evidence.year ? { yearFrom: user.detected.evidence.year } : {}),
      };
      const preview = (passages: number): ReportListing => ({
        id: user.report.id,
        region: user.report.region,
        level: user.report.level,
        ...(user.report.parent ? { parent: user.report.parent } : {}),
        year: user.report.year,
        title: user.report.title,
        passages,
        origin: 'added',
        sourceFile: document.fileName,
      });
      const base = { detected, format: document.format, ...(document.encoding ? { encoding: document.encoding } : {}) };
      if (request.dryRun) {
        const index = this.requireIndex();
        const duplicate = findDuplicate((await catalogueOf(this.settings, index.folder)).reports, index.store, document.sha256, user.report.id);
        return { ...base, report: preview(0), added: false, newRegion: isNewRegion(user.region.name), ...(duplicate ? { existing: duplicate } : {}) };
      }
      const { result, index } = await this.run(() =>
        addReports(this.settings, [{ document, report: user }], {
          serving: this.requireIndex(),
          inPlace: true,
          lock: this.components.lock,
          purpose: `upload ${request.fileName}`,
          ...(request.replace ? { replace: true } : {}),
          onProgress: (event) => this.current && Object.assign(this.current, event),
        }),
      );
      this.serving.swap(index);
      const added = result[0]!;
      this.finish('add', request.fileName, true, `Added ${added.id} (${added.passages} passages).`);
      return { ...base, report: { ...preview(added.passages), addedAt: new Date().toISOString() }, added: true, newRegion: added.newRegion, milliseconds: added.milliseconds, ...(added.replaced ? { replaced: added.replaced } : {}) };
    } catch (error) {
      this.finish('add', request.fileName, false, (error as Error).message);
      throw error;
    } finally {
      release();
    }
  }

  /** Removes an added report, or withdraws a shipped one (its file in data/ stays). */
  async remove(id: string, release: () => void): Promise<RemovedReport> {
    try {
      const { result, index } = await this.run(() => removeReport(this.settings, id, { serving: this.requireIndex(), inPlace: true, lock: this.components.lock, purpose: `remove ${id} (HTTP)` }));
      this.serving.swap(index);
      this.finish('remove', id, true, result.origin === 'seed' ? `Withdrew the shipped report ${result.id} (${result.passages} passages); its file in data/ stays.` : `Removed ${id} (${result.passages} passages).`);
      return result;
    } catch (error) {
      this.finish('remove', id, false, (error as Error).message);
      throw error;
    } finally {
      release();
    }
  }

  /** Brings a withdrawn shipped report back from data/ (`replace`: in place of an added report of its region and year). */
  async restore(id: string, replace: boolean, release: () => void): Promise<RestoredReport> {
    try {
      const { result, index } = await this.run(() =>
        restoreReport(this.settings, id, {
          serving: this.requireIndex(),
          inPlace: true,
          lock: this.components.lock,
          purpose: `restore ${id} (HTTP)`,
          ...(replace ? { replace: true } : {}),
          onProgress: (event) => this.current && Object.assign(this.current, event),
        }),
      );
      this.serving.swap(index);
      this.finish('restore', id, true, `Restored ${id} (${result.passages} passages)${result.replaced ? `, in place of the added ${result.replaced}` : ''}.`);
      return result;
    } catch (error) {
      this.finish('restore', id, false, (error as Error).message);
      throw error;
    } finally {
      release();
    }
  }

  /** Runs an update; when it failed after changing the serving backend, serves CURRENT reloaded from disk. */
  private async run<T>(update: () => Promise<T>): Promise<T> {
    try {
      return await update();
    } catch (error) {
      if (error instanceof UpdateFailed) this.serving.swap(await loadIndex(this.settings));
      throw error;
    }
  }

  private finish(action: string, subject: string, ok: boolean, message: string): void {
    this.last = { action, subject, ok, message, finishedAt: new Date().toISOString() };
  }

  private requireIndex(): PassageIndex {
    const index = this.serving.index();
    if (!index) throw new AppError('not_ready', 'The index is still being built; try again in a few seconds (GET /healthz shows progress).');
    return index;
  }
}
