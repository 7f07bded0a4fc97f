// A region's priorities: the main targets and key tasks of its report of a year (its latest unless another
// is picked, when it has several), each point citing the passages it summarises.
import type { RegionLevel, RegionSummary, Source } from '../../src/types.ts';
import { uniqueNumbers } from './answer-types.ts';
import { ApiError, fetchSummary } from './api.ts';
import { clear, h } from './dom.ts';
import { describeError, t } from './i18n.ts';
import { createCitationButton } from './markdown.ts';
import type { PassageReference } from './passage-panel.ts';
import { displayRegion, listRegions } from './regions.ts';
import { flattenTargets, sortRows } from './targets-data.ts';
import { createTargetsTable } from './targets-table.ts';

export interface PrioritiesView {
  show(region: string): void;
  refresh(): void;
  /** The corpus changed (a report added or removed): summaries are fetched again. */
  invalidate(): void;
}

export interface PrioritiesDependencies {
  root: HTMLElement;
  openPassage: (reference: PassageReference) => void;
  chooseRegion: (region: string) => void;
  askAbout: (region: string) => void;
}

export function createPrioritiesView({ root, openPassage, chooseRegion, askAbout }: PrioritiesDependencies): PrioritiesView {
  /** Summaries by region and year asked for (`江苏省|` is its latest). */
  const cache = new Map<string, RegionSummary>();
  let region = '';
  /** The report year picked for the region, or undefined for its latest. */
  let year: number | undefined;
  let request = 0;
  const cacheKey = (): string => `${region}|${year ?? ''}`;

  /** The report year selector, only when the region has more than one year of reports. */
  function yearSelect(summary: RegionSummary | undefined): HTMLElement | null {
    if (!summary || summary.years.length < 2) return null;
    const select = h('select', { class: 'priorities-year', 'aria-label': t('prioritiesYear') }, [...summary.years].reverse().map((option) => h('option', { value: String(option) }, t('yearOption', { year: option }))));
    select.value = String(summary.year);
    select.addEventListener('change', () => {
      year = Number(select.value);
      void show(region);
    });
    return select;
  }

  function header(summary?: RegionSummary): HTMLElement {
    const select = h('select', { class: 'priorities-region', 'aria-label': t('regionLabel') });
    select.appendChild(h('option', { value: '' }, t('regionLabel')));
    for (const info of listRegions().filter((candidate) => candidate.inCorpus)) {
      select.appendChild(h('option', { value: info.region }, displayRegion(info.region)));
    }
    select.value = region;
    select.addEventListener('change', () => chooseRegion(select.value));
    const askButton = region ? h('button', { type: 'button', class: 'ghost small' }, t('prioritiesAsk')) : null;
    askButton?.addEventListener('click', () => askAbout(region));
    return h(
      'header',
      { class: 'view-header' },
      h('div', { class: 'view-heading' }, h('h2', {}, region ? title(summary?.year ?? year) : t('navPriorities'))),
      h('div', { class: 'view-tools' }, select, yearSelect(summary), askButton),
    );
  }

  /** The region's title with the year shown (the yearless title only while the latest is loading). */
  function title(shown: number | undefined): string {
    return shown === undefined ? t('prioritiesTitle', { region: displayRegion(region) }) : t('prioritiesTitleYear', { region: displayRegion(region), year: shown });
  }

  function renderPicker(): void {
    const regions = listRegions().filter((info) => info.inCorpus);
    root.append(header(), h('p', { class: 'view-intro' }, t('prioritiesPick')));
    const groups: [string, RegionLevel][] = [
      [t('regionGroupNational'), 'national'],
      [t('regionGroupProvince'), 'province'],
      [t('regionGroupCity'), 'city'],
    ];
    for (const [label, level] of groups) {
      const members = regions.filter((info) => info.level === level);
      if (members.length === 0) continue;
      const grid = h('div', { class: 'region-grid' });
      for (const info of members) {
        const button = h('button', { type: 'button', class: 'region-tile', 'data-region': info.region }, displayRegion(info.region));
        button.addEventListener('click', () => chooseRegion(info.region));
        grid.appendChild(button);
      }
      root.append(h('h3', { class: 'block-title' }, label), grid);
    }
  }

  function renderSummary(summary: RegionSummary): void {
    root.append(header(summary));
    if (summary.title) root.appendChild(h('p', { class: 'view-intro report-title' }, summary.title));
    root.append(
      h('h3', { class: 'block-title' }, t('prioritiesTargets')),
      summary.targets.length > 0
        ? h(
            'div',
            { class: 'table-scroll region-targets', 'aria-label': t('prioritiesTargetsTable', { year: summary.year }) },
            createTargetsTable({ rows: sortRows(flattenTargets([{ region: summary.region, targets: summary.targets }]), 'table'), sort: 'table', openPassage, showRegion: false, caption: t('targetsTableCaptionYear', { year: summary.year }) }),
          )
        : h('p', { class: 'muted' }, t('prioritiesNoTargets')),
      h('h3', { class: 'block-title' }, t('prioritiesTasks')),
      h(
        'ol',
        { class: 'task-list' },
        summary.tasks.map((task) =>
          h(
            'li',
            { class: 'task' },
            h('h4', { class: 'task-heading' }, task.heading, citationButtons(task.citations, summary.sources)),
            h('ul', { class: 'task-points' }, task.points.map((point) => h('li', {}, point))),
          ),
        ),
      ),
    );
  }

  function citationButtons(citations: number[], sources: Source[]): HTMLElement {
    const span = h('span', { class: 'task-cites' });
    // The summary may list a passage twice for one task; it is one marker.
    for (const n of uniqueNumbers(citations)) {
      const source = sources.find((candidate) => candidate.n === n);
      if (!source) continue;
      const button = createCitationButton(n, t('citationLabel', { n }));
      button.addEventListener('click', () => openPassage(source));
      span.appendChild(button);
    }
    return span;
  }

  async function show(next: string): Promise<void> {
    if (next !== region) year = undefined;
    region = next;
    const ticket = ++request;
    clear(root);
    root.dataset.region = region;
    if (!region) {
      root.dataset.state = 'pick';
      renderPicker();
      return;
    }
    const key = cacheKey();
    const cached = cache.get(key);
    if (cached) {
      root.dataset.state = 'loaded';
      renderSummary(cached);
      return;
    }
    root.dataset.state = 'loading';
    root.append(header(), h('p', { class: 'loading-line' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), t('prioritiesLoading')));
    try {
      const summary = await fetchSummary(region, year === undefined ? {} : { year });
      cache.set(key, summary);
      if (ticket !== request) return;
      clear(root);
      root.dataset.state = 'loaded';
      renderSummary(summary);
    } catch (error) {
      if (ticket !== request) return;
      clear(root);
      root.dataset.state = 'error';
      const message =
        error instanceof ApiError && error.status === 404
          ? t('prioritiesNotInCorpus')
          : t('prioritiesFailed', { message: error instanceof ApiError ? describeError(error.code, error.message) : String(error) });
      root.append(header(), h('p', { class: 'note error', role: 'alert' }, message));
    }
  }

  return {
    show: (next) => void show(next),
    refresh: () => void show(region),
    invalidate: () => cache.clear(),
  };
}
