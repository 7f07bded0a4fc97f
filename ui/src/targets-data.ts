// The targets table as the 目标一览 page reads it: one flat row per target, filtered by indicator, level
// and region group, sorted by value, the chart's rows (national kept apart on absolute indicators), and
// the report years it is of. Pure.
import { REGION_GROUPS, type RegionGroup } from '../../src/corpus/region-groups.ts';
import type { RegionLevel, RegionTargets, TargetRow } from '../../src/types.ts';
import { tableYears, targetsCsvFileNames } from '../../src/answer/targets-naming.ts';
import { parseTargetValue } from './numbers.ts';

export const nationalRegion = '全国';

/** Indicators in the order the page offers them; any other indicator the server sends follows. */
export const indicatorOrder: readonly string[] = [
  'gdp_growth', 'cpi', 'unemployment', 'urban_jobs', 'budget_revenue', 'fixed_investment', 'retail_sales',
  'industrial_output', 'trade', 'exports', 'income', 'rd_intensity', 'energy_intensity', 'grain', 'foreign_investment',
];

export interface TableRow {
  region: string;
  level?: RegionLevel;
  /** Position of the region in the server's table (national, provinces, cities): the default order. */
  order: number;
  indicator: string;
  label: string;
  value: string;
  scope: 'all' | 'urban' | 'rural';
  qualifier: string;
  /** The number the row sorts and charts by (absolute amounts in one unit), if the value has one. */
  rank?: number;
  /** The unit of `rank`. */
  unit: string;
  passageId: string;
  quote?: string;
}

export interface TargetsFilter {
  /** An indicator id, or '' for all. */
  indicator: string;
  /** A level, or '' for all. */
  level: RegionLevel | '';
  /** A region group id, or '' for all. */
  group: string;
}

export type SortOrder = 'table' | 'desc' | 'asc';

/** Every target as one row, in the server's order. */
export function flattenTargets(data: readonly (RegionTargets & { level?: RegionLevel })[]): TableRow[] {
  const rows: TableRow[] = [];
  data.forEach((entry, order) => {
    for (const target of entry.targets) rows.push(toTableRow(entry.region, entry.level, order, target));
  });
  return rows;
}

function toTableRow(region: string, level: RegionLevel | undefined, order: number, target: TargetRow): TableRow {
  const parsed = target.number === undefined ? parseTargetValue(target.value) : null;
  const rank = target.comparable?.number ?? target.number ?? parsed?.value;
  return {
    region,
    ...(level ? { level } : {}),
    order,
    indicator: target.indicator,
    label: target.label,
    value: target.value,
    scope: target.scope ?? 'all',
    qualifier: target.qualifier ?? parsed?.qualifier ?? '',
    ...(rank !== undefined ? { rank } : {}),
    unit: target.comparable?.unit ?? target.unit ?? parsed?.unit ?? '',
    passageId: target.passageId,
    ...(target.quote ? { quote: target.quote } : {}),
  };
}

export function findGroup(id: string): RegionGroup | undefined {
  return REGION_GROUPS.find((group) => group.id === id);
}

export function filterRows(rows: readonly TableRow[], filter: TargetsFilter): TableRow[] {
  const members = filter.group ? new Set(findGroup(filter.group)?.members ?? []) : undefined;
  return rows.filter(
    (row) =>
      (!filter.indicator || row.indicator === filter.indicator) &&
      (!filter.level || row.level === filter.level) &&
      (!members || members.has(row.region)),
  );
}

const scopeOrder = { all: 0, urban: 1, rural: 2 } as const;

/** Sorted by value (rows without a number last, in table order), or in table order. */
export function sortRows(rows: readonly TableRow[], order: SortOrder): TableRow[] {
  const byTable = (left: TableRow, right: TableRow): number =>
    left.order - right.order || indicatorOrder.indexOf(left.indicator) - indicatorOrder.indexOf(right.indicator) || scopeOrder[left.scope] - scopeOrder[right.scope];
  if (order === 'table') return [...rows].sort(byTable);
  return [...rows].sort((left, right) => {
    if (left.rank === undefined || right.rank === undefined) return left.rank === undefined ? (right.rank === undefined ? byTable(left, right) : 1) : -1;
    if (left.indicator !== right.indicator || left.unit !== right.unit) return indicatorOrder.indexOf(left.indicator) - indicatorOrder.indexOf(right.indicator) || left.unit.localeCompare(right.unit);
    return (order === 'desc' ? right.rank - left.rank : left.rank - right.rank) || byTable(left, right);
  });
}

/** Indicators present in the data, in page order. */
export function presentIndicators(rows: readonly TableRow[]): string[] {
  const present = new Set(rows.map((row) => row.indicator));
  return [...indicatorOrder.filter((id) => present.has(id)), ...[...present].filter((id) => !indicatorOrder.includes(id))];
}

export interface ChartData {
  /** Rows with a number in the common unit, highest first. */
  rows: TableRow[];
  unit: string;
  /** The national row: on the scale for rates (a marked line), shown apart for absolute amounts. */
  national?: TableRow;
  nationalOnScale: boolean;
}

/** The chart of one indicator: rows with a number in the most common unit; the national 1200万人 never sets the scale of provinces' 46万人. */
export function buildChartData(rows: readonly TableRow[]): ChartData {
  const numeric = rows.filter((row) => row.rank !== undefined);
  const counts = new Map<string, number>();
  for (const row of numeric) counts.set(row.unit, (counts.get(row.unit) ?? 0) + 1);
  const unit = [...counts.entries()].sort((left, right) => right[1] - left[1])[0]?.[0] ?? '';
  const national = numeric.find((row) => row.region === nationalRegion && row.unit === unit);
  const nationalOnScale = unit === '%';
  const charted = numeric.filter((row) => row.unit === unit && (nationalOnScale || row.region !== nationalRegion)).sort((left, right) => right.rank! - left.rank!);
  return { rows: charted, unit, ...(national ? { national } : {}), nationalOnScale };
}

const LONG_SUFFIXES = /(?:壮族自治区|回族自治区|维吾尔自治区|自治区|省|市)$/;

/** `江苏` for 江苏省, `广西` for 广西壮族自治区: axis labels that fit a phone. */
export function shortRegion(region: string): string {
  if (region === '内蒙古自治区') return '内蒙古';
  return region.replace(LONG_SUFFIXES, '') || region;
}

/** The CSV export of the same filter and report year, from the server (UTF-8 with a BOM). */
export function csvUrl(filter: TargetsFilter, year?: number): string {
  const query = new URLSearchParams();
  if (year !== undefined) query.set('year', String(year));
  if (filter.indicator) query.set('indicator', filter.indicator);
  if (filter.level) query.set('level', filter.level);
  if (filter.group) query.set('region', filter.group);
  const text = query.toString();
  return `/api/targets.csv${text ? `?${text}` : ''}`;
}

/** The report years of the table's entries, ascending (each region's latest may differ in year). */
export const entryYears = tableYears;

/**
 * The name the CSV is saved under: the server's for the year (`targets-2024.csv`, `targets-2024-2025.csv`),
 * with the filter the table shows (`targets-2024-cpi-jingjinji-province.csv`), so a filtered export is not
 * mistaken for the whole table.
 */
export function csvFileName(years: readonly number[], filter: Partial<TargetsFilter> = {}): string {
  const base = targetsCsvFileNames(years).ascii.replace(/\.csv$/, '');
  const parts = [filter.indicator, filter.group, filter.level].filter((part): part is string => Boolean(part));
  return `${[base, ...parts].join('-')}.csv`;
}
