// Text from a .docx (mammoth's raw text: one line per paragraph, tables and images dropped), after its
// archive is checked against the unpacking limits.
import { DocumentError } from './document-error.ts';
import { overLimit, type DocumentLimits } from './document-limits.ts';
import { inspectZipArchive } from './inspect-archive.ts';

export async function readDocxText(bytes: Uint8Array, fileName: string, limits: DocumentLimits): Promise<string> {
  await inspectZipArchive(bytes, fileName, limits);
  // Loaded here, not with the module: most documents are not .docx.
  const { default: mammoth } = await import('mammoth');
  let text: string;
  try {
    text = (await mammoth.extractRawText({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) })).value;
  } catch (cause) {
    throw new DocumentError('unreadable', `${fileName} cannot be read as .docx (${(cause as Error).message}). Is it a Word document saved as .docx?`, { cause });
  }
  if (text.length > limits.characters) throw overLimit('characters', limits, `${fileName} has ${text.length} characters`);
  return text;
}
