// Before a .docx is read: what each entry of its zip archive really unpacks to, counted while inflating
// (stated sizes can lie) and stopped at the first limit, so a zip bomb costs at most the limit.
import JSZip from 'jszip';
import { DocumentError } from './document-error.ts';
import { formatMegabytes, overLimit, type DocumentLimits } from './document-limits.ts';

export async function inspectZipArchive(bytes: Uint8Array, fileName: string, limits: DocumentLimits): Promise<{ entries: number; unpackedBytes: number }> {
  let archive: JSZip;
  try {
    // Reads the central directory only; nothing is inflated yet.
    archive = await JSZip.loadAsync(bytes);
  } catch (cause) {
    throw new DocumentError('unreadable', `${fileName} is not a readable zip archive (${(cause as Error).message}). Is it a Word document saved as .docx?`, { cause });
  }
  let total = 0;
  let entries = 0;
  for (const entry of Object.values(archive.files)) {
    if (entry.dir) continue;
    entries++;
    let size = 0;
    await new Promise<void>((resolve, reject) => {
      const stream = entry.nodeStream('nodebuffer');
      const stop = (error: Error): void => {
        // Not reading further makes JSZip pause its inflater: nothing more is unpacked.
        stream.removeAllListeners('data');
        stream.pause();
        reject(error);
      };
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        total += chunk.length;
        if (size > limits.entryBytes) stop(overLimit('entryBytes', limits, `${fileName}: its entry ${entry.name} unpacks to over ${formatMegabytes(limits.entryBytes)}`));
        else if (total > limits.unpackedBytes) stop(overLimit('unpackedBytes', limits, `${fileName} unpacks to over ${formatMegabytes(limits.unpackedBytes)}`));
      });
      stream.on('error', (cause: Error) => reject(new DocumentError('unreadable', `${fileName}: its entry ${entry.name} cannot be unpacked (${cause.message}).`, { cause })));
      stream.on('end', () => resolve());
    });
  }
  return { entries, unpackedBytes: total };
}
