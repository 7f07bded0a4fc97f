// Why a document a user brings cannot become a report: one reason code per case, each with a message
// that says what to do.
import { AppError, type ErrorCode } from '../errors.ts';

export type DocumentProblem =
  | 'too_large'
  | 'over_limit'
  | 'too_costly'
  | 'empty'
  | 'not_a_report'
  | 'wrong_encoding'
  | 'scanned_pdf'
  | 'unsupported_format'
  | 'unreadable'
  | 'no_region'
  | 'no_year'
  | 'bad_parent'
  | 'duplicate';

const CODE: Record<DocumentProblem, ErrorCode> = {
  too_large: 'payload_too_large',
  // An archive entry, the unpacked total, the pages or the characters over their limit.
  over_limit: 'payload_too_large',
  // Reading took longer or more memory than allowed.
  too_costly: 'unreadable_document',
  empty: 'unreadable_document',
  not_a_report: 'unreadable_document',
  wrong_encoding: 'unreadable_document',
  scanned_pdf: 'unreadable_document',
  unsupported_format: 'unsupported_format',
  unreadable: 'unreadable_document',
  no_region: 'invalid_input',
  no_year: 'invalid_input',
  bad_parent: 'invalid_input',
  duplicate: 'conflict',
};

/** The limit a document went over: its name, the setting that sets it, and the value in force. */
export interface ExceededLimit {
  name: string;
  setting: string;
  value: number;
}

export class DocumentError extends AppError {
  readonly problem: DocumentProblem;
  /** For a duplicate: the id of the report already present. */
  readonly existing?: string;
  /** For over_limit and too_costly: the limit. */
  readonly limit?: ExceededLimit;
  constructor(problem: DocumentProblem, message: string, options: { cause?: unknown; existing?: string; limit?: ExceededLimit } = {}) {
    super(CODE[problem], message, options.cause === undefined ? {} : { cause: options.cause });
    this.name = 'DocumentError';
    this.problem = problem;
    if (options.existing) this.existing = options.existing;
    if (options.limit) this.limit = options.limit;
  }
}
