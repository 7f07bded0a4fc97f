// The side panel that shows one cited passage within its neighbouring text, with its figures emphasised.
import { ApiError, fetchPassage, type PassageView } from './api.ts';
import { clear, h } from './dom.ts';
import { describeError, t } from './i18n.ts';
import { splitFigures } from './numbers.ts';
import { displayRegion } from './regions.ts';

/** What is known about a passage before it is fetched: at least its id. */
export interface PassageReference {
  id: string;
  n?: number;
  region?: string;
  title?: string;
  section?: string;
  text?: string;
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
      path.length > 0 ? h('ol', { class: 'section-path' }, path.map((heading) => h('li', {}, heading))) : null,
    ),
  );

  const reading = h('div', { class: 'panel-reading' });
  for (const neighbour of view?.before ?? []) reading.appendChild(h('p', { class: 'context' }, neighbour.text));
  if (text) {
    reading.appendChild(h('p', { class: 'passage', 'data-passage-id': reference.id }, emphasiseFigures(text)));
  }
  for (const neighbour of view?.after ?? []) reading.appendChild(h('p', { class: 'context' }, neighbour.text));
  body.appendChild(reading);

  if (!view) {
    body.appendChild(h('p', { class: 'panel-loading' }, t('panelLoading')));
  } else {
    if (view.before.length + view.after.length > 0) body.appendChild(h('p', { class: 'panel-note' }, t('panelContextNote')));
    const highlighted = reading.querySelector<HTMLElement>('.passage');
    // Bring the passage to the upper third of the panel (the panel body is the offset parent).
    const source = body.querySelector<HTMLElement>('.panel-source');
    if (highlighted) body.scrollTop = Math.max(0, highlighted.offsetTop - (source?.offsetHeight ?? 0) - 16);
  }
}

/** The text as text nodes, with each figure wrapped in `<strong class="figure">`. */
export function emphasiseFigures(text: string): Node[] {
  return splitFigures(text).map((segment) =>
    segment.isNumber ? h('strong', { class: 'figure' }, segment.text) : document.createTextNode(segment.text),
  );
}
