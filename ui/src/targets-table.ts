// The targets as a table: region, indicator, value as written, qualifier; the region and the value open
// the cited passage; the value column sorts. Used by 目标一览 and by a region's 地区重点 view.
import { h } from './dom.ts';
import { messages, t } from './i18n.ts';
import type { PassageReference } from './passage-panel.ts';
import { displayRegion } from './regions.ts';
import type { SortOrder, TableRow } from './targets-data.ts';

export interface TargetsTableOptions {
  rows: readonly TableRow[];
  sort: SortOrder;
  /** Without it the value header does not sort (a region's own table). */
  onSort?: (next: SortOrder) => void;
  openPassage: (reference: PassageReference) => void;
  /** Show the region column (false on a region's own page). */
  showRegion: boolean;
  /** Show the indicator column (false when one indicator is filtered and every row is everyone's). */
  showIndicator?: boolean;
  /** The caption read out by screen readers, naming the report year (`targetsTableCaption` by default). */
  caption?: string;
}

/** The label of a row in the interface language: `城镇居民…` rows keep their scope. */
export function rowLabel(row: TableRow): string {
  const base = messages().indicators[row.indicator] ?? row.label;
  if (row.scope === 'all') return base;
  return `${base}（${t(row.scope === 'urban' ? 'targetsScopeUrban' : 'targetsScopeRural')}）`;
}

/** The qualifier as written, with its English gloss in English (`左右 (about)`). */
export function qualifierText(qualifier: string): string {
  if (!qualifier) return '—';
  const gloss = messages().targetsQualifiers[qualifier];
  return gloss ? `${qualifier} (${gloss})` : qualifier;
}

const nextSort: Record<SortOrder, SortOrder> = { table: 'desc', desc: 'asc', asc: 'table' };

export function createTargetsTable(options: TargetsTableOptions): HTMLTableElement {
  const { rows, sort, onSort, openPassage, showRegion } = options;
  const showIndicator = options.showIndicator ?? true;
  const ariaSort = sort === 'desc' ? 'descending' : sort === 'asc' ? 'ascending' : 'none';
  const sortLabel = sort === 'desc' ? t('targetsSortedDesc') : sort === 'asc' ? t('targetsSortedAsc') : t('targetsSortBy');
  const valueHeader = onSort
    ? h(
        'th',
        { scope: 'col', class: 'col-value', 'aria-sort': ariaSort },
        h(
          'button',
          { type: 'button', class: 'sort-button', 'data-sort': sort, title: sortLabel, 'aria-label': `${t('targetsColumnValue')} · ${sortLabel}`, onclick: () => onSort(nextSort[sort]) },
          t('targetsColumnValue'),
          h('span', { class: 'sort-mark', 'aria-hidden': 'true' }, sort === 'desc' ? '▼' : sort === 'asc' ? '▲' : '↕'),
        ),
      )
    : h('th', { scope: 'col', class: 'col-value' }, t('targetsColumnValue'));
  const open = (row: TableRow): void => openPassage({ id: row.passageId, region: row.region });
  const body = h(
    'tbody',
    {},
    rows.map((row) => {
      const where = `${displayRegion(row.region)} ${rowLabel(row)} ${row.value}`;
      return h(
        'tr',
        { 'data-region': row.region, 'data-indicator': row.indicator, 'data-scope': row.scope, 'data-value': row.value, ...(row.region === '全国' ? { class: 'national' } : {}) },
        showRegion
          ? h(
              'th',
              { scope: 'row', class: 'col-region' },
              h('button', { type: 'button', class: 'link-button region-link', 'aria-label': t('targetsOpenPassage', { what: where }), onclick: () => open(row) }, displayRegion(row.region)),
            )
          : null,
        showIndicator ? h('td', { class: 'col-indicator' }, rowLabel(row)) : null,
        h(
          'td',
          { class: 'col-value' },
          h('button', { type: 'button', class: 'link-button value-link', 'data-passage-id': row.passageId, title: row.quote ?? '', 'aria-label': t('targetsOpenPassage', { what: where }), onclick: () => open(row) }, row.value),
        ),
        h('td', { class: 'col-qualifier' }, qualifierText(row.qualifier)),
      );
    }),
  );
  return h(
    'table',
    { class: 'targets-table' },
    h('caption', { class: 'sr-only' }, options.caption ?? t('targetsTableCaption')),
    h(
      'thead',
      {},
      h('tr', {}, showRegion ? h('th', { scope: 'col', class: 'col-region' }, t('targetsColumnRegion')) : null, showIndicator ? h('th', { scope: 'col', class: 'col-indicator' }, t('targetsColumnIndicator')) : null, valueHeader, h('th', { scope: 'col', class: 'col-qualifier' }, t('targetsColumnQualifier'))),
    ),
    body,
  );
}
