// The process that reads one document for a DocumentReader (document-reader.ts): it receives the bytes
// over IPC, answers with the document read or with the refusal, and exits. Whatever a reader throws
// becomes a refusal with a code here; a crash or a kill is told apart by the parent.
import { DocumentError } from './document-error.ts';
import { readDocument, type ReadDocumentInput } from './read-document.ts';
import type { ReaderReply } from './document-reader.ts';

function refusalOf(error: unknown, fileName: string): ReaderReply {
  if (error instanceof DocumentError) {
    return { ok: false, problem: error.problem, message: error.message, ...(error.limit ? { limit: error.limit } : {}) };
  }
  return { ok: false, problem: 'unreadable', message: `${fileName} cannot be read (${(error as Error)?.message ?? String(error)}).` };
}

// The parent gone (killed, or closed while this read): nothing is waiting for the answer.
process.on('disconnect', () => process.exit(1));
process.once('message', (input: ReadDocumentInput) => {
  readDocument(input).then(
    (document): ReaderReply => ({ ok: true, document }),
    (error: unknown) => refusalOf(error, input.fileName),
  ).then((reply) => process.send!(reply, undefined, undefined, () => process.exit(0)));
});
