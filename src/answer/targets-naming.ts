// The report years a targets table is of and the CSV's file names for them. Pure, with no runtime imports,
// so that the page names its download as the server does (ui/src/targets-data.ts imports it).
import type { RegionTargets } from '../types.ts';

/** The report years a table's entries are of, ascending (without a year asked for, regions' latest may differ). */
export function tableYears(table: readonly RegionTargets[]): number[] {
  const years = new Set<number>();
  for (const entry of table) {
    const year = entry.year ?? entry.targets[0]?.year;
    if (year !== undefined) years.add(year);
  }
  return [...years].sort((left, right) => left - right);
}

/** The CSV's file names for the years it holds: `targets-2024.csv` and `2024年主要预期目标.csv`; several years are each named. */
export function targetsCsvFileNames(years: readonly number[]): { ascii: string; unicode: string } {
  if (years.length === 0) return { ascii: 'targets.csv', unicode: '主要预期目标.csv' };
  return { ascii: `targets-${years.join('-')}.csv`, unicode: `${years.join('、')}年主要预期目标.csv` };
}
