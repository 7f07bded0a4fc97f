// The page's composition root: builds every part, wires them to the socket, the routes, the store and the language.
import { fetchReports } from './api.ts';
import { createChat } from './chat.ts';
import { createComposer, type Composer } from './composer.ts';
import { createConversationList } from './conversation-list.ts';
import { createConversationStore } from './conversation-store.ts';
import { describeCoverage } from './coverage.ts';
import { byId } from './dom.ts';
import { getLanguage, onLanguageChange, setLanguage, t, translateStatic } from './i18n.ts';
import { createPassagePanel } from './passage-panel.ts';
import { createPrioritiesView } from './priorities.ts';
import { createRegionPicker } from './region-picker.ts';
import { createReportsView } from './reports-panel.ts';
import { listRegions, loadRegions } from './regions.ts';
import { navigate, onRouteChange, replaceRoute, type Route } from './router.ts';
import { connectSocket } from './socket.ts';
import { watchServerStatus } from './status-banner.ts';
import { createTargetsView } from './targets-chart.ts';
import { createToaster } from './toast.ts';
import { createSharePanel } from './share-panel.ts';
import { setUpTheme } from './theme.ts';
import { createReportReader } from './report-reader.ts';
import { describeError as describeServerError } from './i18n.ts';
import { renderWelcome } from './welcome.ts';

/** The conversation last on screen, reopened when the page is loaded at `#/`. */
const lastOpenKey = 'gov-report-assistant.last-conversation';

function rememberOpen(id: string | null): void {
  try {
    if (id) localStorage.setItem(lastOpenKey, id);
    else localStorage.removeItem(lastOpenKey);
  } catch {
    // private mode: the conversation is still in the address bar
  }
}

function lastOpen(): string | null {
  try {
    return localStorage.getItem(lastOpenKey);
  } catch {
    return null;
  }
}

function start(): void {
  const socket = connectSocket();
  const store = createConversationStore();
  const toaster = createToaster(byId('toast-region'));
  const panel = createPassagePanel(byId('passage-panel'), byId('panel-backdrop'));
  const regionPicker = createRegionPicker(byId('region-picker'), () => undefined);
  const conversationBar = byId('conversation-bar');
  let route: Route = { view: 'chat' };

  let composer: Composer | null = null;
  const chat = createChat({
    socket,
    log: byId('chat-log'),
    store,
    composer: () => composer!,
    region: () => regionPicker.value(),
    openSource: (source) => panel.open(source),
    renderWelcome,
    notify: (message) => toaster.show(message),
    undoable: (message, undo) => toaster.show(message, undo),
    onConversationChange(conversation) {
      conversationBar.hidden = conversation === null;
      byId('conversation-title').textContent = conversation?.title ?? '';
      if (!chat.readOnly) rememberOpen(conversation?.id ?? null);
      // The address names the conversation on screen, so a reload or a bookmark brings it back.
      if (route.view === 'chat' || (route.view === 'shared' && !chat.readOnly)) {
        if (route.view === 'shared') route = { view: 'chat' };
        replaceRoute(conversation ? { view: 'chat', link: { conversation: conversation.id } } : { view: 'chat' });
      }
      historyList.refresh();
    },
  });
  composer = createComposer(
    {
      form: byId<HTMLFormElement>('composer'),
      textarea: byId<HTMLTextAreaElement>('question'),
      sendButton: byId<HTMLButtonElement>('send'),
      error: byId('composer-error'),
    },
    { submit: (question) => chat.ask(question), stop: () => chat.stop() },
  );
  const historyList = createConversationList({
    root: byId('history-panel'),
    toggle: byId<HTMLButtonElement>('history-button'),
    store,
    currentId: () => chat.current()?.id ?? null,
    open: (id, exchange) => navigate({ view: 'chat', link: { conversation: id, ...(exchange ? { exchange } : {}) } }),
    removedCurrent: () => void chat.startNew(),
    undoable: (message, undo) => toaster.show(message, undo),
  });

  store.onSaveError((error) => toaster.show(t('saveFailed', { message: describeServerError(error.code, error.message) })));
  const sharePanel = createSharePanel({
    button: byId<HTMLButtonElement>('share-conversation'),
    root: byId('share-panel'),
    share: () => chat.shareConversation(),
    unshare: () => chat.unshareConversation(),
    notify: (message) => toaster.show(message),
  });
  const theme = setUpTheme(byId<HTMLButtonElement>('theme-toggle'));
  const reader = createReportReader({ root: byId('report-body'), notify: (message: string) => toaster.show(message) });

  // A rename in the history list shows at once in the bar above the conversation.
  store.onChange(() => {
    const current = chat.current();
    if (current) byId('conversation-title').textContent = current.title;
  });

  const priorities = createPrioritiesView({
    root: byId('priorities-body'),
    openPassage: (reference) => panel.open(reference),
    chooseRegion: (region) => navigate({ view: 'priorities', region }),
    askAbout: (region) => {
      regionPicker.setValue(region);
      navigate({ view: 'chat' });
      composer?.focus();
    },
  });
  const targets = createTargetsView(byId('targets-body'), (region) => navigate({ view: 'priorities', region }), (reference) => panel.open(reference));
  const banner = watchServerStatus(socket, byId('status-banner'));
  const library = createReportsView({
    root: byId('reports-body'),
    notify: (message) => toaster.show(message),
    // A report added or removed changes the regions the pickers offer, the coverage and the targets.
    changed: () => {
      loadLibraryYears();
      targets.invalidate();
      priorities.invalidate();
      void loadRegions().then(regionsLoaded);
  loadLibraryYears();
    },
    askAbout: (region) => {
      regionPicker.setValue(region);
      navigate({ view: 'chat' });
      composer?.focus();
    },
  });

  // Nothing is lost: the conversation left stays in the history, and the notice offers to go straight back.
  byId('new-conversation').addEventListener('click', () => {
    sharePanel.close();
    const left = chat.startNew();
    navigate({ view: 'chat' });
    if (left) toaster.show(t('newStarted'), () => navigate({ view: 'chat', link: { conversation: left.id } }));
  });
  byId('export-conversation-markdown').addEventListener('click', () => void chat.exportConversation('markdown'));
  byId('export-conversation-docx').addEventListener('click', () => void chat.exportConversation('docx'));
  byId('open-priorities').addEventListener('click', () => navigate({ view: 'priorities', region: regionPicker.value().split(',')[0] ?? '' }));
  byId('language-toggle').addEventListener('click', () => setLanguage(getLanguage() === 'zh' ? 'en' : 'zh'));

  let firstRoute = true;
  function showRoute(next: Route): void {
    route = next;
    // A shared conversation shows in the chat view; a report in the reader.
    const shown = next.view === 'shared' ? 'chat' : next.view;
    const nav = next.view === 'report' ? 'reports' : shown;
    document.body.dataset.view = shown;
    for (const view of document.querySelectorAll<HTMLElement>('main [data-view]')) {
      view.hidden = view.dataset.view !== shown;
    }
    for (const link of document.querySelectorAll<HTMLElement>('[data-nav]')) {
      if (link.dataset.nav === nav) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    if (next.view === 'shared') {
      sharePanel.close();
      void chat.openShared(next.token, next.exchange);
    }
    if (next.view === 'chat') {
      if (next.link) void chat.openLink(next.link);
      else if (firstRoute && lastOpen()) void chat.open(lastOpen()!);
      else if (chat.readOnly) chat.startNew();
      else {
        const current = chat.current();
        if (current) replaceRoute({ view: 'chat', link: { conversation: current.id } });
      }
    }
    if (next.view === 'report') reader.show(next.id, next.anchor);
    firstRoute = false;
    if (next.view === 'priorities') priorities.show(next.region);
    if (next.view === 'targets') targets.show();
    if (next.view === 'reports') library.show();
  }

  // The brand names the years the library holds (2024, or 2024、2025 once a user adds a later report).
  let libraryYears: number[] = [];
  function showLibraryYears(): void {
    if (libraryYears.length === 0) return;
    const year = libraryYears.join(getLanguage() === 'zh' ? '、' : ', ');
    for (const element of document.querySelectorAll<HTMLElement>('[data-i18n="appSubtitle"]')) element.textContent = t('appSubtitleYears', { year });
    for (const element of document.querySelectorAll<HTMLElement>('[data-i18n="yearBadge"]')) element.textContent = t('yearBadgeYears', { year });
  }
  function loadLibraryYears(): void {
    void fetchReports()
      .then((reports) => {
        libraryYears = describeCoverage(reports).years;
        showLibraryYears();
      })
      .catch(() => undefined);
  }

  function applyLanguage(): void {
    document.documentElement.lang = getLanguage() === 'zh' ? 'zh-CN' : 'en';
    document.title = t('appTitle');
    translateStatic(document);
    showLibraryYears();
    regionPicker.render(listRegions());
    chat.refresh();
    banner.refresh();
    historyList.refresh();
    theme.refresh();
    reader.refresh();
    if (route.view === 'priorities') priorities.refresh();
    targets.refresh();
    library.refresh();
  }

  function regionsLoaded(regions: ReturnType<typeof listRegions>): void {
    regionPicker.render(regions);
    chat.refresh();
    if (route.view === 'priorities') priorities.refresh();
    targets.refresh();
  }

  onLanguageChange(applyLanguage);
  applyLanguage();
  onRouteChange(showRoute);
  void loadRegions().then(regionsLoaded);
  loadLibraryYears();
  document.body.dataset.ready = 'true';
}

start();
