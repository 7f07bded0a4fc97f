// Model and extractive answers as safe Markdown: marked renders, DOMPurify sanitises, `[n]` becomes a citation button.
import DOMPurify from 'dompurify';
import { Marked } from 'marked';

const marked = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    // Raw HTML in the text is shown as text, never interpreted.
    html({ text }) {
      return escapeHtml(text);
    },
  },
});

const allowedTags = [
  'p', 'br', 'strong', 'em', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li',
  'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'hr', 'a',
];

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** A run of markers — `[1]`, `[1, 2]`, `[1][3]`, `[1] [2]`, `【2】` — and the numbers inside one marker. */
const markerRunPattern = /[[【]\d{1,3}(?:\s*[,，、]\s*\d{1,3})*[\]】](?:\s?[[【]\d{1,3}(?:\s*[,，、]\s*\d{1,3})*[\]】])*/g;
const markerNumberPattern = /\d{1,3}/g;
/** Punctuation that must not start a line, kept with the citation before it. */
const closingPunctuation = /^[。，、；：！？）》」』”’,.;:!?)]/;

export interface RenderOptions {
  /** The citation numbers that have a source; other bracketed numbers stay text. */
  isCitable: (n: number) => boolean;
  citationLabel: (n: number) => string;
}

/** Render `markdown` into a sanitised fragment whose citation markers are `<button class="cite" data-n>` elements. */
export function renderMarkdown(markdown: string, options: RenderOptions): DocumentFragment {
  // Headings inside an answer are demoted so they never outrank the page's own.
  // A line right after a list that is no item of it (a verdict, a note) is a paragraph of its own, not the last
  // item's lazy continuation.
  const separated = markdown.replace(/^([-*] .*)\n(?![-*] |\s|\d+[.)] )/gm, '$1\n\n');
  const html = marked.parse(separated.replace(/^#{1,2}(?=\s)/gm, '###')) as string;
  const fragment = DOMPurify.sanitize(html, {
    ALLOWED_TAGS: allowedTags,
    ALLOWED_ATTR: ['href', 'title', 'start'],
    RETURN_DOM_FRAGMENT: true,
  });
  linkCitations(fragment, options);
  return fragment;
}

function linkCitations(root: DocumentFragment, options: RenderOptions): void {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const textNodes: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!(node.parentElement?.closest('code, pre, a'))) textNodes.push(node as Text);
  }
  for (const node of textNodes) replaceMarkers(node, options);
}

/**
 * Replace marker runs with citation buttons. Each run is wrapped, with the character before it and any closing
 * punctuation after it, in a no-wrap span, so a citation never starts a line on its own.
 */
function replaceMarkers(node: Text, options: RenderOptions): void {
  const text = node.data;
  const parts: Node[] = [];
  let last = 0;
  for (const match of text.matchAll(markerRunPattern)) {
    const numbers = (match[0].match(markerNumberPattern) ?? []).map(Number);
    if (numbers.length === 0 || !numbers.every((n) => options.isCitable(n))) continue;
    const before = text.slice(last, match.index).replace(/\s+$/, '');
    const group = document.createElement('span');
    group.className = 'cite-group';
    if (before.length > 0) {
      const glued = Array.from(before).at(-1) ?? '';
      parts.push(document.createTextNode(before.slice(0, before.length - glued.length)));
      group.append(glued);
    }
    for (const n of numbers) group.appendChild(createCitationButton(n, options.citationLabel(n)));
    let end = match.index + match[0].length;
    const punctuation = closingPunctuation.exec(text.slice(end));
    if (punctuation) {
      group.append(punctuation[0]);
      end += punctuation[0].length;
    }
    parts.push(group);
    last = end;
  }
  if (parts.length === 0) return;
  if (last < text.length) parts.push(document.createTextNode(text.slice(last)));
  node.replaceWith(...parts);
}

export function createCitationButton(n: number, label: string): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'cite';
  button.dataset.n = String(n);
  button.textContent = String(n);
  button.title = label;
  button.setAttribute('aria-label', label);
  return button;
}
