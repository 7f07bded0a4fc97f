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
