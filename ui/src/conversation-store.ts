// Conversations kept on the server (/api/conversations): this browser's, or the API key's when the server
// has keys. The page keeps the ones it has open in memory and saves each change in the background (the
// latest state of a conversation wins; a failed save is retried and said once). Conversations an earlier
// version of the page kept in localStorage are moved to the server on first load, so none is lost.
import { z } from 'zod';
import { ApiError, sendJson } from './api.ts';
import type { SavedConversation, SavedExchange } from './answer-types.ts';
import type { ConversationSummary, FeedbackReason, Share as ShareInfo } from '../../src/conversations/records.ts';

// The server's shapes, one definition for both sides.
export type { ConversationSummary, FeedbackReason, ShareInfo };

const legacyKey = 'gov-report-assistant.conversations.v1';

export type Rating = 'up' | 'down';

export interface FeedbackState {
  exchangeId: string;
  rating: Rating;
  reason?: FeedbackReason;
  comment?: string;
}

export interface LoadedConversation {
  conversation: SavedConversation;
  share?: ShareInfo;
  feedback: FeedbackState[];
}

/** A shared conversation as anyone with the link reads it. */
export interface SharedView {
  conversation: Omit<SavedConversation, 'id' | 'renamed'>;
  share: { exchanges: number; createdAt: number };
}

export interface ConversationStore {
  /** The conversations kept, the most recently changed first; with `query`, those whose words match, with where. */
  list(query?: string): Promise<ConversationSummary[]>;
  /** The conversation as this page last saw it (no request). */
  cached(id: string): SavedConversation | undefined;
  load(id: string): Promise<LoadedConversation | undefined>;
  /** Keeps it here at once and saves it to the server in the background. */
  save(conversation: SavedConversation): void;
  /** Resolves when every save made so far has reached the server (rejects if one failed). */
  flush(): Promise<void>;
  rename(id: string, title: string): Promise<void>;
  /** Removes it; resolves with what was removed (for undo), or undefined when it was not kept. */
  remove(id: string): Promise<SavedConversation | undefined>;
  share(id: string): Promise<ShareInfo>;
  unshare(id: string): Promise<void>;
  onChange(listener: () => void): void;
  /** Called when a save fails (once per failure run, not for every retry). */
  onSaveError(listener: (error: ApiError) => void): void;
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

export async function fetchShared(token: string): Promise<SharedView> {
  return sendJson<SharedView>('GET', `/api/shared/${encodeURIComponent(token)}`);
}

export async function sendFeedback(exchangeId: string, body: Record<string, unknown> | null): Promise<void> {
  if (body === null) await sendJson('DELETE', `/api/feedback/${encodeURIComponent(exchangeId)}`);
  else await sendJson('PUT', `/api/feedback/${encodeURIComponent(exchangeId)}`, body);
}

export function createConversationStore(): ConversationStore {
  const cache = new Map<string, SavedConversation>();
  const listeners = new Set<() => void>();
  const errorListeners = new Set<(error: ApiError) => void>();
  /** The latest state waiting to be sent, per conversation, and the save in flight. */
  const pending = new Map<string, SavedConversation>();
  let running: Promise<void> = Promise.resolve();
  let failing = false;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const notify = (): void => {
    for (const listener of listeners) listener();
  };

  function drain(): Promise<void> {
    running = running.then(async () => {
      for (const [id, conversation] of [...pending]) {
        try {
          await sendJson('PUT', `/api/conversations/${encodeURIComponent(id)}`, conversation);
          if (pending.get(id) === conversation) pending.delete(id);
          failing = false;
        } catch (error) {
          const apiError = error instanceof ApiError ? error : new ApiError('unreachable', String(error), 0);
          if (!failing) for (const listener of errorListeners) listener(apiError);
          failing = true;
          // Try again shortly (the server may be restarting); invalid input will not get better.
          if (apiError.status !== 400 && apiError.status !== 413) {
            clearTimeout(retry);
            retry = setTimeout(() => void drain(), 3000);
          } else pending.delete(id);
          throw apiError;
        }
      }
    });
    const current = running;
    running = running.catch(() => undefined);
    return current;
  }

  async function migrateLegacy(): Promise<void> {
    let raw: string | null = null;
    try {
      raw = localStorage.getItem(legacyKey);
    } catch {
      return;
    }
    if (!raw) return;
    const parsed = z.object({ conversations: z.array(z.unknown()) }).safeParse(JSON.parse(raw));
    if (!parsed.success) return;
    for (const entry of parsed.data.conversations) {
      const conversation = entry as SavedConversation;
      if (typeof conversation?.id === 'string' && Array.isArray(conversation.exchanges)) pending.set(conversation.id, conversation);
    }
    try {
      await drain();
      localStorage.removeItem(legacyKey);
      notify();
    } catch {
      // Kept in localStorage until a later load moves them.
    }
  }
  void migrateLegacy();

  return {
    async list(query) {
      const parameters = query?.trim() ? `?q=${encodeURIComponent(query.trim())}` : '';
      await running;
      return (await sendJson<{ conversations: ConversationSummary[] }>('GET', `/api/conversations${parameters}`)).conversations;
    },
    cached: (id) => cache.get(id),
    async load(id) {
      // A save still on its way would make the server's copy older than this page's.
      await running;
      try {
        const loaded = await sendJson<LoadedConversation>('GET', `/api/conversations/${encodeURIComponent(id)}`);
        cache.set(id, loaded.conversation);
        return loaded;
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return undefined;
        throw error;
      }
    },
    save(conversation) {
      cache.set(conversation.id, conversation);
      pending.set(conversation.id, conversation);
      void drain().catch(() => undefined);
      notify();
    },
    flush: () => drain(),
    async rename(id, title) {
      const trimmed = title.replace(/\s+/g, ' ').trim().slice(0, 80);
      if (!trimmed) return;
      await running;
      await sendJson('PATCH', `/api/conversations/${encodeURIComponent(id)}`, { title: trimmed });
      const kept = cache.get(id);
      if (kept) cache.set(id, { ...kept, title: trimmed, renamed: true });
      notify();
    },
    async remove(id) {
      const removed = cache.get(id) ?? (await this.load(id))?.conversation;
      pending.delete(id);
      await running;
      try {
        await sendJson('DELETE', `/api/conversations/${encodeURIComponent(id)}`);
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 404)) throw error;
      }
      cache.delete(id);
      notify();
      return removed;
    },
    async share(id) {
      await drain();
      const share = await sendJson<ShareInfo>('POST', `/api/conversations/${encodeURIComponent(id)}/share`);
      notify();
      return share;
    },
    async unshare(id) {
      await sendJson('DELETE', `/api/conversations/${encodeURIComponent(id)}/share`);
      notify();
    },
    onChange: (listener) => void listeners.add(listener),
    onSaveError: (listener) => void errorListeners.add(listener),
  };
}

export type { SavedConversation, SavedExchange };
