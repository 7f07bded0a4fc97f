// The conversation: sends questions over the socket, routes answer events to their views, keeps the history,
// and keeps every finished exchange in the browser so a reload, a link or the history list brings it back.
import type { Turn } from '../../src/types.ts';
import type { QuotedSource, SavedConversation, SavedExchange } from './answer-types.ts';
import { AnswerView, type AnswerActions } from './answer-view.ts';
import type { Composer } from './composer.ts';
import { newId, titleFromQuestion, type ConversationStore } from './conversation-store.ts';
import { clear } from './dom.ts';
import { download, fileName, formatConversationMarkdown, formatExchangeMarkdown } from './export-markdown.ts';
import { describeError, t } from './i18n.ts';
import { linkHash, type AnswerLink } from './router.ts';
import { askQuestion, cancelAnswer, type AssistantSocket } from './socket.ts';

/** How many earlier turns travel with a follow-up (user and assistant turns both count). */
const historyTurns = 8;
/** How many earlier questions an answer's link carries, to be asked again where the answer is not kept. */
const linkedQuestions = 3;

export interface Chat {
  ask(question: string, region?: string, extraHistory?: Turn[]): boolean;
  stop(): void;
  /** Start an empty conversation; returns the one left (kept in the store), if it had any exchange. */
  startNew(): SavedConversation | null;
  /** Show a kept conversation; false when the store does not have it. */
  open(conversationId: string, exchangeId?: string): boolean;
  /** Open what a link points at, or ask its question again when this browser does not keep it. */
  openLink(link: AnswerLink): void;
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
}

export function createChat(dependencies: ChatDependencies): Chat {
  const { socket, log, store, composer, region, openSource } = dependencies;
  let conversationId = newId('c');
  let createdAt = Date.now();
  let exchanges: AnswerView[] = [];
  const byId = new Map<string, AnswerView>();
  let active: { view: AnswerView; id: string | null } | null = null;

  const actions: AnswerActions = {
    openSource,
    linkFor: (view) => linkHash(linkFor(view)),
    exportAnswer: (view, format) => exportExchanges(view.question, [view], format, false),
  };

  function linkFor(view: AnswerView): AnswerLink {
    const index = exchanges.indexOf(view);
    const earlier = exchanges.slice(Math.max(0, index - linkedQuestions), Math.max(0, index)).map((exchange) => exchange.question);
    return { conversation: conversationId, exchange: view.id, question: view.question, ...(earlier.length > 0 ? { earlier } : {}) };
  }

  function showWelcome(): void {
    clear(log);
    log.appendChild(dependencies.renderWelcome((question) => void ask(question)));
  }

  function snapshotConversation(): SavedConversation | null {
    const saved = exchanges.map((view) => view.snapshot()).filter((entry): entry is SavedExchange => entry !== null);
    if (saved.length === 0) return null;
    const kept = store.get(conversationId);
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
    dependencies.onConversationChange(conversation ?? store.get(conversationId) ?? null);
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
    }
    persist();
  }

  function ask(question: string, pinnedRegion = region(), extraHistory: Turn[] = []): boolean {
    if (active) return false;
    if (!socket.connected) {
      composer().showError(t('notConnected'));
      return false;
    }
    composer().clearError();
    const turns = [...extraHistory, ...history()].slice(-historyTurns);
    if (exchanges.length === 0) clear(log);
    const view = new AnswerView(newId('a'), question, actions);
    exchanges.push(view);
    log.appendChild(view.element);
    log.scrollTop = log.scrollHeight;
    const current = { view, id: null as string | null };
    active = current;
    composer().setBusy(true);
    dependencies.onConversationChange(store.get(conversationId) ?? pendingConversation());

    const payload = { question, ...(turns.length > 0 ? { history: turns } : {}), ...(pinnedRegion ? { region: pinnedRegion } : {}) };
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

  function startNew(): SavedConversation | null {
    const left = exchanges.length > 0 ? store.get(conversationId) ?? null : null;
    clearScreen();
    conversationId = newId('c');
    createdAt = Date.now();
    showWelcome();
    dependencies.onConversationChange(null);
    composer().focus();
    return left;
  }

  function open(id: string, exchangeId?: string): boolean {
    const conversation = store.get(id);
    if (!conversation) return false;
    // The conversation already on screen (perhaps with an answer still coming) is left as it is.
    const onScreen = id === conversationId && (active !== null || exchanges.length >= conversation.exchanges.length);
    if (!onScreen) {
      clearScreen();
      conversationId = conversation.id;
      createdAt = conversation.createdAt;
      clear(log);
      exchanges = conversation.exchanges.map((saved) => AnswerView.restore(saved, actions));
      for (const view of exchanges) log.appendChild(view.element);
      if (exchanges.length === 0) showWelcome();
    }
    dependencies.onConversationChange(conversation);
    const target = exchangeId ? exchanges.find((view) => view.id === exchangeId) : undefined;
    if (target) requestAnimationFrame(() => target.spotlight());
    else log.scrollTop = log.scrollHeight;
    return true;
  }

  function openLink(link: AnswerLink): void {
    if (open(link.conversation, link.exchange)) return;
    if (!link.question) {
      dependencies.notify(t('linkMissing'));
      return;
    }
    // Not kept here (another browser, a cleared one): ask the linked question again, with its earlier questions.
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
    current: () => store.get(conversationId) ?? null,
    exportConversation: (format) => {
      const conversation = store.get(conversationId);
      return exportExchanges(conversation?.title ?? t('appTitle'), exchanges, format, true);
    },
    refresh() {
      if (exchanges.length === 0) showWelcome();
      for (const exchange of exchanges) exchange.refresh();
    },
  };
}
