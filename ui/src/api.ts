// The HTTP side of the server's API, typed; every failure becomes an ApiError with the server's code.
import { apiKey, authHeaders, renewApiKey } from './api-key.ts';
import type { RegionLevel, RegionSummary, RegionTargets } from '../../src/types.ts';

export interface RegionInfo {
  region: string;
  level: RegionLevel;
  parent?: string;
  english: string;
  aliases: string[];
  inCorpus: boolean;
  /** The report's title, when the region has one in the corpus. */
  title?: string;
}

export interface PassageView {
  passage: { id: string; region: string; title: string; section: string; sectionPath: string[]; text: string };
  before: { id: string; text: string }[];
  after: { id: string; text: string }[];
}

export interface Health {
  status: 'ok' | 'starting';
  passages?: number;
  embedder?: string;
  mode?: string;
}

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    const used = apiKey();
    response = await fetch(path, { headers: { accept: 'application/json', ...authHeaders() }, signal });
    // The server requires a key (API_KEYS): ask for one once and try again with it.
    if (response.status === 401 && renewApiKey(used)) response = await fetch(path, { headers: { accept: 'application/json', ...authHeaders() }, signal });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError('unreachable', 'network error', 0);
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(error?.code ?? `http_${response.status}`, error?.message ?? response.statusText, response.status);
  }
  return body as T;
}

/** A JSON request with the API key and this browser's id; errors as ApiError with the server's code. */
export async function sendJson<T>(method: 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  if (method === 'GET' && body === undefined) return getJson<T>(path);
  const send = (): Promise<Response> =>
    fetch(path, { method, headers: { accept: 'application/json', ...authHeaders(), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  let response: Response;
  try {
    const used = apiKey();
    response = await send();
    if (response.status === 401 && renewApiKey(used)) response = await send();
  } catch {
    throw new ApiError('unreachable', 'network error', 0);
  }
  const parsed: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(error?.code ?? `http_${response.status}`, error?.message ?? response.statusText, response.status);
  }
  return parsed as T;
}

export function fetchRegions(): Promise<{ regions: RegionInfo[] }> {
  return getJson('/api/regions');
}

/** `?year=2025` when a year is given; without one the server answers with the latest. */
const yearQuery = (year: number | undefined): string => (year === undefined ? '' : `?year=${year}`);

/** The region's priorities of `year`, or of its latest report. */
export function fetchSummary(region: string, options: { year?: number; signal?: AbortSignal } = {}): Promise<RegionSummary> {
  return getJson(`/api/regions/${encodeURIComponent(region)}/summary${yearQuery(options.year)}`, options.signal);
}

/** The targets table of `year`, or of each region's latest report; `years` are the years the corpus holds (absent from older servers). */
export function fetchTargets(year?: number): Promise<{ regions: RegionTargets[]; years?: number[]; year?: number }> {
  return getJson(`/api/targets${yearQuery(year)}`);
}

export function fetchPassage(id: string, signal?: AbortSignal): Promise<PassageView> {
  return getJson(`/api/passages/${encodeURIComponent(id)}`, signal);
}

/** A report in the corpus, as `GET /api/reports` lists it. */
export interface ReportInfo {
  id: string;
  region: string;
  level: RegionLevel;
  year: number;
  title: string;
  passages: number;
}

/** A report as `GET /api/reports` lists it, with where it came from. */
export interface ReportListing extends ReportInfo {
  parent?: string;
  origin: 'seed' | 'added';
  sourceFile: string;
  addedAt?: string;
}

/** A shipped report the admin withdrew (its file stays on the server); `replaced` when an upload took its place. */
export interface WithdrawnReport {
  id: string;
  title: string;
  region: string;
  year: number;
  withdrawnAt: string;
  replaced: boolean;
}

/** The change the server is making (one at a time), and how it got on. */
export interface ReportUpdate {
  action: 'add' | 'remove' | 'restore';
  subject: string;
  stage: 'read' | 'load' | 'chunk' | 'embed' | 'index' | 'write';
  done: number;
  total: number;
}

export interface ReportsListing {
  reports: ReportListing[];
  /** Shipped reports withdrawn, most recent first (absent from servers that cannot withdraw them). */
  withdrawn?: WithdrawnReport[];
  /** Whether the server takes uploads (it has an ADMIN_TOKEN). */
  writable: boolean;
  maxUploadBytes: number;
  update: ReportUpdate | null;
  last: { action: string; subject: string; ok: boolean; message: string; finishedAt: string } | null;
}

/** What an upload gave: the report (added, or only detected for a dry run) and what was read from the file. */
export interface UploadResult {
  report: ReportListing;
  detected: { region?: string; year?: number; regionFrom?: string; yearFrom?: string };
  format: string;
  encoding?: string;
  added: boolean;
  newRegion?: boolean;
  replaced?: string;
  existing?: { id: string; title: string; kind: 'same_content' | 'same_region_year' | 'seed' };
  milliseconds?: number;
}

/** An error of the reports routes: the server's code, plus the document's problem and the duplicate's id. */
export class ReportError extends ApiError {
  constructor(
    code: string,
    message: string,
    status: number,
    readonly problem?: string,
    readonly existing?: string,
  ) {
    super(code, message, status);
  }
}

export function fetchReportsListing(): Promise<ReportsListing> {
  return getJson('/api/reports');
}

export interface UploadFields {
  region?: string;
  year?: string;
  parent?: string;
  replace?: boolean;
  dryRun?: boolean;
}

function reportError(status: number, body: unknown): ReportError {
  const error = (body as { error?: { code?: string; message?: string; problem?: string; existing?: string } } | null)?.error;
  return new ReportError(error?.code ?? `http_${status}`, error?.message ?? `HTTP ${status}`, status, error?.problem, error?.existing);
}

/**
 * Sends a report with the admin token; `onSent` follows the bytes going up (XMLHttpRequest: fetch cannot
 * report upload progress). Resolves with the server's answer, rejects with a ReportError.
 */
export function uploadReport(file: File, fields: UploadFields, token: string, onSent: (sent: number, total: number) => void): Promise<UploadResult> {
  const form = new FormData();
  form.set('file', file, file.name);
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined || value === '' || value === false) continue;
    form.set(name, String(value));
  }
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', '/api/reports');
    request.setRequestHeader('authorization', `Bearer ${token}`);
    request.setRequestHeader('accept', 'application/json');
    request.responseType = 'json';
    request.upload.addEventListener('progress', (event) => onSent(event.loaded, event.lengthComputable ? event.total : file.size));
    request.addEventListener('load', () => {
      if (request.status >= 200 && request.status < 300) resolve(request.response as UploadResult);
      else reject(reportError(request.status, request.response));
    });
    request.addEventListener('error', () => reject(new ReportError('unreachable', 'network error', 0)));
    request.send(form);
  });
}

/** Whether the server takes `token` as its admin token: true, false (401), or a ReportError (writing off, unreachable). */
export async function checkAdminToken(token: string): Promise<boolean> {
  let response: Response;
  try {
    response = await fetch('/api/reports/admin', { headers: { accept: 'application/json', authorization: `Bearer ${token}` } });
  } catch {
    throw new ReportError('unreachable', 'network error', 0);
  }
  if (response.ok) return true;
  if (response.status === 401) return false;
  throw reportError(response.status, await response.json().catch(() => null));
}

/** A request of the admin's, answered with JSON or rejected with a ReportError. */
async function adminRequest<T>(path: string, init: RequestInit, token: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers: { accept: 'application/json', authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}) } });
  } catch {
    throw new ReportError('unreachable', 'network error', 0);
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) throw reportError(response.status, body);
  return body as T;
}

/** Removes an added report, or withdraws a shipped one (`origin: 'seed'`: its file stays, it can be restored). */
export function deleteReport(id: string, token: string): Promise<{ id: string; passages: number; milliseconds: number; origin: 'seed' | 'added' }> {
  return adminRequest(`/api/reports/${encodeURIComponent(id)}`, { method: 'DELETE' }, token);
}

/** Brings a withdrawn shipped report back; `replace` when an uploaded report has taken its place. */
export function restoreReport(id: string, replace: boolean, token: string): Promise<{ id: string; title: string; passages: number; replaced?: string; milliseconds: number }> {
  return adminRequest(`/api/reports/${encodeURIComponent(id)}/restore`, { method: 'POST', ...(replace ? { body: JSON.stringify({ replace: true }) } : {}) }, token);
}

let reportsRouteMissing = false;

/** The reports in the corpus; null where the server has no such route yet (then coverage comes from the regions). */
export async function fetchReports(): Promise<ReportInfo[] | null> {
  if (reportsRouteMissing) return null;
  try {
    return (await getJson<{ reports: ReportInfo[] }>('/api/reports')).reports;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      // Asked once per page: a server without the route will not grow it while the page is open.
      reportsRouteMissing = true;
      return null;
    }
    throw error;
  }
}

export function fetchHealth(): Promise<Health> {
  return getJson('/healthz');
}

/** Fetches a file with the API key and saves it under `filename` (a plain link cannot send the key). */
export async function downloadWithKey(path: string, filename: string): Promise<void> {
  const response = await fetch(path, { headers: authHeaders() });
  if (!response.ok) throw new ApiError(`http_${response.status}`, response.statusText, response.status);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
