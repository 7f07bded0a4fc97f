// The side panel that shows one cited passage within its neighbouring text, the sentences the answer quoted marked.
import { ApiError, fetchPassage, type PassageView } from './api.ts';
import { clear, h } from './dom.ts';
import { describeError, t } from './i18n.ts';
import type { QuoteSpan } from './answer-types.ts';
import { locateQuotes } from './quote-spans.ts';
import { displayRegion } from './regions.ts';
import { displaySection } from './section-names.ts';
import { reportHash } from './router.ts';

/** What is known about a passage before it is fetched: at least its id. */
export interface PassageReference {
  id: string;
  n?: number;
  region?: string;
  title?: string;
  section?: string;
  text?: string;
  /** Offsets into `text` of the sentences the answer quoted. */
  quotes?: QuoteSpan[];
}

export interface PassagePanel {
  open(reference: PassageReference): void;
  close(): void;
}

export function createPassagePanel(panel: HTMLElement, backdrop: HTMLElement): PassagePanel {
  const body = panel.querySelector<HTMLElement>('.panel-body')!;
  const closeButton = panel.querySelector<HTMLButtonElement>('.panel-close')!;
  let controller: AbortController | null = null;
  let returnFocus: HTMLElement | null = null;

  function close(): void {
    controller?.abort();
    panel.classList.remove('open');
    backdrop.classList.remove('open');
    panel.setAttribute('aria-hidden', 'true');
    returnFocus?.focus({ preventScroll: true });
    returnFocus = null;
  }

  async function open(reference: PassageReference): Promise<void> {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    if (!panel.classList.contains('open')) returnFocus = document.activeElement as HTMLElement | null;
    panel.classList.add('open');
    backdrop.classList.add('open');
    panel.setAttribute('aria-hidden', 'false');
    panel.dataset.passageId = reference.id;
    panel.dataset.state = 'loading';
    renderInto(body, reference, null);
    closeButton.focus({ preventScroll: true });
    try {
      const view = await fetchPassage(reference.id, current.signal);
      if (current.signal.aborted) return;
      renderInto(body, reference, view);
      panel.dataset.state = 'loaded';
    } catch (error) {
      if (current.signal.aborted) return;
      const message = error instanceof ApiError ? describeError(error.code, error.message) : String(error);
      body.appendChild(h('p', { class: 'panel-error', role: 'alert' }, t('panelLoadFailed', { message })));
      panel.dataset.state = 'error';
    }
  }

  closeButton.addEventListener('click', close);
  // Reading the whole report leaves the panel.
  body.addEventListener('click', (event) => {
    if ((event.target as Element).closest('a.read-whole')) {
      returnFocus = null;
      close();
    }
  });
  backdrop.addEventListener('click', close);
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && panel.classList.contains('open')) close();
  });

  return { open: (reference) => void open(reference), close };
}

function renderInto(body: HTMLElement, reference: PassageReference, view: PassageView | null): void {
  clear(body);
  const passage = view?.passage;
  const region = passage?.region ?? reference.region;
  const title = passage?.title ?? reference.title;
  const path = passage?.sectionPath.length ? passage.sectionPath : reference.section ? [reference.section] : [];
  const text = passage?.text ?? reference.text;

  // Where the passage comes from stays in view while the text scrolls under it.
  body.appendChild(
    h(
      'div',
      { class: 'panel-source' },
      h(
        'div',
        { class: 'panel-meta' },
        reference.n !== undefined ? h('span', { class: 'cite static' }, String(reference.n)) : null,
        region ? h('span', { class: 'chip region-chip' }, displayRegion(region)) : null,
        title ? h('span', { class: 'panel-report' }, title) : null,
      ),
      path.length > 0 ? h('ol', { class: 'section-path' }, path.map((heading) => h('li', { title: heading }, displaySection(heading)))) : null,
      // The whole report at this passage, the quoted sentences marked (a link that works from anywhere).
      h('a', { class: 'ghost small read-whole', href: reportHash(reference.id, reference.quotes ?? []) }, t('readWhole')),
    ),
  );

  const reading = h('div', { class: 'panel-reading' });
  for (const neighbour of view?.before ?? []) reading.appendChild(h('p', { class: 'context' }, neighbour.text));
  const spans = text ? locateQuotes(text, reference.text, reference.quotes) : [];
  if (text) {
    reading.appendChild(
      h('p', { class: `passage${spans.length > 0 ? ' has-quotes' : ''}`, 'data-passage-id': reference.id }, markQuotes(text, spans)),
    );
  }
  for (const neighbour of view?.after ?? []) reading.appendChild(h('p', { class: 'context' }, neighbour.text));
  body.appendChild(reading);

  if (!view) {
    body.appendChild(h('p', { class: 'panel-loading' }, t('panelLoading')));
    return;
  }
  if (spans.length > 0) body.appendChild(h('p', { class: 'panel-note' }, t('panelQuoteNote')));
  else if (view.before.length + view.after.length > 0) body.appendChild(h('p', { class: 'panel-note' }, t('panelContextNote')));
  // Bring the first quoted sentence (else the passage) to the upper third, below the sticky source header.
  const target = reading.querySelector<HTMLElement>('mark.quote') ?? reading.querySelector<HTMLElement>('.passage');
  const header = body.querySelector<HTMLElement>('.panel-source');
  if (target) {
    const offset = target.getBoundingClientRect().top - body.getBoundingClientRect().top + body.scrollTop;
    body.scrollTop = Math.max(0, offset - (header?.offsetHeight ?? 0) - body.clientHeight / 4);
  }
}

/** The text as text nodes, each quoted span wrapped in `<mark class="quote">`; other text (and its figures) untouched. */
export function markQuotes(text: string, spans: QuoteSpan[]): Node[] {
  const nodes: Node[] = [];
  let last = 0;
  spans.forEach((span, index) => {
    if (span.start > last) nodes.push(document.createTextNode(text.slice(last, span.start)));
    nodes.push(h('mark', { class: 'quote', 'data-quote': index }, text.slice(span.start, span.end)));
    last = span.end;
  });
  if (last < text.length) nodes.push(document.createTextNode(text.slice(last)));
  return nodes;
}
