// What the conversation store keeps, as zod schemas: conversations with their exchanges (as the page saves
// them), share links, and feedback on one answer. Read at the HTTP edge and again when rows come back from
// the database, so a damaged row is refused rather than passed on.
import { z } from 'zod';

const LIMITS = { id: 64, title: 200, question: 4000, answer: 60_000, exchanges: 200, sources: 50, sourceText: 8000 } as const;

/** Ids the page makes (`c…`, `a…`); letters, digits, `_` and `-`. */
export const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'an id of 1–64 letters, digits, _ or -' });

const spanSchema = z.object({ start: z.number().int().min(0), end: z.number().int().min(0) });

export const sourceSchema = z
  .object({
    n: z.number().int().min(1).max(1000),
    id: z.string().max(200),
    region: z.string().max(100),
    title: z.string().max(300),
    section: z.string().max(1000),
    text: z.string().max(LIMITS.sourceText),
    score: z.number(),
    quotes: z.array(spanSchema).max(50).optional(),
  })
  .passthrough();

export const exchangeSchema = z.object({
  id: idSchema,
  question: z.string().max(LIMITS.question),
  askedAt: z.number().int().min(0),
  state: z.enum(['done', 'stopped', 'error']),
  answer: z.string().max(LIMITS.answer),
  mode: z.enum(['extractive', 'llm']).nullable(),
  regions: z.array(z.string().max(100)).max(60).nullable(),
  sources: z.array(sourceSchema).max(LIMITS.sources),
  citations: z.array(z.number().int()).max(200),
  grounded: z.boolean(),
  flagged: z.array(z.object({ sentence: z.string().max(4000), numbers: z.array(z.string().max(100)).max(100) })).max(100),
  notices: z.array(z.string().max(2000)).max(20),
  refusal: z.object({ reason: z.string().max(60), message: z.string().max(4000).optional() }).optional(),
  failure: z.string().max(2000).optional(),
  /** The region the question was pinned to in the picker, if any (several, comma-separated). */
  pinned: z.string().max(400).optional(),
});

export type Exchange = z.infer<typeof exchangeSchema>;

export const conversationSchema = z.object({
  id: idSchema,
  title: z.string().trim().max(LIMITS.title),
  renamed: z.boolean(),
  createdAt: z.number().int().min(0),
  updatedAt: z.number().int().min(0),
  exchanges: z.array(exchangeSchema).max(LIMITS.exchanges),
});

export type Conversation = z.infer<typeof conversationSchema>;

/** A conversation as a list shows it. `match` is where a search found the words (a question or an answer). */
export interface ConversationSummary {
  id: string;
  title: string;
  renamed: boolean;
  createdAt: number;
  updatedAt: number;
  exchanges: number;
  shared: boolean;
  match?: { exchangeId: string; field: 'title' | 'question' | 'answer'; text: string };
}

/** An active share link: the token in the link, and how many exchanges it shows (those there when it was made). */
export interface Share {
  token: string;
  exchanges: number;
  createdAt: number;
}

export const FEEDBACK_REASONS = ['wrong_figure', 'wrong_region', 'should_have_answered', 'other'] as const;
export type FeedbackReason = (typeof FEEDBACK_REASONS)[number];

const turnSchema = z.object({ role: z.enum(['user', 'assistant']), content: z.string().max(4000) });

/** Thumbs up or down on one answer, with the question, the answer and the sources it was given with. */
export const feedbackInputSchema = z.object({
  conversationId: idSchema.optional(),
  rating: z.enum(['up', 'down'], { message: 'rating must be "up" or "down"' }),
  reason: z.enum(FEEDBACK_REASONS, { message: `reason must be one of ${FEEDBACK_REASONS.join(', ')}` }).optional(),
  comment: z.string().trim().max(2000).optional(),
  question: z.string().trim().min(1).max(LIMITS.question),
  history: z.array(turnSchema).max(20).default([]),
  /** The region pinned in the picker when asked, if any. */
  pinned: z.string().max(400).optional(),
  answer: z.string().max(LIMITS.answer),
  grounded: z.boolean(),
  mode: z.enum(['extractive', 'llm']).nullable().default(null),
  regions: z.array(z.string().max(100)).max(60).nullable().default(null),
  citations: z.array(z.number().int()).max(200).default([]),
  sources: z.array(sourceSchema).max(LIMITS.sources).default([]),
  refusal: z.object({ reason: z.string().max(60), message: z.string().max(4000).optional() }).optional(),
});

export type FeedbackInput = z.infer<typeof feedbackInputSchema>;

export interface Feedback extends FeedbackInput {
  exchangeId: string;
  createdAt: number;
  updatedAt: number;
}
