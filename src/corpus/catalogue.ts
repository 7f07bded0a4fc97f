// The catalogue of how the corpus differs from what ships in data/: the reports users added (region, year,
// source file, hash), each one's cleaned text in data/added/<id>-<hash>.txt (named by content, so a
// replacement never overwrites the text an index still refers to), and the shipped reports the admin
// withdrew (`withdrawn`: their files in data/ stay, the corpus leaves them out). The catalogue an index was
// built with is written inside its folder and switched with it; data/added/catalogue.json is its copy for
// `npm run ingest`, written after the switch and naming the folder it copies, so a writer stopped in
// between is told apart from a hand edit.
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../errors.ts';

const regionSchema = z.object({
  name: z.string().min(1),
  slug: z.string().regex(/^[a-z0-9-]+$/),
  level: z.enum(['national', 'province', 'city']),
  parent: z.string().optional(),
  aliases: z.array(z.string()),
  english: z.array(z.string()),
  inCorpus: z.boolean(),
});

const entrySchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  region: regionSchema,
  year: z.number().int(),
  title: z.string(),
  sourceFile: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  format: z.enum(['text', 'markdown', 'pdf', 'docx']),
  cleaning: z.enum(['compilation', 'pdf-lines', 'markdown', 'plain']),
  encoding: z.string().optional(),
  characters: z.number().int(),
  addedAt: z.string(),
});

const withdrawnSchema = z.object({
  /** The shipped report's id (its copies, such as `jiangsu-2024-pdf`, go with it). */
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string(),
  region: z.string(),
  year: z.number().int(),
  withdrawnAt: z.string(),
});

const catalogueSchema = z.object({
  reports: z.array(entrySchema),
  withdrawn: z.array(withdrawnSchema).default([]),
  /** In data/added/catalogue.json: the index folder it was copied from. */
  index: z.string().optional(),
});

export type CatalogueEntry = z.infer<typeof entrySchema>;
/** A shipped report (data/manifest.json) the admin took out of the corpus: removed, or replaced by an added one. */
export type WithdrawnReport = z.infer<typeof withdrawnSchema>;

/** What the corpus holds beyond, and without, the shipped files. */
export interface Catalogue {
  reports: CatalogueEntry[];
  withdrawn: WithdrawnReport[];
}

/** A catalogue of no changes: nothing added, nothing withdrawn. */
export const emptyCatalogue = (): Catalogue => ({ reports: [], withdrawn: [] });

/** A catalogue file as read: data/added/catalogue.json also names the index folder it was copied from. */
export interface CatalogueFile extends Catalogue {
  index?: string;
}

export const CATALOGUE_FILE_NAME = 'catalogue.json';
export const addedDir = (dataDir: string): string => path.join(dataDir, 'added');
const catalogueFile = (dataDir: string): string => path.join(addedDir(dataDir), CATALOGUE_FILE_NAME);
/** The text file of a report, named by its id and the hash of the file it came from. */
export const reportTextName = (entry: Pick<CatalogueEntry, 'id' | 'sha256'>): string => `${entry.id}-${entry.sha256.slice(0, 12)}.txt`;
/** Where an older version kept the text. */
const legacyTextName = (entry: Pick<CatalogueEntry, 'id'>): string => `${entry.id}.txt`;

/** A catalogue file, or undefined when there is none. */
export async function readCatalogueFile(file: string): Promise<CatalogueFile | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new AppError('invalid_input', `${file} is not valid JSON (${(cause as Error).message}).`, { cause });
  }
  const parsed = catalogueSchema.safeParse(json);
  if (!parsed.success) throw new AppError('invalid_input', `${file} is invalid: ${parsed.error.message}`);
  return parsed.data;
}

/** data/added/catalogue.json, with the index folder it was copied from. */
export const readCatalogueCopy = (dataDir: string): Promise<CatalogueFile | undefined> => readCatalogueFile(catalogueFile(dataDir));

/** The catalogue as data/added/catalogue.json has it (what `npm run ingest` reads). */
export async function readCatalogue(dataDir: string): Promise<Catalogue> {
  const copy = await readCatalogueCopy(dataDir);
  return copy ? { reports: copy.reports, withdrawn: copy.withdrawn } : emptyCatalogue();
}

export async function readReportText(dataDir: string, entry: Pick<CatalogueEntry, 'id' | 'sha256'>): Promise<string> {
  return readFile(path.join(addedDir(dataDir), reportTextName(entry)), 'utf8').catch(async (error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return readFile(path.join(addedDir(dataDir), legacyTextName(entry)), 'utf8');
  });
}

/** Writes a report's cleaned text under its own name; a leftover from an interrupted add is overwritten. */
export async function writeReportText(dataDir: string, entry: Pick<CatalogueEntry, 'id' | 'sha256'>, text: string): Promise<void> {
  await mkdir(addedDir(dataDir), { recursive: true });
  const file = path.join(addedDir(dataDir), reportTextName(entry));
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, file);
}

/**
 * Removes what no catalogue refers to from data/added: texts of removed or replaced reports, texts an
 * interrupted add wrote, temporary files. Only a writer holding the writer lock may call this.
 */
export async function removeUnreferencedTexts(dataDir: string, catalogues: readonly (readonly CatalogueEntry[])[]): Promise<string[]> {
  const keep = new Set([CATALOGUE_FILE_NAME, ...catalogues.flat().flatMap((entry) => [reportTextName(entry), legacyTextName(entry)])]);
  const entries = await readdir(addedDir(dataDir)).catch(() => [] as string[]);
  const removed = entries.filter((name) => !keep.has(name) && (name.endsWith('.txt') || name.endsWith('.tmp')));
  for (const name of removed) await rm(path.join(addedDir(dataDir), name), { force: true });
  return removed;
}

/** `withdrawn` is written only when there are some, so a catalogue without them reads (and hashes) as before. */
export function serializeCatalogue(catalogue: Catalogue, index?: string): string {
  const withdrawn = catalogue.withdrawn.length > 0 ? { withdrawn: catalogue.withdrawn } : {};
  return `${JSON.stringify({ reports: catalogue.reports, ...withdrawn, ...(index ? { index } : {}) }, null, 2)}\n`;
}

/** Writes a catalogue file in one rename: a reader sees the old one or the new one, never half. */
export async function writeCatalogueFile(file: string, catalogue: Catalogue, index?: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, serializeCatalogue(catalogue, index));
  await rename(temporary, file);
}

/** Writes data/added/catalogue.json as the copy of the catalogue of index folder `index`. */
export const writeCatalogueCopy = (dataDir: string, catalogue: Catalogue, index: string): Promise<void> =>
  writeCatalogueFile(catalogueFile(dataDir), catalogue, index);
