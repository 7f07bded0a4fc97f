// The region table from the server, and region names in the interface language.
import { fetchRegions, type RegionInfo } from './api.ts';
import { getLanguage } from './i18n.ts';

let regions: RegionInfo[] = [];
const byName = new Map<string, RegionInfo>();

/** Load the region table once; on failure the page still works with canonical Chinese names. */
export async function loadRegions(): Promise<RegionInfo[]> {
  try {
    regions = (await fetchRegions()).regions;
  } catch {
    regions = [];
  }
  byName.clear();
  for (const info of regions) byName.set(info.region, info);
  return regions;
}

export function listRegions(): RegionInfo[] {
  return regions;
}

export function findRegion(name: string): RegionInfo | undefined {
  return byName.get(name);
}

/** `江苏省` in Chinese, `Jiangsu` in English (when the server knows the English name). */
export function displayRegion(name: string): string {
  if (getLanguage() === 'en') {
    if (name === '全国') return 'National';
    return byName.get(name)?.english || name;
  }
  return name;
}
