// A document a user brought, made into a Report: region and year from its opening lines unless the user
// says otherwise, the region's entry (a new region of the corpus when the table does not know it).
import { DocumentError } from './document-error.ts';
import { detectMetadata, regionForReport, type DetectedMetadata } from './detect-metadata.ts';
import { parseReport } from './parse-report.ts';
import type { ReadDocument } from './read-document.ts';
import type { RegionEntry } from './regions.ts';
import type { Report } from '../types.ts';

export interface ReportOverrides {
  region?: string;
  year?: number;
  /** The region the report's region belongs to (苏州市 for 昆山市), for a region the table does not know. */
  parent?: string;
}

export interface UserReport {
  report: Report;
  region: RegionEntry;
  detected: DetectedMetadata;
}

/** Years a report can plausibly be for. */
const FIRST_YEAR = 1978;

export function buildUserReport(document: ReadDocument, overrides: ReportOverrides = {}, now = new Date()): UserReport {
  const detected = detectMetadata(document.text);
  const regionName = overrides.region?.trim() || detected.regionName;
  if (!regionName) {
    throw new DocumentError('no_region', `${document.fileName}: no region found in its title or opening lines. Name it (--region 南京市, or the form field region).`);
  }
  const year = overrides.year ?? detected.year;
  if (year === undefined) {
    throw new DocumentError('no_year', `${document.fileName}: no year found in its title or opening lines. Give it (--year 2025, or the form field year).`);
  }
  const lastYear = now.getUTCFullYear() + 1;
  if (!Number.isInteger(year) || year < FIRST_YEAR || year > lastYear) {
    throw new DocumentError('no_year', `${document.fileName}: ${year} is not a report year (${FIRST_YEAR}–${lastYear}).`);
  }
  const region = regionForReport(regionName, document.text, overrides.parent?.trim() || undefined);
  const report = parseReport({
    id: `${region.slug}-${year}`,
    region,
    year,
    sourceFile: document.fileName,
    text: document.text,
    format: document.cleaning,
  });
  return { report, region, detected };
}
