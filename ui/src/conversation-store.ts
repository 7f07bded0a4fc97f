// Conversations kept in the browser (localStorage): list, save, rename, delete; what is read back is validated.
import { z } from 'zod';
import type { SavedConversation, SavedExchange } from './answer-types.ts';

const storageKey = 'gov-report-assistant.conversations.v1';
/** Oldest conversations are dropped past this many, and again while the browser refuses the space. */
const maxConversations = 60;

const spanSchema = z.object({ start: z.number(), end: z.number() });
const sourceSchema = z
  .object({
    n: z.number(),
    id: z.string(),
    region: z.string(),
    title: z.string(),
    section: z.string(),
    text: z.string(),
    score: z.number(),
    quotes: z.array(spanSchema).optional(),
  })
  .passthrough();
const exchangeSchema = z.object({
  id: z.string().min(1),
  question: z.string(),
  askedAt: z.number(),
  state: z.enum(['done', 'stopped', 'error']),
  answer: z.string(),
  mode: z.enum(['extractive', 'llm']).nullable(),
  regions: z.array(z.string()).nullable(),
  sources: z.array(sourceSchema),
  citations: z.array(z.number()),
  grounded: z.boolean(),
  flagged: z.array(z.object({ sentence: z.string(), numbers: z.array(z.string()) })),
  notices: z.array(z.string()),
  refusal: z.object({ reason: z.string(), message: z.string().optional() }).optional(),
  failure: z.string().optional(),
});
const conversationSchema = z.object({
  id: z.string().min(1),
  title: z.string(),
  renamed: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
  exchanges: z.array(exchangeSchema),
});
const storedSchema = z.object({ conversations: z.array(z.unknown()) });

export interface ConversationStore {
  /** Every kept conversation, the most recently changed first. */
  list(): SavedConversation[];
  get(id: string): SavedConversation | undefined;
  save(conversation: SavedConversation): void;
  rename(id: string, title: string): void;
  remove(id: string): SavedConversation | undefined;
  onChange(listener: () => void): void;
}

export function newId(prefix: string): string {
  const random = Math.random().toString(36).slice(2, 8);
  return `${prefix}${Date.now().toString(36)}${random}`;
}

/** The title a conversation gets from its first question, short enough for a list. */
export function titleFromQuestion(question: string): string {
  const line = question.replace(/\s+/g, ' ').trim();
  return line.length > 40 ? `${line.slice(0, 40)}…` : line;
}

export function createConversationStore(storage: Storage | null = safeLocalStorage()): ConversationStore {
  let conversations = read(storage);
  const listeners = new Set<() => void>();

  /** Read, change, write: another tab may have saved since, and its work must not be overwritten. */
  function mutate(change: (current: SavedConversation[]) => SavedConversation[]): void {
    if (storage) conversations = read(storage);
    conversations = change(conversations).sort((left, right) => right.updatedAt - left.updatedAt).slice(0, maxConversations);
    if (storage) {
      for (;;) {
        try {
          storage.setItem(storageKey, JSON.stringify({ conversations }));
          break;
        } catch {
          // Quota exceeded: give up the oldest conversation rather than the newest answer.
          if (conversations.length <= 1) break;
          conversations = conversations.slice(0, -1);
        }
      }
    }
    notify();
  }

  function notify(): void {
    for (const listener of listeners) listener();
  }

  if (typeof window !== 'undefined' && storage) {
    window.addEventListener('storage', (event) => {
      if (event.key !== storageKey) return;
      conversations = read(storage);
      notify();
    });
  }

  return {
    list: () => [...conversations],
    get: (id) => conversations.find((conversation) => conversation.id === id),
    save(conversation) {
      mutate((current) => [conversation, ...current.filter((candidate) => candidate.id !== conversation.id)]);
    },
    rename(id, title) {
      const trimmed = title.replace(/\s+/g, ' ').trim().slice(0, 80);
      if (!trimmed) return;
      mutate((current) => current.map((candidate) => (candidate.id === id ? { ...candidate, title: trimmed, renamed: true } : candidate)));
    },
    remove(id) {
      const removed = conversations.find((candidate) => candidate.id === id);
      mutate((current) => current.filter((candidate) => candidate.id !== id));
      return removed;
    },
    onChange: (listener) => void listeners.add(listener),
  };
}

function read(storage: Storage | null): SavedConversation[] {
  if (!storage) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(storage.getItem(storageKey) ?? '{"conversations":[]}');
  } catch {
    return [];
  }
  const stored = storedSchema.safeParse(raw);
  if (!stored.success) return [];
  // One damaged conversation is dropped; the others are kept.
  return stored.data.conversations.flatMap((entry) => {
    const parsed = conversationSchema.safeParse(entry);
    return parsed.success ? [parsed.data as SavedConversation] : [];
  });
}

function safeLocalStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export type { SavedConversation, SavedExchange };
