// GET/POST/DELETE /api/reports: the reports users bring, and the shipped ones the admin withdraws
// (DELETE) and restores (POST /api/reports/:id/restore). Writing needs `Authorization: Bearer
// <ADMIN_TOKEN>` and is off (403, saying so) when no token is configured; one change at a time, the slot
// taken only once an upload has arrived whole (a stalled upload holds nothing and is cut at
// REQUEST_TIMEOUT_MS); the upload is a multipart form (field `file`, optional `region`, `year`, `parent`,
// `replace`, `dryRun`).
import express, { type NextFunction, type Request, type Response } from 'express';
import multer from 'multer';
import { z } from 'zod';
import { DocumentError } from '../corpus/document-error.ts';
import { formatBytes } from '../corpus/read-document.ts';
import { AppError, toClientError } from '../errors.ts';
import type { ReportsService } from '../reports-service.ts';
import { digestSecret, secretMatches } from './api-keys.ts';
import { jsonBody } from './json-body.ts';

export interface ReportRoutesOptions {
  adminToken?: string;
  maxUploadBytes: number;
  /** Whether a request may read the list (the API keys of /api, when configured); the admin token always may. */
  allowRead?: (request: Request) => boolean;
}

const uploadFieldsSchema = z.object({
  region: z.string().trim().min(1).max(40).optional(),
  parent: z.string().trim().min(1).max(40).optional(),
  year: z
    .string()
    .regex(/^\d{4}$/, { message: 'year must be four digits, e.g. 2025' })
    .transform(Number)
    .optional(),
  replace: z.enum(['true', 'false']).transform((value) => value === 'true').optional(),
  dryRun: z.enum(['true', 'false']).transform((value) => value === 'true').optional(),
});

const reportIdSchema = z.object({ id: z.string().regex(/^[a-z0-9-]{2,64}$/, { message: 'a report id such as region-1a2b3c4d-2025' }) });

const restoreSchema = z.object({ replace: z.boolean().optional() }).strict();

function parseFields<S extends z.ZodTypeAny>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data as z.output<S>;
  const issue = parsed.error.issues[0];
  throw new AppError('invalid_input', `${issue?.path.join('.') ? `${issue.path.join('.')}: ` : ''}${issue?.message ?? 'invalid input'}`);
}

/** Errors as everywhere else, plus `existing` for a duplicate (so a client can offer to replace it). */
function sendReportError(response: Response, error: unknown): void {
  const client = toClientError(error);
  if (client.status === 500) console.error(error);
  const extra = error instanceof DocumentError ? { problem: error.problem, ...(error.existing ? { existing: error.existing } : {}), ...(error.limit ? { limit: error.limit } : {}) } : {};
  if (client.code === 'unauthorized') response.setHeader('WWW-Authenticate', 'Bearer realm="reports"');
  response.status(client.status).json({ error: { code: client.code, message: client.message, ...extra } });
}

const handle =
  (handler: (request: Request, response: Response) => Promise<void> | void) =>
  (request: Request, response: Response): void => {
    Promise.resolve()
      .then(() => handler(request, response))
      .catch((error: unknown) => sendReportError(response, error));
  };

/** Whether the Authorization header carries the admin token: digests compared, so no length is told. */
export function tokenMatches(header: string | undefined, tokenDigest: Buffer): boolean {
  return secretMatches(/^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1], tokenDigest);
}

export function createReportsRouter(service: ReportsService, options: ReportRoutesOptions): express.Router {
  const router = express.Router();
  const writable = Boolean(options.adminToken);
  const tokenDigest = options.adminToken === undefined ? undefined : digestSecret(options.adminToken);

  const authorize = (request: Request, _response: Response, next: NextFunction): void => {
    if (!options.adminToken) {
      return next(new AppError('forbidden', 'Adding and removing reports over HTTP is off on this server: it has no ADMIN_TOKEN. Set ADMIN_TOKEN and restart, or use `npm run reports` on the server.'));
    }
    if (!tokenDigest || !tokenMatches(request.headers.authorization, tokenDigest)) {
      return next(new AppError('unauthorized', 'Adding and removing reports needs `Authorization: Bearer <ADMIN_TOKEN>`.'));
    }
    next();
  };

  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: options.maxUploadBytes, files: 1, fields: 8, fieldSize: 1024 } }).single('file');

  router.get(
    '/',
    handle(async (request, response) => {
      const admin = tokenDigest !== undefined && tokenMatches(request.headers.authorization, tokenDigest);
      if (options.allowRead && !options.allowRead(request) && !admin) throw new AppError('unauthorized', 'This server requires an API key (Authorization: Bearer <key>) or the admin token.');
      const { reports, withdrawn } = await service.list();
      response.json({ reports, withdrawn, writable, maxUploadBytes: options.maxUploadBytes, update: service.status().busy, last: service.status().last });
    }),
  );

  router.post('/', authorize, (request: Request, response: Response) => {
    upload(request, response, (error: unknown) => {
      if (error) {
        const code = (error as { code?: string }).code;
        if (code === 'LIMIT_FILE_SIZE') return sendReportError(response, new DocumentError('too_large', `The file is over the limit of ${formatBytes(options.maxUploadBytes)}.`));
        return sendReportError(response, new AppError('invalid_input', `The upload could not be read (${(error as Error).message}); send multipart/form-data with the report in the field "file".`));
      }
      const file = request.file;
      Promise.resolve()
        .then(async () => {
          if (!file) throw new AppError('invalid_input', 'No file: send multipart/form-data with the report in the field "file".');
          const fields = parseFields(uploadFieldsSchema, request.body ?? {});
          // multer reads the name as latin1; browsers send UTF-8.
          const fileName = Buffer.from(file.originalname, 'latin1').toString('utf8');
          // The upload is whole: only now is the one slot for a change taken (add releases it).
          const release = service.reserve('add', fileName);
          const result = await service.add(
            {
              bytes: new Uint8Array(file.buffer.buffer, file.buffer.byteOffset, file.buffer.byteLength),
              fileName,
              ...(fields.region ? { region: fields.region } : {}),
              ...(fields.year ? { year: fields.year } : {}),
              ...(fields.parent ? { parent: fields.parent } : {}),
              ...(fields.replace ? { replace: true } : {}),
              ...(fields.dryRun ? { dryRun: true } : {}),
            },
            release,
          );
          response.status(result.added ? 201 : 200).json(result);
        })
        .catch((failure: unknown) => sendReportError(response, failure));
    });
  });

  // Whether a token is the admin token, checked when the page takes it (before any file is chosen).
  router.get('/admin', authorize, (_request: Request, response: Response) => {
    response.json({ admin: true });
  });

  router.delete(
    '/:id',
    authorize,
    handle(async (request, response) => {
      const { id } = parseFields(reportIdSchema, request.params);
      const release = service.reserve('remove', id);
      response.json(await service.remove(id, release));
    }),
  );

  // A withdrawn shipped report back from data/; `{ "replace": true }` when an added report took its place.
  router.post(
    '/:id/restore',
    authorize,
    jsonBody(),
    handle(async (request, response) => {
      const { id } = parseFields(reportIdSchema, request.params);
      const { replace } = parseFields(restoreSchema, request.body ?? {});
      const release = service.reserve('restore', id);
      response.json(await service.restore(id, replace ?? false, release));
    }),
  );

  router.use((error: unknown, _request: Request, response: Response, _next: NextFunction) => sendReportError(response, error));
  return router;
}
