// The page's composition root: builds every part, wires them to the socket, the routes and the language.
import { createChat } from './chat.ts';
import { createComposer, type Composer } from './composer.ts';
import { byId } from './dom.ts';
import { getLanguage, onLanguageChange, setLanguage, t, translateStatic } from './i18n.ts';
import { createPassagePanel } from './passage-panel.ts';
import { createPrioritiesView } from './priorities.ts';
import { createRegionPicker } from './region-picker.ts';
import { listRegions, loadRegions } from './regions.ts';
import { navigate, onRouteChange, type Route } from './router.ts';
import { connectSocket } from './socket.ts';
import { watchServerStatus } from './status-banner.ts';
import { createTargetsView } from './targets-chart.ts';

function start(): void {
  const socket = connectSocket();
  const panel = createPassagePanel(byId('passage-panel'), byId('panel-backdrop'));
  const regionPicker = createRegionPicker(byId<HTMLSelectElement>('region-select'), () => undefined);

  let composer: Composer | null = null;
  const chat = createChat({
    socket,
    log: byId('chat-log'),
    composer: () => composer!,
    region: () => regionPicker.value(),
    openSource: (source) => panel.open(source),
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

  byId('new-conversation').addEventListener('click', () => {
    navigate({ view: 'chat' });
    chat.reset();
  });
  byId('open-priorities').addEventListener('click', () => navigate({ view: 'priorities', region: regionPicker.value() }));
  byId('language-toggle').addEventListener('click', () => setLanguage(getLanguage() === 'zh' ? 'en' : 'zh'));

  let route: Route = { view: 'chat' };
  function showRoute(next: Route): void {
    route = next;
    document.body.dataset.view = next.view;
    for (const view of document.querySelectorAll<HTMLElement>('[data-view]')) {
      view.hidden = view.dataset.view !== next.view;
    }
    for (const link of document.querySelectorAll<HTMLElement>('[data-nav]')) {
      if (link.dataset.nav === next.view) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    if (next.view === 'priorities') priorities.show(next.region);
    if (next.view === 'targets') targets.show();
  }

  function applyLanguage(): void {
    document.documentElement.lang = getLanguage() === 'zh' ? 'zh-CN' : 'en';
    document.title = t('appTitle');
    translateStatic(document);
    regionPicker.render(listRegions());
    chat.refresh();
    banner.refresh();
    if (route.view === 'priorities') priorities.refresh();
    targets.refresh();
  }

  onLanguageChange(applyLanguage);
  applyLanguage();
  onRouteChange(showRoute);
  void loadRegions().then((regions) => {
    regionPicker.render(regions);
    chat.refresh();
    if (route.view === 'priorities') priorities.refresh();
    targets.refresh();
  });
  document.body.dataset.ready = 'true';
}

start();
