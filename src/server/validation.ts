// Input validation at the edge (HTTP bodies, query strings, socket payloads), with messages a client can act on.
import { z } from 'zod';
import { AppError } from '../errors.ts';

export const MAX_QUESTION_CHARS = 2000;
export const MAX_HISTORY_TURNS = 20;
export const MAX_HISTORY_CHARS = 20000;

const turnSchema = z.object(
  {
    role: z.enum(['user', 'assistant'], { message: 'history[].role must be "user" or "assistant"' }),
    content: z.string({ message: 'history[].content must be a string' }).max(4000, 'history[].content must be at most 4,000 characters'),
  },
  { message: 'each history turn must be an object { role, content }' },
);

export const askSchema = z.object(
  {
    question: z
      .string({ message: 'question must be a string' })
      .trim()
      .min(1, 'question must not be empty')
      .max(MAX_QUESTION_CHARS, `question must be at most ${MAX_QUESTION_CHARS.toLocaleString('en')} characters`),
    history: z
      .array(turnSchema, { message: 'history must be an array of { role, content }' })
      .max(MAX_HISTORY_TURNS, `history may hold at most ${MAX_HISTORY_TURNS} turns`)
      .refine((turns) => turns.reduce((sum, turn) => sum + turn.content.length, 0) <= MAX_HISTORY_CHARS, `history may hold at most ${MAX_HISTORY_CHARS.toLocaleString('en')} characters in all`)
      .optional(),
    region: z.string({ message: 'region must be a string' }).trim().min(1, 'region must not be empty').max(64, 'region is too long').optional(),
    k: z.number({ message: 'k must be a number' }).int('k must be a whole number').min(1, 'k must be at least 1').max(20, 'k must be at most 20').optional(),
  },
  { message: 'the payload must be a JSON object { question, history?, region?, k? }' },
);

export type AskInput = z.infer<typeof askSchema>;

export const searchSchema = z.object(
  {
  q: z.string({ message: 'q (the search text) is required' }).trim().min(1, 'q must not be empty').max(MAX_QUESTION_CHARS, `q must be at most ${MAX_QUESTION_CHARS} characters`),
  region: z.string().trim().min(1).max(64).optional(),
  k: z.coerce.number({ message: 'k must be a number' }).int('k must be a whole number').min(1, 'k must be at least 1').max(50, 'k must be at most 50').optional(),
  },
  { message: 'the search must be { q, region?, k? } (a query string, or a JSON body for POST /api/search)' },
);

export type SearchInput = z.infer<typeof searchSchema>;

/** `?year=2025`: a report year, four digits (the routes check that the corpus holds it). */
export const yearParameter = z
  .string({ message: 'year must be four digits (a report year)' })
  .regex(/^\d{4}$/, 'year must be four digits (a report year)')
  .transform(Number)
  .optional();

export const summaryQuerySchema = z.object({ year: yearParameter });

export const cancelSchema = z.object({ id: z.string({ message: 'id must be a string' }).min(1).max(100) }, { message: 'the payload must be an object { id }' });

/** Parses input with a schema, or throws an AppError('invalid_input') naming the first problem. */
export function parseInput<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 && !issue.message.includes(String(issue.path[0])) ? `${issue.path.join('.')}: ` : '';
  throw new AppError('invalid_input', `${where}${issue?.message ?? 'invalid input'}`);
}
