// The regions of the corpus the region table does not know (from reports users added: 昆山市 …), as
// registered when an index is loaded or changed. One place holds them; regions.ts and places.ts read it.
import type { RegionEntry } from './region-table.ts';

const extra = new Map<string, RegionEntry>();
let version = 0;

export function setCorpusRegions(entries: readonly RegionEntry[]): void {
  extra.clear();
  for (const entry of entries) extra.set(entry.name, entry);
  version++;
}

export function listCorpusRegions(): readonly RegionEntry[] {
  return [...extra.values()];
}

/** Changes whenever the corpus regions change (matchers built from them know to rebuild). */
export function corpusRegionsVersion(): number {
  return version;
}
