// The conversation: sends questions over the socket, routes answer events to their views, keeps the history.
import type { Source, Turn } from '../../src/types.ts';
import { AnswerView } from './answer-view.ts';
import type { Composer } from './composer.ts';
import { clear, h } from './dom.ts';
import { describeError, messages, t } from './i18n.ts';
import { askQuestion, cancelAnswer, type AssistantSocket } from './socket.ts';

/** How many earlier turns travel with a follow-up (user and assistant turns both count). */
const historyTurns = 8;

export interface Chat {
  ask(question: string, region?: string): boolean;
  stop(): void;
  reset(): void;
  refresh(): void;
}

export interface ChatDependencies {
  socket: AssistantSocket;
  log: HTMLElement;
  composer: () => Composer;
  region: () => string;
  openSource: (source: Source) => void;
}

export function createChat({ socket, log, composer, region, openSource }: ChatDependencies): Chat {
  let exchanges: AnswerView[] = [];
  const byId = new Map<string, AnswerView>();
  let active: { view: AnswerView; id: string | null } | null = null;
  const welcome = h('section', { class: 'welcome' });

  function renderWelcome(): void {
    clear(welcome);
    welcome.append(
      h('h2', { class: 'welcome-title' }, t('welcomeTitle')),
      h('p', { class: 'welcome-body' }, t('welcomeBody')),
      h('h3', { class: 'suggestions-title' }, t('suggestionsTitle')),
      h(
        'ul',
        { class: 'suggestions' },
        messages().suggestions.map((question) => {
          const button = h('button', { type: 'button', class: 'suggestion' }, question);
          button.addEventListener('click', () => ask(question));
          return h('li', {}, button);
        }),
      ),
      h(
        'p',
        { class: 'browse' },
        t('browseLead'),
        h('a', { href: '#/priorities' }, t('navPriorities')),
        h('a', { href: '#/targets' }, t('targetsTitle')),
      ),
    );
  }

  function showWelcome(): void {
    clear(log);
    renderWelcome();
    log.appendChild(welcome);
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
  }

  function ask(question: string, pinnedRegion = region()): boolean {
    if (active) return false;
    if (!socket.connected) {
      composer().showError(t('notConnected'));
      return false;
    }
    composer().clearError();
    const turns = history();
    if (exchanges.length === 0) clear(log);
    const view = new AnswerView(question, openSource);
    exchanges.push(view);
    log.appendChild(view.element);
    log.scrollTop = log.scrollHeight;
    const current = { view, id: null as string | null };
    active = current;
    composer().setBusy(true);

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

  function reset(): void {
    stop();
    exchanges = [];
    byId.clear();
    showWelcome();
    composer().clearError();
    composer().focus();
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
    ask,
    stop,
    reset,
    refresh() {
      if (exchanges.length === 0) showWelcome();
      for (const exchange of exchanges) exchange.refresh();
    },
  };
}
