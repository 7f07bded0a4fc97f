// The conversation: sends questions over the socket, routes answer events to their views, keeps the history,
// and keeps every finished exchange on the server so a reload, a link or the history list brings it back;
// shares it read-only, takes feedback, asks again (regenerate) and resends an edited question.
import type { Turn } from '../../src/types.ts';
import type { QuotedSource, SavedConversation, SavedExchange } from './answer-types.ts';
import { AnswerView, type AnswerActions } from './answer-view.ts';
import type { Composer } from './composer.ts';
import { ApiError } from './api.ts';
import { fetchShared, newId, sendFeedback, titleFromQuestion, type ConversationStore, type FeedbackState } from './conversation-store.ts';
import { clear, h } from './dom.ts';
import { download, fileName, formatConversationMarkdown, formatDate, formatExchangeMarkdown } from './export-markdown.ts';
import { describeError, t } from './i18n.ts';
import { routeHash, type AnswerLink } from './router.ts';
import { askQuestion, cancelAnswer, type AssistantSocket } from './socket.ts';

/** How many earlier turns travel with a follow-up (user and assistant turns both count). */
const historyTurns = 8;

export interface Chat {
  ask(question: string, region?: string, extraHistory?: Turn[]): boolean;
  /** Show a shared conversation read-only (from `#/s/<token>`). */
  openShared(token: string, exchangeId?: string): Promise<void>;
  /** Whether a read-only shared conversation is on screen. */
  readonly readOnly: boolean;
  stop(): void;
  /** Start an empty conversation; returns the one left (kept in the store), if it had any exchange. */
  startNew(): SavedConversation | null;
  /** Show a kept conversation; false when the store does not have it. */
  open(conversationId: string, exchangeId?: string): Promise<boolean>;
  /** Open what a link points at, or ask its question again when this browser does not keep it. */
  openLink(link: AnswerLink): Promise<void>;
  /** Share the conversation on screen; resolves with the link. */
  shareConversation(): Promise<string>;
  unshareConversation(): Promise<void>;
  /** The conversation on screen, once it has an exchange. */
  current(): SavedConversation | null;
  exportConversation(format: 'markdown' | 'docx'): Promise<void>;
  refresh(): void;
}

export interface ChatDependencies {
  socket: AssistantSocket;
  log: HTMLElement;
  store: ConversationStore;
  composer: () => Composer;
  region: () => string;
  openSource: (source: QuotedSource) => void;
  /** The first screen: coverage and example questions; `ask` sends one of them. */
  renderWelcome: (ask: (question: string) => void) => HTMLElement;
  /** Called when the conversation on screen changes (a new id, a new exchange, a rename). */
  onConversationChange: (conversation: SavedConversation | null) => void;
  notify: (message: string) => void;
  /** A notice with an undo button. */
  undoable: (message: string, undo: () => void) => void;
}

export function createChat(dependencies: ChatDependencies): Chat {
  const { socket, log, store, composer, region, openSource } = dependencies;
  let conversationId = newId('c');
  let createdAt = Date.now();
  let exchanges: AnswerView[] = [];
  const byId = new Map<string, AnswerView>();
  let active: { view: AnswerView; id: string | null } | null = null;

  let readOnly = false;

  const actions: AnswerActions = {
    openSource,
    exportAnswer: (view, format) => exportExchanges(view.question, [view], format, false),
    edit: {
      share: async (view) => {
        const share = await store.share(conversationId);
        return shareLink(share.token, view.id);
      },
      feedback: (view, state) => giveFeedback(view, state),
      canRegenerate: (view) => !active && exchanges.at(-1) === view,
      regenerate: (view) => void replaceFrom(view, view.question, false),
      resend: (view, question) => void replaceFrom(view, question, true),
    },
  };
  const readOnlyActions: AnswerActions = { openSource, exportAnswer: actions.exportAnswer };

  /** The address of a shared conversation, at one answer when given. */
  function shareLink(token: string, exchangeId?: string): string {
    return new URL(routeHash({ view: 'shared', token, ...(exchangeId ? { exchange: exchangeId } : {}) }), location.href).href;
  }

  /** The turns before `view`, as they were sent with its question. */
  function historyBefore(view: AnswerView): Turn[] {
    const turns: Turn[] = [];
    for (const exchange of exchanges.slice(0, exchanges.indexOf(view))) {
      if (exchange.state !== 'done' || !exchange.text) continue;
      turns.push({ role: 'user', content: exchange.question }, { role: 'assistant', content: exchange.text });
    }
    return turns.slice(-historyTurns);
  }

  async function giveFeedback(view: AnswerView, state: FeedbackState | null): Promise<void> {
    try {
      if (!state) return await sendFeedback(view.id, null);
      const given = view.given;
      await sendFeedback(view.id, {
        conversationId,
        rating: state.rating,
        ...(state.reason ? { reason: state.reason } : {}),
        ...(state.comment ? { comment: state.comment } : {}),
        question: view.question,
        history: historyBefore(view),
        ...(view.pinned ? { pinned: view.pinned } : {}),
        answer: view.text,
        grounded: given.grounded,
        mode: given.mode,
        regions: given.regions,
        citations: given.citations,
        sources: given.sources,
        ...(given.refusal ? { refusal: given.refusal } : {}),
      });
      dependencies.notify(state.rating === 'up' ? t('feedbackSentUp') : t('feedbackSentDown'));
    } catch (error) {
      dependencies.notify(t('feedbackFailed', { message: error instanceof ApiError ? describeError(error.code, error.message) : String(error) }));
      throw error;
    }
  }

  /**
   * Regenerate (the same question) or resend an edited one in place of `view`: the exchanges from it on go,
   * and the question is asked with the history before it. An edit that drops later answers can be undone.
   */
  function replaceFrom(view: AnswerView, question: string, edited: boolean): void {
    if (active) return;
    const index = exchanges.indexOf(view);
    if (index < 0) return;
    const before = snapshotConversation();
    const dropped = exchanges.slice(index);
    for (const exchange of dropped) {
      exchange.element.remove();
      byId.forEach((candidate, key) => candidate === exchange && byId.delete(key));
    }
    exchanges = exchanges.slice(0, index);
    const pinned = view.pinned;
    if (!ask(question, pinned)) {
      // Not connected: put back what was there.
      exchanges = [...exchanges, ...dropped];
      for (const exchange of dropped) log.appendChild(exchange.element);
      return;
    }
    if (edited && dropped.length > 1 && before) {
      dependencies.undoable(t('editDropped', { count: dropped.length - 1 }), () => {
        stop();
        store.save(before);
        showConversation(before);
      });
    }
  }

  function showWelcome(): void {
    clear(log);
    log.appendChild(dependencies.renderWelcome((question) => void ask(question)));
  }

  function snapshotConversation(): SavedConversation | null {
    if (readOnly) return null;
    const saved = exchanges.map((view) => view.snapshot()).filter((entry): entry is SavedExchange => entry !== null);
    if (saved.length === 0) return null;
    const kept = store.cached(conversationId);
    const first = saved[0]!;
    return {
      id: conversationId,
      title: kept?.renamed ? kept.title : titleFromQuestion(first.question),
      renamed: kept?.renamed ?? false,
      createdAt,
      updatedAt: Date.now(),
      exchanges: saved,
    };
  }

  function persist(): void {
    const conversation = snapshotConversation();
    if (conversation) store.save(conversation);
    dependencies.onConversationChange(conversation ?? store.cached(conversationId) ?? null);
  }

  function history(): Turn[] {
    const turns: Turn[] = [];
    for (const exchange of exchanges) {
      if (exchange.state !== 'done' || !exchange.text) continue;
      turns.push({ role: 'user', content: exchange.question }, { role: 'assistant', content: exchange.text });
    }
    return turns.slice(-historyTurns);
  }

  function isNearBottom(): boolean {
    return log.scrollHeight - log.scrollTop - log.clientHeight < 120;
  }

  function followBottom(wasNear: boolean): void {
    if (wasNear) log.scrollTop = log.scrollHeight;
  }

  function finish(view: AnswerView): void {
    if (active?.view === view) {
      active = null;
      composer().setBusy(false);
      // Its actions (regenerate, edit) depend on nothing being in flight.
      view.refresh();
    }
    persist();
  }

  function ask(question: string, pinnedRegion = region(), extraHistory: Turn[] = []): boolean {
    if (active) return false;
    if (readOnly) leaveShared();
    if (!socket.connected) {
      composer().showError(t('notConnected'));
      return false;
    }
    composer().clearError();
    const turns = [...extraHistory, ...history()].slice(-historyTurns);
    if (exchanges.length === 0) clear(log);
    const view = new AnswerView(newId('a'), question, actions);
    view.pinned = pinnedRegion;
    exchanges.push(view);
    // The answer before it no longer offers to be regenerated.
    exchanges.at(-2)?.refresh();
    log.appendChild(view.element);
    log.scrollTop = log.scrollHeight;
    const current = { view, id: null as string | null };
    active = current;
    composer().setBusy(true);
    view.refresh();
    dependencies.onConversationChange(store.cached(conversationId) ?? pendingConversation());

    // Several regions picked: the question names them (the server takes one region as a hint), so it is
    // answered for each; the page shows the question as typed, with the regions under it.
    const picked = pinnedRegion ? pinnedRegion.split(',').filter(Boolean) : [];
    const sent = picked.length > 1 ? `${picked.join('、')}：${question}` : question;
    const payload = { question: sent, ...(turns.length > 0 ? { history: turns } : {}), ...(picked.length === 1 ? { region: picked[0]! } : {}) };
    void askQuestion(socket, payload).then((ack) => {
      if (ack.ok) {
        current.id = ack.id;
        if (view.state === 'stopped') {
          cancelAnswer(socket, ack.id);
          return;
        }
        if (view.isActive) byId.set(ack.id, view);
        return;
      }
      if (view.state === 'stopped') return;
      const code = ack.error.code;
      view.fail(
        code === 'rate_limited' ? t('rateLimited') :
        code === 'timeout' ? t('ackTimeout') :
        t('answerFailed', { message: describeError(code, ack.error.message) }),
      );
      finish(view);
    });
    return true;
  }

  /** The conversation as the address bar names it before its first answer is kept. */
  function pendingConversation(): SavedConversation {
    return { id: conversationId, title: titleFromQuestion(exchanges[0]?.question ?? ''), renamed: false, createdAt, updatedAt: Date.now(), exchanges: [] };
  }

  function stop(): void {
    if (!active) return;
    const { view, id } = active;
    if (id) {
      cancelAnswer(socket, id);
      byId.delete(id);
    }
    view.stop();
    finish(view);
  }

  function clearScreen(): void {
    stop();
    exchanges = [];
    byId.clear();
    composer().clearError();
  }

  function leaveShared(): void {
    if (!readOnly) return;
    readOnly = false;
    document.body.dataset.readonly = 'false';
    clearScreen();
    clear(log);
    conversationId = newId('c');
    createdAt = Date.now();
  }

  function startNew(): SavedConversation | null {
    const left = !readOnly && exchanges.length > 0 ? store.cached(conversationId) ?? null : null;
    leaveShared();
    clearScreen();
    conversationId = newId('c');
    createdAt = Date.now();
    showWelcome();
    dependencies.onConversationChange(null);
    composer().focus();
    return left;
  }

  /** Puts a kept conversation on screen (replacing what is there). */
  function showConversation(conversation: SavedConversation, feedback: FeedbackState[] = []): void {
    clearScreen();
    conversationId = conversation.id;
    createdAt = conversation.createdAt;
    clear(log);
    const given = new Map(feedback.map((state) => [state.exchangeId, state]));
    exchanges = conversation.exchanges.map((saved) => {
      const view = AnswerView.restore(saved, actions);
      const state = given.get(saved.id);
      if (state) {
        view.feedback = state;
        view.element.dataset.feedback = state.rating;
        view.refresh();
      }
      return view;
    });
    for (const view of exchanges) log.appendChild(view.element);
    if (exchanges.length === 0) showWelcome();
    dependencies.onConversationChange(conversation);
  }

  async function open(id: string, exchangeId?: string): Promise<boolean> {
    // The conversation already on screen (perhaps with an answer still coming) is left as it is.
    const onScreen = !readOnly && id === conversationId && (active !== null || exchanges.length > 0);
    if (!onScreen) {
      let loaded;
      try {
        loaded = await store.load(id);
      } catch (error) {
        dependencies.notify(t('loadFailed', { message: error instanceof ApiError ? describeError(error.code, error.message) : String(error) }));
        return false;
      }
      if (!loaded) return false;
      leaveShared();
      showConversation(loaded.conversation, loaded.feedback);
    } else dependencies.onConversationChange(store.cached(id) ?? pendingConversation());
    const target = exchangeId ? exchanges.find((view) => view.id === exchangeId) : undefined;
    if (target) requestAnimationFrame(() => target.spotlight());
    else log.scrollTop = log.scrollHeight;
    return true;
  }

  async function openLink(link: AnswerLink): Promise<void> {
    if (await open(link.conversation, link.exchange)) return;
    if (!link.question) {
      dependencies.notify(t('linkMissing'));
      return;
    }
    // Not kept for this browser (an old link from another one): ask the linked question again, with its earlier questions.
    startNew();
    const earlier: Turn[] = (link.earlier ?? []).map((question) => ({ role: 'user', content: question }));
    const question = link.question;
    const askAgain = () => {
      if (exchanges.length === 0 && ask(question, link.region ?? '', earlier)) dependencies.notify(t('linkReasked'));
    };
    // A page opened from a link is usually still connecting: ask once it is.
    if (socket.connected) askAgain();
    else socket.once('connect', askAgain);
  }

  /** A shared conversation, read-only: its answers and sources, no feedback, no edits; asking starts one's own. */
  async function openShared(token: string, exchangeId?: string): Promise<void> {
    stop();
    clearScreen();
    readOnly = true;
    document.body.dataset.readonly = 'true';
    clear(log);
    log.appendChild(h('p', { class: 'shared-loading muted' }, t('sharedLoading')));
    dependencies.onConversationChange(null);
    try {
      const { conversation, share } = await fetchShared(token);
      clear(log);
      log.appendChild(
        h(
          'div',
          { class: 'shared-banner', role: 'note', 'data-state': 'loaded' },
          h('strong', {}, t('sharedTitle', { title: conversation.title })),
          h('span', { class: 'muted' }, t('sharedNote', { date: formatDate(share.createdAt), count: conversation.exchanges.length })),
        ),
      );
      exchanges = conversation.exchanges.map((saved) => AnswerView.restore(saved, readOnlyActions));
      for (const view of exchanges) log.appendChild(view.element);
      const target = exchangeId ? exchanges.find((view) => view.id === exchangeId) : undefined;
      if (target) requestAnimationFrame(() => target.spotlight());
    } catch (error) {
      clear(log);
      const gone = error instanceof ApiError && error.status === 410;
      const missing = error instanceof ApiError && (error.status === 404 || error.status === 400);
      log.appendChild(h('div', { class: 'shared-banner error', role: 'alert', 'data-state': gone ? 'revoked' : 'error' }, h('strong', {}, gone ? t('sharedRevoked') : missing ? t('sharedMissing') : t('loadFailed', { message: String((error as Error).message) }))));
    }
  }

  async function exportExchanges(title: string, views: AnswerView[], format: 'markdown' | 'docx', whole: boolean): Promise<void> {
    const saved = views.map((view) => view.snapshot()).filter((entry): entry is SavedExchange => entry !== null);
    if (saved.length === 0) return;
    try {
      if (format === 'markdown') {
        const text = whole
          ? formatConversationMarkdown({ ...(snapshotConversation() ?? pendingConversation()), title, exchanges: saved })
          : formatExchangeMarkdown(saved[0]!);
        download(fileName(title, 'md'), new Blob([text], { type: 'text/markdown;charset=utf-8' }));
      } else {
        const { buildDocx } = await import('./export-docx.ts');
        download(fileName(title, 'docx'), await buildDocx(title, saved));
      }
    } catch (error) {
      composer().showError(t('exportFailed', { message: error instanceof Error ? error.message : String(error) }));
    }
  }

  /** Apply an event to the view of request `id`, keeping the log pinned to the bottom if it was. */
  function update(id: string, apply: (view: AnswerView) => void): void {
    // Events may overtake the acknowledgement: they belong to the question still waiting for its id.
    if (!byId.has(id) && active && active.id === null && active.view.state === 'pending') {
      active.id = id;
      byId.set(id, active.view);
    }
    const view = byId.get(id);
    if (!view) return;
    const near = isNearBottom();
    apply(view);
    followBottom(near);
    // Streamed text renders on the next frame; follow it there too.
    requestAnimationFrame(() => requestAnimationFrame(() => followBottom(near)));
  }

  socket.on('answer:start', ({ id, mode, regions }) => update(id, (view) => view.start(mode, regions)));
  socket.on('answer:sources', ({ id, sources }) => update(id, (view) => view.setSources(sources)));
  socket.on('answer:delta', ({ id, text }) => update(id, (view) => view.appendText(text)));
  socket.on('answer:notice', ({ id, message }) => update(id, (view) => view.addNotice(message)));
  socket.on('answer:end', (payload) =>
    update(payload.id, (view) => {
      view.end(payload);
      byId.delete(payload.id);
      finish(view);
    }),
  );
  socket.on('answer:error', ({ id, code, message }) =>
    update(id, (view) => {
      view.fail(code === 'rate_limited' ? t('rateLimited') : t('answerFailed', { message: describeError(code, message) }));
      byId.delete(id);
      finish(view);
    }),
  );
  socket.on('error', ({ code, message }) => composer().showError(describeError(code, message)));
  socket.on('disconnect', () => {
    if (!active) return;
    const { view, id } = active;
    if (id) byId.delete(id);
    view.fail(t('serverUnreachable'));
    finish(view);
  });

  showWelcome();
  return {
    ask: (question, pinned, extra) => ask(question, pinned, extra),
    stop,
    startNew,
    open,
    openLink,
    current: () => (readOnly ? null : store.cached(conversationId) ?? null),
    exportConversation: (format) => {
      const conversation = store.cached(conversationId);
      return exportExchanges(conversation?.title ?? t('appTitle'), exchanges, format, true);
    },
    openShared,
    get readOnly() {
      return readOnly;
    },
    async shareConversation() {
      const share = await store.share(conversationId);
      return shareLink(share.token);
    },
    unshareConversation: () => store.unshare(conversationId),
    refresh() {
      // A shared link that failed keeps saying why (it has no exchanges, but is no empty conversation).
      if (exchanges.length === 0 && !readOnly) showWelcome();
      for (const exchange of exchanges) exchange.refresh();
    },
  };
}
