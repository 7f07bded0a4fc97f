// Hash routes: `#/` chat, `#/priorities/<region>`, `#/targets` — so every view can be linked and reloaded.

export type Route = { view: 'chat' } | { view: 'priorities'; region: string } | { view: 'targets' };

export function parseRoute(hash: string): Route {
  const [view = '', region = ''] = hash.replace(/^#\/?/, '').split('/');
  if (view === 'targets') return { view: 'targets' };
  if (view === 'priorities') return { view: 'priorities', region: safeDecode(region) };
  return { view: 'chat' };
}

export function routeHash(route: Route): string {
  if (route.view === 'targets') return '#/targets';
  if (route.view === 'priorities') return route.region ? `#/priorities/${encodeURIComponent(route.region)}` : '#/priorities';
  return '#/';
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return '';
  }
}

export function onRouteChange(listener: (route: Route) => void): void {
  window.addEventListener('hashchange', () => listener(parseRoute(location.hash)));
  listener(parseRoute(location.hash));
}

export function navigate(route: Route): void {
  const hash = routeHash(route);
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = hash;
}
