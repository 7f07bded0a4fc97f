// Loading the corpus described by data/manifest.json: verified, cleaned, split and parsed into reports.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { Report } from '../types.ts';
import { cleanReportText } from './clean-text.ts';
import { parseReport, SECTION_RULES_VERSION } from './parse-report.ts';
import { readCatalogue, readReportText, serializeCatalogue, type Catalogue } from './catalogue.ts';
import { registerCorpusRegions, resolveRegion } from './regions.ts';
import { splitCompilation } from './split-compilation.ts';

const manifestSchema = z.object({
  year: z.number().int(),
  files: z
    .array(
      z.object({
        file: z.string().min(1),
        format: z.enum(['compilation', 'pdf-lines', 'markdown', 'plain']),
        region: z.string().optional(),
        duplicateOf: z.string().optional(),
        sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
      }),
    )
    .min(1),
});

export type CorpusManifest = z.infer<typeof manifestSchema>;

export interface Corpus {
  reports: Report[];
  /** Report id → id of the report it repeats (the same report from another source file). */
  duplicates: Map<string, string>;
  /** sha256 over the manifest and every file, so an index knows when it is stale. */
  hash: string;
  /** The catalogue read with it, added and withdrawn reports (written into the index folder built from it). */
  catalogue: Catalogue;
}

export async function readManifest(dataDir: string): Promise<CorpusManifest> {
  const file = path.join(dataDir, 'manifest.json');
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (cause) {
    throw new AppError('invalid_input', `Cannot read the corpus manifest ${file}: ${(cause as Error).message}`, { cause });
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) throw new AppError('invalid_input', `Invalid corpus manifest ${file}: ${parsed.error.message}`);
  return parsed.data;
}

/** Reads, verifies and parses every file of the manifest into reports, leaving out the shipped reports the admin withdrew. */
export async function loadCorpus(dataDir: string): Promise<Corpus> {
  const manifest = await readManifest(dataDir);
  const corpusHash = seedHash(manifest);
  const catalogue = await readCatalogue(dataDir);
  const withdrawn = new Set(catalogue.withdrawn.map((entry) => entry.id));
  const { reports, duplicates } = await readSeedReports(dataDir, manifest, (id) => !withdrawn.has(id), corpusHash);
  registerCorpusRegions(catalogue.reports.map((entry) => entry.region));
  const texts: string[] = [];
  for (const entry of catalogue.reports) {
    const text = await readReportText(dataDir, entry).catch((cause: unknown) => {
      throw new AppError('invalid_input', `The added report ${entry.id} is listed in data/added/catalogue.json but its text file is missing`, { cause });
    });
    texts.push(text);
    reports.push(parseReport({ id: entry.id, region: entry.region, year: entry.year, sourceFile: entry.sourceFile, text, format: entry.cleaning }));
  }
  return { reports, duplicates, hash: hashAdded(corpusHash, catalogue, texts), catalogue };
}

/** The shipped reports with these ids (a copy, such as `jiangsu-2024-pdf`, comes with its original), read from data/. */
export async function loadShippedReports(dataDir: string, ids: ReadonlySet<string>): Promise<Pick<Corpus, 'reports' | 'duplicates'>> {
  return readSeedReports(dataDir, await readManifest(dataDir), (id) => ids.has(id));
}

/**
 * Reads every file of the manifest (each one's sha256 goes on `hash`, verified against the manifest) and
 * parses the reports `include` takes, asked by a report's id or, for a copy, its original's.
 */
async function readSeedReports(dataDir: string, manifest: CorpusManifest, include: (id: string) => boolean, hash?: ReturnType<typeof createHash>): Promise<Pick<Corpus, 'reports' | 'duplicates'>> {
  const reports: Report[] = [];
  const duplicates = new Map<string, string>();
  for (const entry of manifest.files) {
    const bytes = await readFile(path.join(dataDir, entry.file)).catch((cause: unknown) => {
      throw new AppError('invalid_input', `Corpus file ${entry.file} is listed in data/manifest.json but cannot be read`, { cause });
    });
    const sha = createHash('sha256').update(bytes).digest('hex');
    if (entry.sha256 && entry.sha256 !== sha) {
      throw new AppError('invalid_input', `Corpus file ${entry.file} does not match its sha256 in data/manifest.json (got ${sha})`);
    }
    hash?.update(sha);
    const raw = bytes.toString('utf8');
    if (entry.format === 'compilation') {
      for (const part of splitCompilation(raw)) {
        const id = `${part.region.slug}-${manifest.year}`;
        if (!include(id)) continue;
        const text = cleanReportText(part.raw, 'compilation');
        reports.push(parseReport({ id, region: part.region, year: manifest.year, sourceFile: entry.file, text, format: 'compilation' }));
      }
      continue;
    }
    const region = entry.region ? resolveRegion(entry.region) : undefined;
    if (!region) throw new AppError('invalid_input', `Corpus file ${entry.file} needs a known "region" in data/manifest.json`);
    const id = entry.duplicateOf ? `${region.slug}-${manifest.year}-${entry.format === 'pdf-lines' ? 'pdf' : entry.format}` : `${region.slug}-${manifest.year}`;
    if (!include(entry.duplicateOf ?? id)) continue;
    const text = cleanReportText(raw, entry.format);
    reports.push(parseReport({ id, region, year: manifest.year, sourceFile: entry.file, text, format: entry.format }));
    if (entry.duplicateOf) duplicates.set(id, entry.duplicateOf);
  }
  return { reports, duplicates };
}

/** The corpus hash starts from the manifest and the section rules (an index built with older rules is rebuilt). */
function seedHash(manifest: unknown): ReturnType<typeof createHash> {
  return createHash('sha256').update(JSON.stringify(manifest)).update(`sections:${SECTION_RULES_VERSION}`);
}

/** The corpus hash goes on over the catalogue and each added text; with neither added nor withdrawn reports it is the seed's. */
function hashAdded(hash: ReturnType<typeof createHash>, catalogue: Catalogue, texts: readonly string[]): string {
  if (catalogue.reports.length > 0 || catalogue.withdrawn.length > 0) {
    hash.update(serializeCatalogue(catalogue));
    for (const text of texts) hash.update(createHash('sha256').update(text).digest('hex'));
  }
  return hash.digest('hex');
}

/** The hash loadCorpus would give with this catalogue and these added texts (an in-place update's corpus). */
export async function hashCorpusWith(dataDir: string, catalogue: Catalogue, texts: ReadonlyMap<string, string>): Promise<string> {
  const manifest = await readManifest(dataDir);
  const hash = seedHash(manifest);
  for (const entry of manifest.files) hash.update(createHash('sha256').update(await readFile(path.join(dataDir, entry.file))).digest('hex'));
  const ordered = await Promise.all(catalogue.reports.map(async (entry) => texts.get(entry.id) ?? (await readReportText(dataDir, entry))));
  return hashAdded(hash, catalogue, ordered);
}
