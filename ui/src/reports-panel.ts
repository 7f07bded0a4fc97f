// The library view (`#/reports`): the reports the corpus holds, and — when the server takes uploads (it has
// an ADMIN_TOKEN) — a panel to add one: choose a file, confirm the region and year read from it, follow the
// upload and the indexing, remove a report (a shipped one is withdrawn, its file kept) or replace one, and
// restore a withdrawn shipped report. Nothing is added or removed before the user confirms.
import {
  ApiError,
  checkAdminToken,
  ReportError,
  deleteReport,
  fetchReportsListing,
  restoreReport,
  uploadReport,
  type ReportListing,
  type ReportUpdate,
  type ReportsListing,
  type UploadResult,
  type WithdrawnReport,
} from './api.ts';
import { clear, h } from './dom.ts';
import { describeError, getLanguage, t } from './i18n.ts';
import { displayRegion } from './regions.ts';

export interface ReportsView {
  show(): void;
  refresh(): void;
}

export interface ReportsViewDependencies {
  root: HTMLElement;
  notify: (message: string) => void;
  /** After a report was added or removed: the regions and everything built on them are reloaded. */
  changed: () => void;
  askAbout: (region: string) => void;
}

const TOKEN_KEY = 'gov-report-assistant.adminToken';
/** How often the server's progress is read while it indexes an upload. */
const POLL_MS = 400;
const ACCEPT = '.txt,.md,.pdf,.docx,text/plain,text/markdown,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The admin token lasts for this tab only (sessionStorage): it is a password, not a preference. */
function storedToken(): string {
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? '';
  } catch {
    return '';
  }
}

function storeToken(token: string): void {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // private mode: the token lasts for this page only
  }
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(bytes >= 10 * 1024 * 1024 ? 0 : 1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** What the user confirms: the file, what the dry run read from it, and the fields as the user left them. */
interface Pending {
  file: File;
  preview?: UploadResult;
  region: string;
  year: string;
  parent: string;
  /** Why the dry run could not fill a field (no region or year in the opening lines). */
  missing?: string;
}

interface Busy {
  phase: 'detect' | 'add' | 'remove' | 'restore';
  subject: string;
  sent: number;
  total: number;
  server?: ReportUpdate;
}

interface Failure {
  message: string;
  /** A duplicate that may be replaced: the id present. */
  replaceable?: string;
}

export function createReportsView({ root, notify, changed, askAbout }: ReportsViewDependencies): ReportsView {
  let listing: ReportsListing | null = null;
  let loadError: string | null = null;
  let token = storedToken();
  let pending: Pending | null = null;
  let busy: Busy | null = null;
  let failure: Failure | null = null;
  let confirmRemove: string | null = null;
  /** A withdrawn report whose restore replaces an upload: asked a second time. */
  let confirmRestore: string | null = null;
  /** A file chosen while the token was refused: read again once a right token is entered, not chosen again. */
  let retryFile: File | null = null;
  let tokenState: { checking: boolean; error?: string; typed: string } = { checking: false, typed: '' };
  let visible = false;
  let poller: ReturnType<typeof setInterval> | undefined;
  const progress = h('div', { class: 'upload-progress', role: 'status', 'aria-live': 'polite' });

  async function load(): Promise<void> {
    try {
      listing = await fetchReportsListing();
      loadError = null;
    } catch (error) {
      loadError = error instanceof ApiError ? describeError(error.code, error.message) : (error as Error).message;
    }
    render();
  }

  function stageText(update: ReportUpdate): string {
    const label = t(`reportsStage_${update.stage}` as 'reportsStage_read');
    return update.total > 1 ? `${label} ${update.done}/${update.total}` : label;
  }

  /** The progress line and bar, updated in place (a re-render would drop the user's focus). */
  function renderProgress(): void {
    clear(progress);
    progress.hidden = !busy;
    if (!busy) return;
    let text: string;
    let value: number | undefined;
    let max = 1;
    if (busy.phase === 'remove') text = t('reportsRemoving', { id: busy.subject });
    else if (busy.phase === 'restore') text = busy.server ? stageText(busy.server) : t('reportsRestoring', { title: busy.subject });
    else if (busy.sent < busy.total) {
      text = t('reportsSending', { sent: formatBytes(busy.sent), total: formatBytes(busy.total) });
      value = busy.sent;
      max = busy.total;
    } else if (busy.phase === 'detect') text = t('reportsDetecting');
    else if (busy.server) {
      text = stageText(busy.server);
      if (busy.server.total > 1) {
        value = busy.server.done;
        max = busy.server.total;
      }
    } else text = t('reportsIndexing');
    const bar = h('progress', { max: String(max), 'aria-label': text });
    if (value !== undefined) bar.value = value;
    progress.append(h('span', { class: 'upload-progress-text' }, text), bar);
  }

  function startPolling(): void {
    stopPolling();
    poller = setInterval(() => {
      void fetchReportsListing()
        .then((next) => {
          if (busy && next.update) {
            busy.server = next.update;
            renderProgress();
          }
        })
        .catch(() => undefined);
    }, POLL_MS);
  }

  function stopPolling(): void {
    if (poller) clearInterval(poller);
    poller = undefined;
  }

  function fail(error: unknown): void {
    if (error instanceof ReportError) {
      if (error.status === 401) {
        token = '';
        storeToken('');
        failure = { message: t('reportsTokenWrong') };
        return;
      }
      const message = error.code === 'unreachable' ? t('serverUnreachable') : error.message;
      failure = { message, ...(error.problem === 'duplicate' && error.existing ? { replaceable: error.existing } : {}) };
      return;
    }
    failure = { message: (error as Error).message };
  }

  async function choose(file: File): Promise<void> {
    failure = null;
    pending = null;
    if (listing && file.size > listing.maxUploadBytes) {
      failure = { message: t('reportsTooLarge', { size: formatBytes(file.size), max: formatBytes(listing.maxUploadBytes) }) };
      return render();
    }
    busy = { phase: 'detect', subject: file.name, sent: 0, total: file.size };
    render();
    try {
      const preview = await uploadReport(file, { dryRun: true }, token, (sent, total) => {
        if (busy) Object.assign(busy, { sent, total });
        renderProgress();
      });
      pending = { file, preview, region: preview.report.region, year: String(preview.report.year), parent: preview.report.parent ?? '' };
    } catch (error) {
      // No region or no year in the opening lines: the user names them and the file is read again on confirm.
      if (error instanceof ReportError && (error.problem === 'no_region' || error.problem === 'no_year')) {
        pending = { file, region: '', year: '', parent: '', missing: error.message };
      } else {
        if (error instanceof ReportError && error.status === 401) retryFile = file;
        fail(error);
      }
    } finally {
      busy = null;
      render();
    }
  }

  /** Whether the dry run's duplicate warning still applies (the user has not changed the region or year). */
  function duplicateOf(current: Pending): UploadResult['existing'] {
    const preview = current.preview;
    if (!preview?.existing) return undefined;
    return current.region === preview.report.region && current.year === String(preview.report.year) ? preview.existing : undefined;
  }

  async function confirm(replace: boolean): Promise<void> {
    if (!pending) return;
    const current = pending;
    failure = null;
    if (!current.region.trim()) failure = { message: t('reportsNeedRegion') };
    else if (!/^\d{4}$/.test(current.year.trim())) failure = { message: t('reportsNeedYear') };
    if (failure) return render();
    const newRegion = current.preview ? current.preview.newRegion === true : true;
    busy = { phase: 'add', subject: current.file.name, sent: 0, total: current.file.size };
    render();
    startPolling();
    try {
      const result = await uploadReport(
        current.file,
        {
          region: current.region.trim(),
          year: current.year.trim(),
          ...(newRegion && current.parent.trim() ? { parent: current.parent.trim() } : {}),
          ...(replace ? { replace: true } : {}),
        },
        token,
        (sent, total) => {
          if (busy) Object.assign(busy, { sent, total });
          renderProgress();
        },
      );
      pending = null;
      notify(
        t(result.replaced ? 'reportsReplaced' : 'reportsAdded', {
          title: result.report.title,
          passages: result.report.passages,
          seconds: ((result.milliseconds ?? 0) / 1000).toFixed(1),
        }),
      );
      await load();
      changed();
    } catch (error) {
      fail(error);
    } finally {
      stopPolling();
      busy = null;
      render();
    }
  }

  /** Runs a removal or a restore with the view marked busy (following the server's stage when `poll`), then says how it went. */
  async function runChange(phase: 'remove' | 'restore', subject: string, poll: boolean, change: () => Promise<string>): Promise<void> {
    failure = null;
    busy = { phase, subject, sent: 0, total: 0 };
    render();
    if (poll) startPolling();
    try {
      notify(await change());
      await load();
      changed();
    } catch (error) {
      fail(error);
    } finally {
      if (poll) stopPolling();
      busy = null;
      render();
    }
  }

  function remove(report: ReportListing): Promise<void> {
    confirmRemove = null;
    return runChange('remove', report.title, false, async () => {
      const result = await deleteReport(report.id, token);
      return t(result.origin === 'seed' ? 'reportsWithdrawn' : 'reportsRemoved', { title: report.title, passages: result.passages });
    });
  }

  function restore(entry: WithdrawnReport): Promise<void> {
    confirmRestore = null;
    return runChange('restore', entry.title, true, async () => {
      // Where an upload took its place, the user confirmed replacing it.
      const result = await restoreReport(entry.id, entry.replaced, token);
      return t('reportsRestored', { title: entry.title, passages: result.passages, seconds: (result.milliseconds / 1000).toFixed(1) });
    });
  }

  function tokenRow(): HTMLElement {
    if (token) {
      const change = h('button', { type: 'button', class: 'link-button' }, t('reportsTokenChange'));
      change.addEventListener('click', () => {
        token = '';
        storeToken('');
        render();
      });
      return h('p', { class: 'token-row token-set' }, h('span', { class: 'muted' }, t('reportsTokenSet')), change);
    }
    const input = h('input', { type: 'password', class: 'token-input', id: 'admin-token', autocomplete: 'off', spellcheck: 'false', placeholder: 'ADMIN_TOKEN', value: tokenState.typed, 'aria-invalid': tokenState.error ? 'true' : undefined, 'aria-describedby': tokenState.error ? 'admin-token-error' : undefined });
    const save = h('button', { type: 'submit', class: 'ghost small', disabled: tokenState.checking }, tokenState.checking ? t('adminTokenChecking') : t('reportsTokenSave'));
    const form = h('form', { class: 'token-row', 'data-state': tokenState.checking ? 'checking' : tokenState.error ? 'wrong' : 'empty' }, h('label', { for: 'admin-token' }, t('reportsTokenLabel')), input, save);
    // Checked with the server as soon as it is entered: a wrong token is said here, before any file is chosen.
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const typed = input.value.trim();
      if (!typed) return input.focus();
      tokenState = { checking: true, typed };
      render();
      let accepted: boolean;
      try {
        accepted = await checkAdminToken(typed);
      } catch (error) {
        tokenState = { checking: false, typed, error: error instanceof ApiError ? describeError(error.code, error.message) : String(error) };
        render();
        return;
      }
      if (!accepted) {
        tokenState = { checking: false, typed: '', error: t('adminTokenWrong') };
        render();
        root.querySelector<HTMLInputElement>('#admin-token')?.focus();
        return;
      }
      tokenState = { checking: false, typed: '' };
      token = typed;
      storeToken(token);
      failure = null;
      notify(t('adminTokenOk'));
      render();
      // The file that met the wrong token is read again with the right one.
      const again = retryFile;
      retryFile = null;
      if (again) void choose(again);
    });
    if (tokenState.error) return h('div', {}, form, h('p', { class: 'token-error', id: 'admin-token-error', role: 'alert' }, tokenState.error));
    return form;
  }

  function dropZone(): HTMLElement {
    const input = h('input', { type: 'file', accept: ACCEPT, id: 'report-file', class: 'sr-only', disabled: !token || busy !== null });
    const zone = h(
      'label',
      { class: 'drop-zone', for: 'report-file', 'data-disabled': String(!token || busy !== null) },
      h('span', { class: 'drop-zone-title' }, t('reportsChoose')),
      h('span', { class: 'drop-zone-hint' }, t('reportsFormats', { max: formatBytes(listing?.maxUploadBytes ?? 0) })),
      input,
    );
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      if (file) void choose(file);
    });
    zone.addEventListener('dragover', (event) => {
      if (!token || busy) return;
      event.preventDefault();
      zone.classList.add('dragging');
    });
    zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
    zone.addEventListener('drop', (event) => {
      zone.classList.remove('dragging');
      const file = event.dataTransfer?.files[0];
      if (!file || !token || busy) return;
      event.preventDefault();
      void choose(file);
    });
    return zone;
  }

  function field(id: string, label: string, value: string, onInput: (value: string) => void, extra: { hint?: string; inputmode?: string; maxlength?: number } = {}): HTMLElement {
    const input = h('input', { id, type: 'text', value, maxlength: extra.maxlength ?? 40, autocomplete: 'off', ...(extra.inputmode ? { inputmode: extra.inputmode } : {}), disabled: busy !== null });
    input.addEventListener('input', () => onInput(input.value));
    return h('div', { class: 'confirm-field' }, h('label', { for: id }, label), input, extra.hint ? h('span', { class: 'confirm-hint' }, extra.hint) : null);
  }

  function confirmBlock(current: Pending): HTMLElement {
    const preview = current.preview;
    const format = preview ? `${preview.format.toUpperCase()}${preview.encoding ? ` · ${preview.encoding.toUpperCase()}` : ''}` : '';
    const duplicate = duplicateOf(current);
    const newRegion = preview ? preview.newRegion === true : false;
    const rows: (HTMLElement | null)[] = [
      h('p', { class: 'confirm-file' }, h('strong', {}, current.file.name), ` · ${formatBytes(current.file.size)}${format ? ` · ${format}` : ''}`),
      preview ? h('p', { class: 'confirm-title' }, t('reportsDetectedTitle'), h('span', { class: 'report-title-text' }, preview.report.title)) : h('p', { class: 'confirm-missing', role: 'alert' }, current.missing ?? ''),
      h(
        'div',
        { class: 'confirm-fields' },
        field('report-region', t('reportsRegion'), current.region, (value) => (current.region = value), {
          ...(preview?.detected.regionFrom ? { hint: t('reportsFrom', { from: preview.detected.regionFrom }) } : {}),
        }),
        field('report-year', t('reportsYear'), current.year, (value) => (current.year = value), {
          inputmode: 'numeric',
          maxlength: 4,
          ...(preview?.detected.yearFrom ? { hint: t('reportsFrom', { from: preview.detected.yearFrom }) } : {}),
        }),
        newRegion || !preview ? field('report-parent', t('reportsParent'), current.parent, (value) => (current.parent = value), { hint: t('reportsParentHint') }) : null,
      ),
      newRegion ? h('p', { class: 'confirm-note' }, t('reportsNewRegion', { region: current.region })) : null,
      duplicate ? h('p', { class: 'confirm-warning', role: 'alert' }, t(duplicate.kind === 'same_content' ? 'reportsDuplicateSame' : duplicate.kind === 'seed' ? 'reportsDuplicateSeed' : 'reportsDuplicateReplace', { title: duplicate.title })) : null,
    ];
    // A shipped report is replaced like an added one (its file stays on the server; it is listed as withdrawn).
    const replace = duplicate?.kind === 'same_region_year' || duplicate?.kind === 'seed';
    const add = h('button', { type: 'button', class: 'primary', id: 'report-confirm', disabled: busy !== null || duplicate?.kind === 'same_content' }, replace ? t('reportsConfirmReplace') : t('reportsConfirm'));
    add.addEventListener('click', () => void confirm(replace));
    const cancel = h('button', { type: 'button', class: 'ghost', disabled: busy !== null }, t('renameCancel'));
    cancel.addEventListener('click', () => {
      pending = null;
      failure = null;
      render();
    });
    return h('div', { class: 'upload-confirm', 'data-state': preview ? 'detected' : 'missing' }, rows, h('div', { class: 'confirm-actions' }, add, cancel));
  }

  function failureBlock(): HTMLElement | null {
    if (!failure) return null;
    const current = failure;
    const retry = current.replaceable && pending ? h('button', { type: 'button', class: 'ghost small' }, t('reportsConfirmReplace')) : null;
    retry?.addEventListener('click', () => void confirm(true));
    return h('div', { class: 'upload-error', role: 'alert' }, h('span', {}, current.message), retry);
  }

  function uploadCard(): HTMLElement {
    renderProgress();
    return h(
      'section',
      { class: 'upload-card', 'aria-labelledby': 'upload-title' },
      h('h3', { id: 'upload-title', class: 'upload-title' }, t('reportsUploadTitle')),
      h('p', { class: 'muted upload-intro' }, t('reportsUploadIntro')),
      tokenRow(),
      pending ? confirmBlock(pending) : dropZone(),
      progress,
      failureBlock(),
    );
  }

  function dateText(iso: string): string {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : date.toLocaleDateString(getLanguage() === 'zh' ? 'zh-CN' : 'en-GB', { year: 'numeric', month: 'short', day: 'numeric' });
  }

  function reportRow(report: ReportListing): HTMLElement {
    const origin = report.origin === 'added' ? t('reportsOriginAdded', { date: report.addedAt ? dateText(report.addedAt) : '' }) : t('reportsOriginSeed');
    const meta = [t('reportsPassages', { count: report.passages }), origin, report.origin === 'added' ? report.sourceFile : ''].filter(Boolean).join(' · ');
    const ask = h('button', { type: 'button', class: 'ghost small' }, t('prioritiesAsk'));
    ask.addEventListener('click', () => askAbout(report.region));
    let actions: HTMLElement[] = [ask];
    // The admin removes added and shipped reports alike; a shipped one is withdrawn (its file stays, restorable).
    if (listing?.writable) {
      if (confirmRemove === report.id) {
        const seed = report.origin === 'seed';
        actions = confirmButtons(seed ? t('reportsRemoveSeedConfirm') : t('reportsRemoveConfirm'), seed ? t('reportsRemoveSeedNote') : undefined, () => void remove(report), () => (confirmRemove = null));
      } else {
        const removeButton = h('button', { type: 'button', class: 'ghost small', disabled: !token || busy !== null, title: token ? undefined : t('reportsTokenFirst') }, t('deleteConversation'));
        removeButton.addEventListener('click', () => {
          confirmRemove = report.id;
          render();
        });
        actions.push(removeButton);
      }
    }
    return h(
      'li',
      { class: 'report-row', 'data-report-id': report.id, 'data-origin': report.origin },
      h('span', { class: 'report-year' }, String(report.year)),
      h(
        'span',
        { class: 'report-main' },
        h('span', { class: 'report-region' }, displayRegion(report.region), report.parent ? h('span', { class: 'report-parent' }, ` · ${displayRegion(report.parent)}`) : null),
        h('span', { class: 'report-name' }, report.title),
        h('span', { class: 'report-meta' }, meta),
      ),
      h('span', { class: 'report-actions' }, actions),
    );
  }

  /** The second click of a change that takes something away, and its cancel (which only clears the question). */
  function confirmButtons(label: string, title: string | undefined, onConfirm: () => void, onCancel: () => void): HTMLElement[] {
    const yes = h('button', { type: 'button', class: 'ghost small danger', title }, label);
    yes.addEventListener('click', onConfirm);
    const no = h('button', { type: 'button', class: 'ghost small' }, t('renameCancel'));
    no.addEventListener('click', () => {
      onCancel();
      render();
    });
    return [yes, no];
  }

  function withdrawnRow(entry: WithdrawnReport): HTMLElement {
    const meta = [t('reportsWithdrawnMeta', { date: dateText(entry.withdrawnAt) }), entry.replaced ? t('reportsWithdrawnReplaced') : ''].filter(Boolean).join(' · ');
    let actions: HTMLElement[] = [];
    if (listing?.writable) {
      if (confirmRestore === entry.id) {
        actions = confirmButtons(t('reportsRestoreReplaceConfirm'), undefined, () => void restore(entry), () => (confirmRestore = null));
      } else {
        const restoreButton = h('button', { type: 'button', class: 'ghost small', disabled: !token || busy !== null, title: token ? undefined : t('reportsTokenFirst') }, t('reportsRestore'));
        // Restoring takes nothing away unless an upload has its place: then it is confirmed first.
        restoreButton.addEventListener('click', () => {
          if (!entry.replaced) return void restore(entry);
          confirmRestore = entry.id;
          render();
        });
        actions = [restoreButton];
      }
    }
    return h(
      'li',
      { class: 'report-row withdrawn', 'data-report-id': entry.id, 'data-origin': 'withdrawn' },
      h('span', { class: 'report-year' }, String(entry.year)),
      h('span', { class: 'report-main' }, h('span', { class: 'report-region' }, displayRegion(entry.region)), h('span', { class: 'report-name' }, entry.title), h('span', { class: 'report-meta' }, meta)),
      h('span', { class: 'report-actions' }, actions),
    );
  }

  function render(): void {
    if (!visible) return;
    clear(root);
    const count = listing?.reports.length ?? 0;
    root.append(
      h('header', { class: 'view-header' }, h('div', { class: 'view-heading' }, h('h2', {}, t('navReports')))),
      h('p', { class: 'view-intro' }, listing ? t('reportsIntro', { count }) : loadError ? t('reportsLoadFailed', { message: loadError }) : t('coverageLoading')),
    );
    root.dataset.state = listing ? 'loaded' : loadError ? 'error' : 'loading';
    root.dataset.busy = busy ? busy.phase : '';
    if (!listing) return;
    if (listing.writable) root.append(uploadCard());
    else root.append(h('p', { class: 'upload-off muted' }, t('reportsReadOnly')));
    if (listing.update && !busy) root.append(h('p', { class: 'server-busy', role: 'status' }, t('reportsServerBusy', { subject: listing.update.subject, stage: stageText(listing.update) })));
    // Added reports first (newest first), then the shipped ones in the server's order.
    const added = listing.reports.filter((report) => report.origin === 'added').sort((left, right) => (right.addedAt ?? '').localeCompare(left.addedAt ?? ''));
    const seed = listing.reports.filter((report) => report.origin !== 'added');
    if (added.length > 0) root.append(h('h3', { class: 'block-title' }, t('reportsAddedTitle', { count: added.length })), h('ul', { class: 'report-list', id: 'added-reports' }, added.map(reportRow)));
    root.append(h('h3', { class: 'block-title' }, t('reportsSeedTitle', { count: seed.length })), h('ul', { class: 'report-list', id: 'seed-reports' }, seed.map(reportRow)));
    const withdrawn = listing.withdrawn ?? [];
    if (withdrawn.length > 0) {
      root.append(
        h('h3', { class: 'block-title' }, t('reportsWithdrawnTitle', { count: withdrawn.length })),
        h('p', { class: 'muted withdrawn-intro' }, t('reportsWithdrawnIntro')),
        h('ul', { class: 'report-list', id: 'withdrawn-reports' }, withdrawn.map(withdrawnRow)),
      );
    }
  }

  return {
    show() {
      visible = true;
      render();
      void load();
    },
    refresh() {
      render();
    },
  };
}
