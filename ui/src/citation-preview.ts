// A preview card for a citation marker `[n]`: on hover or keyboard focus, the source's region, report,
// section and the sentence the answer quoted (marked), without opening the panel. One card for the page,
// described by the marker it belongs to (aria-describedby); Escape or leaving the marker closes it.
import type { QuotedSource } from './answer-types.ts';
import { quotedSpans } from './answer-types.ts';
import { h } from './dom.ts';
import { t } from './i18n.ts';
import { displayRegion } from './regions.ts';
import { displaySection } from './section-names.ts';

let card: HTMLElement | undefined;
let owner: HTMLElement | undefined;
let hideTimer: ReturnType<typeof setTimeout> | undefined;

function ensureCard(): HTMLElement {
  if (card) return card;
  card = h('div', { id: 'cite-preview', class: 'cite-preview', role: 'tooltip', hidden: true });
  // Moving onto the card keeps it open (to read or select its text).
  card.addEventListener('mouseenter', () => clearTimeout(hideTimer));
  card.addEventListener('mouseleave', () => scheduleHide());
  document.body.appendChild(card);
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && card && !card.hidden) hide();
  });
  return card;
}

function hide(): void {
  clearTimeout(hideTimer);
  if (card) card.hidden = true;
  owner?.removeAttribute('aria-describedby');
  owner = undefined;
}

function scheduleHide(): void {
  clearTimeout(hideTimer);
  hideTimer = setTimeout(hide, 150);
}

/** The passage around its quoted spans: the marked sentence with a little context, the rest cut. */
function excerpt(source: QuotedSource): Node[] {
  const spans = quotedSpans(source);
  const text = source.text;
  if (spans.length === 0) return [document.createTextNode(text.length > 160 ? `${text.slice(0, 160)}…` : text)];
  const first = spans[0]!;
  const last = spans[spans.length - 1]!;
  const start = Math.max(0, first.start - 40);
  const end = Math.min(text.length, last.end + 40);
  const nodes: Node[] = [];
  if (start > 0) nodes.push(document.createTextNode('…'));
  let at = start;
  for (const span of spans) {
    if (span.start > at) nodes.push(document.createTextNode(text.slice(at, span.start)));
    nodes.push(h('mark', { class: 'quote' }, text.slice(Math.max(at, span.start), span.end)));
    at = span.end;
  }
  nodes.push(document.createTextNode(text.slice(at, end) + (end < text.length ? '…' : '')));
  return nodes;
}

function show(button: HTMLElement, source: QuotedSource): void {
  clearTimeout(hideTimer);
  const preview = ensureCard();
  preview.replaceChildren(
    h('p', { class: 'cite-preview-head' }, h('span', { class: 'cite static' }, String(source.n)), h('span', { class: 'chip region-chip' }, displayRegion(source.region)), h('span', { class: 'cite-preview-title' }, source.title)),
    h('p', { class: 'cite-preview-section' }, displaySection(source.section)),
    h('p', { class: 'cite-preview-text' }, ...excerpt(source)),
    h('p', { class: 'cite-preview-hint' }, t('previewHint'), ' · ', h('span', { class: 'cite-preview-id' }, source.id)),
  );
  preview.dataset.n = String(source.n);
  preview.hidden = false;
  owner?.removeAttribute('aria-describedby');
  owner = button;
  button.setAttribute('aria-describedby', 'cite-preview');
  // Below the marker, kept within the window (above it when there is no room below).
  const box = button.getBoundingClientRect();
  const width = Math.min(380, window.innerWidth - 16);
  preview.style.width = `${width}px`;
  const left = Math.min(Math.max(8, box.left + box.width / 2 - width / 2), window.innerWidth - width - 8);
  preview.style.left = `${left + window.scrollX}px`;
  const height = preview.offsetHeight;
  const below = box.bottom + 8;
  const top = below + height > window.innerHeight - 8 && box.top - height - 8 > 8 ? box.top - height - 8 : below;
  preview.style.top = `${top + window.scrollY}px`;
}

/** Shows the card for `[n]` markers inside `root`; `sourceOf` finds the source a number names. */
export function attachCitationPreview(root: HTMLElement, sourceOf: (n: number) => QuotedSource | undefined): void {
  const open = (event: Event): void => {
    const button = (event.target as Element | null)?.closest?.<HTMLElement>('button.cite');
    if (!button || !root.contains(button)) return;
    const source = sourceOf(Number(button.dataset.n));
    if (source) show(button, source);
  };
  const close = (event: Event): void => {
    const button = (event.target as Element | null)?.closest?.<HTMLElement>('button.cite');
    if (button && button === owner) scheduleHide();
  };
  root.addEventListener('mouseover', open);
  root.addEventListener('focusin', open);
  root.addEventListener('mouseout', close);
  root.addEventListener('focusout', close);
  // Opening the panel replaces the preview.
  root.addEventListener('click', () => hide());
}
