// Region lookup and detection over the region table: canonical names, aliases and English names.
import { findPlaces } from './places.ts';
import { listCorpusRegions, setCorpusRegions } from './corpus-regions.ts';
import { REGION_TABLE, type RegionEntry } from './region-table.ts';

export type { RegionEntry };

const byName = new Map<string, RegionEntry>(REGION_TABLE.map((entry) => [entry.name, entry]));

interface Matcher {
  entry: RegionEntry;
  pattern: string;
  english: boolean;
}

// Longest names first, so 内蒙古自治区 wins over 内蒙古 and a city over nothing shorter.
function buildMatchers(entries: readonly RegionEntry[]): Matcher[] {
  return entries
    .flatMap((entry) => [
      { entry, pattern: entry.name, english: false },
      ...entry.aliases.map((alias) => ({ entry, pattern: alias, english: false })),
      ...entry.english.map((name) => ({ entry, pattern: name.toLowerCase(), english: true })),
    ])
    .sort((a, b) => b.pattern.length - a.pattern.length);
}

const MATCHERS: Matcher[] = buildMatchers(REGION_TABLE);
export { corpusRegionsVersion, listCorpusRegions } from './corpus-regions.ts';

/** The region table followed by the regions users' reports brought. */
export function listRegions(): readonly RegionEntry[] {
  const extra = listCorpusRegions();
  return extra.length === 0 ? REGION_TABLE : [...REGION_TABLE, ...extra];
}

export function getRegion(name: string): RegionEntry | undefined {
  return byName.get(name);
}

/** Resolves a canonical name, alias or English name (case-insensitive) to its table entry. */
export function resolveRegion(input: string): RegionEntry | undefined {
  const trimmed = input.trim();
  if (!trimmed) return undefined;
  const exact = byName.get(trimmed);
  if (exact) return exact;
  const lower = trimmed.toLowerCase();
  return MATCHERS.find((matcher) => matcher.pattern === (matcher.english ? lower : trimmed))?.entry;
}

export interface RegionMention {
  entry: RegionEntry;
  /** Offset of the mention in the text. */
  index: number;
}

/**
 * Every region of the table a text names, in order of first mention, each once. Overlapping mentions keep
 * the longest (南通市 is one mention of 南通市, not also of 南通; 吉林市 is a city, not 吉林省).
 */
export function detectRegions(text: string): RegionMention[] {
  const found = new Map<string, RegionMention>();
  for (const place of findPlaces(text)) {
    if (!place.entry || place.approximate || found.has(place.entry.name)) continue;
    found.set(place.entry.name, { entry: place.entry, index: place.index });
  }
  return [...found.values()];
}

/**
 * Regions of the corpus the table does not know (from reports users added: 昆山市, 浦东新区 …). They
 * are matched in questions like table entries from the moment they are registered; the catalogue of
 * added reports is their one source, and it registers them whenever an index is loaded or changed.
 */
export function registerCorpusRegions(entries: readonly RegionEntry[]): void {
  const known = new Set(REGION_TABLE.map((entry) => entry.name));
  const fresh = entries.filter((entry) => !known.has(entry.name));
  for (const entry of listCorpusRegions()) if (!fresh.some((candidate) => candidate.name === entry.name)) byName.delete(entry.name);
  for (const entry of fresh) byName.set(entry.name, entry);
  MATCHERS.splice(0, MATCHERS.length, ...buildMatchers([...REGION_TABLE, ...fresh]));
  setCorpusRegions(fresh);
}


