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
  const regionPicker = createRegionPicker(byId<HTMLSelectElement>('region-select'), () => undefined);
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
    onConversationChange(conversation) {
      conversationBar.hidden = conversation === null;
      byId('conversation-title').textContent = conversation?.title ?? '';
      rememberOpen(conversation?.id ?? null);
      // The address names the conversation on screen, so a reload or a bookmark brings it back.
      if (route.view === 'chat') replaceRoute(conversation ? { view: 'chat', link: { conversation: conversation.id } } : { view: 'chat' });
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
    open: (id) => navigate({ view: 'chat', link: { conversation: id } }),
    removedCurrent: () => void chat.startNew(),
    undoable: (message, undo) => toaster.show(message, undo),
  });

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
    const left = chat.startNew();
    navigate({ view: 'chat' });
    if (left) toaster.show(t('newStarted'), () => navigate({ view: 'chat', link: { conversation: left.id } }));
  });
  byId('export-conversation-markdown').addEventListener('click', () => void chat.exportConversation('markdown'));
  byId('export-conversation-docx').addEventListener('click', () => void chat.exportConversation('docx'));
  byId('open-priorities').addEventListener('click', () => navigate({ view: 'priorities', region: regionPicker.value() }));
  byId('language-toggle').addEventListener('click', () => setLanguage(getLanguage() === 'zh' ? 'en' : 'zh'));

  let firstRoute = true;
  function showRoute(next: Route): void {
    route = next;
    document.body.dataset.view = next.view;
    for (const view of document.querySelectorAll<HTMLElement>('main [data-view]')) {
      view.hidden = view.dataset.view !== next.view;
    }
    for (const link of document.querySelectorAll<HTMLElement>('[data-nav]')) {
      if (link.dataset.nav === next.view) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    if (next.view === 'chat') {
      if (next.link) chat.openLink(next.link);
      else if (firstRoute && lastOpen()) chat.open(lastOpen()!);
      else {
        const current = chat.current();
        if (current) replaceRoute({ view: 'chat', link: { conversation: current.id } });
      }
    }
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
