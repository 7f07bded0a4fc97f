// The targets table as clients read it: filtered by indicator, region and level, and as CSV named for its years. Pure.
import { getRegion } from '../corpus/regions.ts';
import type { RegionLevel, RegionTargets, TargetRow } from '../types.ts';
export { tableYears, targetsCsvFileNames } from './targets-naming.ts';

export interface TargetsFilter {
  /** Indicator ids (`gdp_growth`); any of them. */
  indicators?: readonly string[];
  /** Canonical region names; any of them. */
  regions?: readonly string[];
  level?: RegionLevel;
}

/** A region's entry with its level, so that a client can group without a second request. */
export type RegionTargetsWithLevel = RegionTargets & { level?: RegionLevel };

/** The rows that pass the filter; regions left with no row are dropped. Order is kept. */
export function filterTargets(table: readonly RegionTargets[], filter: TargetsFilter): RegionTargetsWithLevel[] {
  const result: RegionTargetsWithLevel[] = [];
  for (const entry of table) {
    const level = getRegion(entry.region)?.level;
    if (filter.level && level !== filter.level) continue;
    if (filter.regions && !filter.regions.includes(entry.region)) continue;
    const targets = filter.indicators ? entry.targets.filter((row) => filter.indicators!.includes(row.indicator)) : entry.targets;
    if (targets.length === 0) continue;
    // The entry keeps the report it is of (year, title, id).
    result.push({ ...entry, ...(level ? { level } : {}), targets });
  }
  return result;
}


const CSV_COLUMNS = ['region', 'level', 'indicator', 'label', 'scope', 'value', 'number', 'unit', 'qualifier', 'comparable_number', 'comparable_unit', 'year', 'passage_id', 'quote'] as const;

/** One CSV field: quoted when it holds a comma, a quote or a line break; a leading = + - @ is defused for spreadsheets. */
function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvRow(region: string, level: RegionLevel | undefined, row: TargetRow): string {
  return [region, level, row.indicator, row.label, row.scope ?? 'all', row.value, row.number, row.unit, row.qualifier, row.comparable?.number, row.comparable?.unit, row.year, row.passageId, row.quote]
    .map(csvField)
    .join(',');
}

/** The table as CSV: UTF-8 with a BOM (so Excel reads the Chinese), CRLF line ends, one row per target. */
export function toTargetsCsv(table: readonly RegionTargetsWithLevel[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const entry of table) for (const row of entry.targets) lines.push(csvRow(entry.region, entry.level ?? getRegion(entry.region)?.level, row));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
