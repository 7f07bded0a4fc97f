// Text from a .docx (mammoth's raw text: one line per paragraph, tables and images dropped).
import mammoth from 'mammoth';
import { DocumentError } from './document-error.ts';

export async function readDocxText(bytes: Uint8Array): Promise<string> {
  try {
    const result = await mammoth.extractRawText({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
    return result.value;
  } catch (cause) {
    throw new DocumentError('unreadable', `The .docx cannot be read (${(cause as Error).message}). Is it a Word document saved as .docx?`, { cause });
  }
}
