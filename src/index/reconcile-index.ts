// The start-up check, run by every writer once it holds the writer lock (and by a server starting): it
// finishes or clears what a writer that died left half done, without rebuilding anything. The index
// folder CURRENT names is the truth; data/added/catalogue.json is its copy (the added reports and the
// shipped ones withdrawn). A copy written for an older
// folder (the writer died between switching CURRENT and writing it) is rewritten from the index; a copy
// naming this folder but differing from it was edited by hand, which is a change of the corpus (the
// freshness check then rebuilds). Leftovers — staging folders, replaced index folders, CURRENT pointers
// being written, texts and temporary files nothing refers to — are removed.
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { emptyCatalogue, readCatalogueCopy, readReportText, removeUnreferencedTexts, serializeCatalogue, writeCatalogueCopy, writeReportText, type CatalogueEntry } from '../corpus/catalogue.ts';
import { currentIndexFolder, readIndexCatalogue, removeStaleFolders } from './index-store.ts';
import { LOCK_FILE_NAME } from './file-writer-lock.ts';

export interface ReconcileReport {
  /** What was repaired, in words (empty when index and catalogue agreed). */
  repaired: string[];
  /** Files and folders removed. */
  removed: string[];
  /** A disagreement left for the freshness check (a catalogue edited by hand). */
  disagreement?: string;
}

const reportTextsSchema = z.array(z.object({ id: z.string(), text: z.string() }));

/** Only a writer holding the writer lock may call this. */
export async function reconcileIndex(settings: { dataDir: string; indexDir: string }): Promise<ReconcileReport> {
  const report: ReconcileReport = { repaired: [], removed: [] };
  let folder: string;
  try {
    folder = await currentIndexFolder(settings.indexDir);
  } catch {
    return report; // no index yet, or CURRENT unreadable: there is nothing to agree with (a build follows)
  }
  const folderName = path.basename(folder);
  const indexed = await readIndexCatalogue(folder).catch(() => undefined);
  const copy = await readCatalogueCopy(settings.dataDir);
  const copied = copy ?? emptyCatalogue();
  const catalogues: CatalogueEntry[][] = [copied.reports];
  if (indexed) {
    catalogues.push(indexed.reports);
    if (serializeCatalogue(indexed) !== serializeCatalogue(copied)) {
      if (copy && copy.index === folderName) {
        report.disagreement = `data/added/catalogue.json was changed since ${folderName} was written (${describeCatalogue(copied)} listed, the index has ${describeCatalogue(indexed)})`;
      } else {
        await writeCatalogueCopy(settings.dataDir, indexed, folderName);
        report.repaired.push(`data/added/catalogue.json rewritten from ${folderName} (${describeCatalogue(indexed)}; it was ${copy?.index ? `the copy of ${copy.index}` : 'older'})`);
        catalogues.splice(0, 1);
      }
    } else if (copy && copy.index !== folderName) {
      await writeCatalogueCopy(settings.dataDir, indexed, folderName); // the same list: only the folder it names
    }
    // A text the index holds but data/added lacks is written back from the index's own copy of the report.
    const missing: CatalogueEntry[] = [];
    for (const entry of indexed.reports) if (!(await readReportText(settings.dataDir, entry).then(() => true, () => false))) missing.push(entry);
    if (missing.length > 0) {
      const texts = new Map(reportTextsSchema.parse(JSON.parse(await readFile(path.join(folder, 'reports.json'), 'utf8'))).map((stored) => [stored.id, stored.text]));
      for (const entry of missing) {
        const text = texts.get(entry.id);
        if (text === undefined) continue;
        await writeReportText(settings.dataDir, entry, text);
        report.repaired.push(`the text of ${entry.id} written back from ${folderName}`);
      }
    }
  }
  report.removed.push(...(await removeStaleFolders(settings.indexDir, [folderName])));
  report.removed.push(...(await removeLockLeftovers(settings.indexDir)));
  report.removed.push(...(await removeUnreferencedTexts(settings.dataDir, catalogues)).map((name) => `added/${name}`));
  return report;
}

const describeCatalogue = (catalogue: { reports: readonly unknown[]; withdrawn: readonly unknown[] }): string =>
  [
    `${catalogue.reports.length} added report${catalogue.reports.length === 1 ? '' : 's'}`,
    ...(catalogue.withdrawn.length > 0 ? [`${catalogue.withdrawn.length} shipped report${catalogue.withdrawn.length === 1 ? '' : 's'} withdrawn`] : []),
  ].join(', ');

/** Drafts and renamed-away copies of the lock file that writers which died left. */
async function removeLockLeftovers(indexDir: string): Promise<string[]> {
  const removed = (await readdir(indexDir)).filter((entry) => entry.startsWith(`${LOCK_FILE_NAME}.`));
  for (const entry of removed) await rm(path.join(indexDir, entry), { force: true });
  return removed;
}

/** One line for a log: what the check repaired and removed, or undefined when there was nothing to do. */
export function describeReconcile(report: ReconcileReport): string | undefined {
  const parts = [
    ...report.repaired,
    ...(report.removed.length > 0 ? [`removed leftovers of interrupted writers: ${report.removed.join(', ')}`] : []),
    ...(report.disagreement ? [`${report.disagreement}; the index is rebuilt from data/`] : []),
  ];
  return parts.length > 0 ? `Start-up check: ${parts.join('; ')}.` : undefined;
}
