// The whole report, to read around a citation (`#/reports/<id>#p027[:start-end,…]`): its outline (parts and
// sub-sections) to move around, the text paragraph by paragraph with each passage anchored by its id, the
// cited passage brought into view and the sentences the answer quoted marked.
import { ApiError, sendJson } from './api.ts';
import { copyText } from './copy-markdown.ts';
import { clear, h } from './dom.ts';
import { describeError, t } from './i18n.ts';
import { displayRegion } from './regions.ts';
import { navigate, reportHash, type ReportAnchor } from './router.ts';
import { displaySection } from './section-names.ts';

interface ReportText {
  report: { id: string; region: string; year: number; title: string; date?: string; speaker?: string; sourceFile: string };
  text: string;
  sections: { heading: string; level: 1 | 2; start: number; end: number; inferred?: true }[];
  passages: { id: string; start: number; end: number; sectionPath: string[] }[];
}

export interface ReportReader {
  show(id: string, anchor?: ReportAnchor): void;
  refresh(): void;
}

const passageNumber = (id: string): string => id.split('#')[1] ?? id;

export function createReportReader(dependencies: { root: HTMLElement; notify: (message: string) => void }): ReportReader {
  const { root } = dependencies;
  const cache = new Map<string, Promise<ReportText>>();
  let current: { id: string; anchor?: ReportAnchor } | undefined;

  function load(id: string): Promise<ReportText> {
    let loading = cache.get(id);
    if (!loading) {
      loading = sendJson<ReportText>('GET', `/api/reports/${encodeURIComponent(id)}/text`);
      cache.set(id, loading);
      loading.catch(() => cache.delete(id));
    }
    return loading;
  }

  /** One passage's text as paragraphs, a part's heading as a heading, a sub-section's run-in heading bold, quoted spans marked. */
  function renderPassage(report: ReportText, passage: { id: string; start: number; end: number }, quotes: { start: number; end: number }[]): HTMLElement[] {
    const text = report.text.slice(passage.start, passage.end);
    const nodes: HTMLElement[] = [];
    let offset = 0;
    for (const line of text.split('\n')) {
      const lineStart = offset;
      offset += line.length + 1;
      if (!line.trim()) continue;
      const absolute = passage.start + lineStart;
      const part = report.sections.find((section) => section.level === 1 && section.start === absolute);
      if (part && line.trim() === part.heading) {
        nodes.push(h('h2', { class: 'report-part', id: `section-${part.start}` }, line));
        continue;
      }
      const sub = report.sections.find((section) => section.level === 2 && section.start === absolute);
      const paragraph = h('p', { class: 'report-paragraph' });
      const runIn = sub ? sub.heading.replace(sub.inferred ? /^（[一二三四五六七八九十]{1,3}）/ : /^$/, '') : '';
      const headingLength = runIn && line.startsWith(runIn) ? runIn.length : 0;
      if (sub) paragraph.id = `section-${sub.start}`;
      // Spans of this line, in the line's own offsets.
      const marks = quotes
        .map((span) => ({ start: Math.max(span.start, lineStart) - lineStart, end: Math.min(span.end, lineStart + line.length) - lineStart }))
        .filter((span) => span.end > span.start);
      let at = 0;
      const push = (end: number): void => {
        if (end <= at) return;
        const piece = line.slice(at, end);
        const inHeading = at < headingLength;
        const inMark = marks.some((span) => at >= span.start && at < span.end);
        let node: Node = document.createTextNode(piece);
        if (inMark) node = h('mark', { class: 'quote' }, piece);
        if (inHeading) node = h('strong', { class: 'run-in' }, node);
        paragraph.appendChild(node);
        at = end;
      };
      const cuts = [...new Set([headingLength, ...marks.flatMap((span) => [span.start, span.end]), line.length])].filter((cut) => cut > 0).sort((left, right) => left - right);
      if (sub?.inferred) paragraph.prepend(h('span', { class: 'inferred-number', title: sub.heading }, sub.heading.slice(0, sub.heading.length - runIn.length)));
      for (const cut of cuts) push(cut);
      nodes.push(paragraph);
    }
    return nodes;
  }

  function render(report: ReportText, anchor: ReportAnchor | undefined): void {
    clear(root);
    const target = anchor ? report.passages.find((passage) => passageNumber(passage.id) === anchor.passage) : undefined;
    const outline = h(
      'ol',
      { class: 'outline-list' },
      report.sections.map((section) => {
        const link = h('a', { href: `#section-${section.start}`, class: `outline-link level-${section.level}`, 'data-start': section.start, title: section.heading }, section.level === 1 ? section.heading : displaySection(section.heading));
        link.addEventListener('click', (event) => {
          event.preventDefault();
          const passage = report.passages.find((candidate) => candidate.start <= section.start && section.start < candidate.end);
          if (passage) navigate({ view: 'report', id: report.report.id, anchor: { passage: passageNumber(passage.id) } });
          else root.querySelector(`#section-${section.start}`)?.scrollIntoView({ block: 'start' });
        });
        return h('li', {}, link);
      }),
    );
    const body = h('div', { class: 'report-text' });
    let at = 0;
    const gap = (end: number): void => {
      if (end <= at) return;
      const text = report.text.slice(at, end).trim();
      if (text) for (const line of text.split('\n')) if (line.trim()) body.appendChild(h('p', { class: 'report-paragraph outside' }, line));
    };
    for (const passage of report.passages) {
      gap(passage.start);
      const isTarget = passage === target;
      const block = h('section', { class: `report-passage${isTarget ? ' target' : ''}`, id: `passage-${passageNumber(passage.id)}`, 'data-passage-id': passage.id, tabindex: isTarget ? -1 : undefined });
      const copy = h('button', { type: 'button', class: 'passage-link', title: t('readerCopyLink') }, `¶ ${passageNumber(passage.id)}`);
      copy.addEventListener('click', async () => {
        const copied = await copyText(new URL(reportHash(passage.id), location.href).href);
        dependencies.notify(copied ? t('linkCopied') : t('copyFailed'));
      });
      block.append(copy, ...renderPassage(report, passage, isTarget ? anchor?.quotes ?? [] : []));
      body.appendChild(block);
      at = Math.max(at, passage.end);
    }
    gap(report.text.length);
    const meta = [report.report.date, report.report.speaker].filter(Boolean).join(' · ');
    root.append(
      h(
        'header',
        { class: 'reader-header' },
        h('a', { class: 'ghost small reader-back', href: '#/reports' }, t('readerBack')),
        h('h1', { class: 'reader-title' }, report.report.title),
        h('p', { class: 'reader-meta muted' }, h('span', { class: 'chip region-chip' }, displayRegion(report.report.region)), meta ? ` ${meta}` : ''),
      ),
      h(
        'div',
        { class: 'reader-layout' },
        h('nav', { class: 'report-outline', 'aria-label': t('readerOutline') }, h('details', { class: 'outline-fold', open: window.innerWidth > 900 }, h('summary', {}, t('readerOutline')), outline)),
        body,
      ),
    );
    root.dataset.state = 'loaded';
    root.dataset.report = report.report.id;
    if (target) {
      const element = root.querySelector<HTMLElement>(`#passage-${anchor!.passage}`);
      // The cited passage in view (its first quoted sentence near the top third), and marked in the outline.
      requestAnimationFrame(() => {
        const mark = element?.querySelector<HTMLElement>('mark.quote') ?? element;
        mark?.scrollIntoView({ block: 'center' });
        element?.focus({ preventScroll: true });
      });
      const section = [...report.sections].reverse().find((candidate) => candidate.start <= target.start);
      if (section) root.querySelector(`.outline-link[data-start="${section.start}"]`)?.setAttribute('aria-current', 'location');
    } else if (anchor) {
      dependencies.notify(t('readerNoPassage', { passage: anchor.passage }));
    } else window.scrollTo({ top: 0 });
  }

  async function show(id: string, anchor?: ReportAnchor): Promise<void> {
    current = { id, ...(anchor ? { anchor } : {}) };
    if (root.dataset.report !== id) {
      clear(root);
      root.dataset.state = 'loading';
      root.appendChild(h('p', { class: 'muted' }, t('readerLoading')));
    }
    try {
      const report = await load(id);
      if (current?.id !== id) return;
      render(report, anchor);
    } catch (error) {
      if (current?.id !== id) return;
      clear(root);
      root.dataset.state = 'error';
      delete root.dataset.report;
      root.appendChild(h('p', { class: 'panel-error', role: 'alert' }, t('readerFailed', { message: error instanceof ApiError ? describeError(error.code, error.message) : String(error) })));
    }
  }

  return {
    show: (id, anchor) => void show(id, anchor),
    refresh() {
      if (current && root.dataset.state === 'loaded') void show(current.id, current.anchor);
    },
  };
}
