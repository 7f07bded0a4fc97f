// Hash routes: `#/` chat, `#/c/<conversation>[/<answer>][?q=…&r=…]` a kept conversation or one answer in it,
// `#/s/<token>[/<answer>]` a shared conversation (read-only), `#/priorities/<region>`, `#/targets`, `#/reports`
// (the library), `#/reports/<id>#p027[:start-end,…]` a whole report at a passage with its quoted spans marked —
// so every view, every answer and every passage can be linked and reloaded.

/** A link to an answer carries its question (and region) too, so it still answers in a browser that did not keep it. */
export interface AnswerLink {
  conversation: string;
  exchange?: string;
  question?: string;
  region?: string;
  /** Earlier questions of the conversation, oldest first, sent as history when the link is asked again. */
  earlier?: string[];
}

/** A passage of a report to show, and the spans of its text (offsets into the passage) the answer quoted. */
export interface ReportAnchor {
  passage: string;
  quotes?: { start: number; end: number }[];
}

export type Route =
  | { view: 'chat'; link?: AnswerLink }
  | { view: 'shared'; token: string; exchange?: string }
  | { view: 'priorities'; region: string }
  | { view: 'targets' }
  | { view: 'reports' }
  | { view: 'report'; id: string; anchor?: ReportAnchor };

export function parseRoute(hash: string): Route {
  const report = /^#\/reports\/([a-z0-9-]{2,64})(?:#(p\d+)(?::((?:\d+-\d+,?)+))?)?$/.exec(hash);
  if (report) {
    const quotes = (report[3] ?? '').split(',').filter(Boolean).map((span) => span.split('-').map(Number) as [number, number]).filter(([start, end]) => end > start).map(([start, end]) => ({ start, end }));
    return { view: 'report', id: report[1]!, ...(report[2] ? { anchor: { passage: report[2], ...(quotes.length > 0 ? { quotes } : {}) } } : {}) };
  }
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const [view = '', first = '', second = ''] = path.split('/');
  if (view === 'targets') return { view: 'targets' };
  if (view === 'reports') return { view: 'reports' };
  if (view === 's' && first) return { view: 'shared', token: safeDecode(first), ...(second ? { exchange: safeDecode(second) } : {}) };
  if (view === 'priorities') return { view: 'priorities', region: safeDecode(first) };
  if (view === 'c' && first) {
    const params = new URLSearchParams(query);
    const link: AnswerLink = { conversation: safeDecode(first) };
    if (second) link.exchange = safeDecode(second);
    const question = params.get('q');
    if (question) link.question = question;
    const region = params.get('r');
    if (region) link.region = region;
    const earlier = params.getAll('h').filter(Boolean);
    if (earlier.length > 0) link.earlier = earlier;
    return { view: 'chat', link };
  }
  return { view: 'chat' };
}

/** `#/reports/jiangsu-2024#p027:16-28`: the report at a passage (an id `jiangsu-2024#p027`), its quoted spans marked. */
export function reportHash(passageId: string, quotes: readonly { start: number; end: number }[] = []): string {
  const [report = '', passage = ''] = passageId.split('#');
  const spans = quotes.map((span) => `${span.start}-${span.end}`).join(',');
  return `#/reports/${report}${passage ? `#${passage}${spans ? `:${spans}` : ''}` : ''}`;
}

export function routeHash(route: Route): string {
  if (route.view === 'targets') return '#/targets';
  if (route.view === 'reports') return '#/reports';
  if (route.view === 'report') return route.anchor ? reportHash(`${route.id}#${route.anchor.passage}`, route.anchor.quotes) : `#/reports/${route.id}`;
  if (route.view === 'shared') return `#/s/${encodeURIComponent(route.token)}${route.exchange ? `/${encodeURIComponent(route.exchange)}` : ''}`;
  if (route.view === 'priorities') return route.region ? `#/priorities/${encodeURIComponent(route.region)}` : '#/priorities';
  if (route.link) return linkHash(route.link);
  return '#/';
}

export function linkHash(link: AnswerLink): string {
  let hash = `#/c/${encodeURIComponent(link.conversation)}`;
  if (link.exchange) hash += `/${encodeURIComponent(link.exchange)}`;
  const params = new URLSearchParams();
  if (link.question) params.set('q', link.question);
  if (link.region) params.set('r', link.region);
  for (const question of link.earlier ?? []) params.append('h', question);
  const query = params.toString();
  return query ? `${hash}?${query}` : hash;
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

/** Show `route` in the address bar without treating it as a navigation (no hashchange, no new history entry). */
export function replaceRoute(route: Route): void {
  history.replaceState(null, '', routeHash(route));
}
