// The catalogue of reports users added: data/added/catalogue.json lists them (region, year, source
// file, hash) and data/added/<id>.txt holds each one's cleaned text. `npm run ingest` reads them with
// the seed files; adding or removing one rewrites the catalogue by an atomic rename.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
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

const catalogueSchema = z.object({ reports: z.array(entrySchema) });

export type CatalogueEntry = z.infer<typeof entrySchema>;

export const addedDir = (dataDir: string): string => path.join(dataDir, 'added');
const catalogueFile = (dataDir: string): string => path.join(addedDir(dataDir), 'catalogue.json');
export const reportTextFile = (dataDir: string, id: string): string => path.join(addedDir(dataDir), `${id}.txt`);

export async function readCatalogue(dataDir: string): Promise<CatalogueEntry[]> {
  let text: string;
  try {
    text = await readFile(catalogueFile(dataDir), 'utf8');
  } catch {
    return [];
  }
  const parsed = catalogueSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new AppError('invalid_input', `${catalogueFile(dataDir)} is invalid: ${parsed.error.message}`);
  return parsed.data.reports;
}

export async function readReportText(dataDir: string, id: string): Promise<string> {
  return readFile(reportTextFile(dataDir, id), 'utf8');
}

/** Writes a report's cleaned text; a leftover from an interrupted add is simply overwritten. */
export async function writeReportText(dataDir: string, id: string, text: string): Promise<void> {
  await mkdir(addedDir(dataDir), { recursive: true });
  const temporary = `${reportTextFile(dataDir, id)}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, reportTextFile(dataDir, id));
}

export async function removeReportText(dataDir: string, id: string): Promise<void> {
  await rm(reportTextFile(dataDir, id), { force: true });
}

export function serializeCatalogue(entries: readonly CatalogueEntry[]): string {
  return `${JSON.stringify({ reports: entries }, null, 2)}\n`;
}

/** Replaces the catalogue in one rename: a reader sees the old one or the new one, never half. */
export async function writeCatalogue(dataDir: string, entries: readonly CatalogueEntry[]): Promise<void> {
  await mkdir(addedDir(dataDir), { recursive: true });
  const temporary = `${catalogueFile(dataDir)}.${process.pid}.tmp`;
  await writeFile(temporary, serializeCatalogue(entries));
  await rename(temporary, catalogueFile(dataDir));
}
