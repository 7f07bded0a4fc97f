// The 目标一览 page: filters (report year when the corpus holds several, indicator, level, region group),
// the targets table (sortable by value; the region and the value open the cited passage), CSV export, and
// beside it one indicator's chart with tooltips and keyboard access. The national row is kept off the
// scale of absolute indicators.
import { BarChart } from 'echarts/charts';
import { GridComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { REGION_GROUPS } from '../../src/corpus/region-groups.ts';
import type { RegionLevel, RegionTargets } from '../../src/types.ts';
import { ApiError, downloadWithKey, fetchTargets } from './api.ts';
import { clear, h } from './dom.ts';
import { describeError, getLanguage, messages, t } from './i18n.ts';
import { escapeHtml } from './markdown.ts';
import type { PassageReference } from './passage-panel.ts';
import { displayRegion } from './regions.ts';
import { apiKey } from './api-key.ts';
import { buildChartData, csvFileName, csvUrl, entryYears, filterRows, flattenTargets, nationalRegion, presentIndicators, shortRegion, sortRows, type ChartData, type SortOrder, type TableRow, type TargetsFilter } from './targets-data.ts';
import { createTargetsTable, qualifierText, rowLabel } from './targets-table.ts';

echarts.use([BarChart, GridComponent, TooltipComponent, MarkLineComponent, CanvasRenderer]);

const colors = { bar: '#7d8fa3', barHover: '#55687d', focus: '#35597a', national: '#b8352a', line: '#b8352a', text: '#3d4650', grid: '#e8e4dc' };

export interface TargetsView {
  show(): void;
  refresh(): void;
  /** The corpus changed (a report added or removed): the table is read again when next shown. */
  invalidate(): void;
}

/** A chart axis label: a short region name (江苏, 广西) so that labels fit a phone, with the scope for split rows. */
function axisLabel(row: TableRow): string {
  const name = getLanguage() === 'en' ? displayRegion(row.region) : shortRegion(row.region);
  if (row.scope === 'all') return name;
  return `${name}·${t(row.scope === 'urban' ? 'targetsScopeUrban' : 'targetsScopeRural')}`;
}

export function createTargetsView(root: HTMLElement, openPriorities: (region: string) => void, openPassage: (reference: PassageReference) => void): TargetsView {
  let data: TableRow[] | null = null;
  const filter: TargetsFilter = { indicator: 'gdp_growth', level: '', group: '' };
  /** The report year asked for (undefined: each region's latest), the years the corpus holds, and those the rows are of. */
  let year: number | undefined;
  let years: number[] = [];
  let shownYears: number[] = [];
  let sort: SortOrder = 'desc';
  let chart: echarts.ECharts | null = null;
  let loading: Promise<void> | null = null;
  let focused = -1;
  const chartBox = h('div', { class: 'chart', role: 'application', tabindex: '0' });
  const resizeObserver = new ResizeObserver(() => chart?.resize());
  resizeObserver.observe(chartBox);

  /** The years the page is of, as written in its title: `2024`, `2024、2025`; '' before anything is known. */
  function yearText(): string {
    const shown = year !== undefined ? [year] : shownYears;
    return shown.join(t('yearsSeparator'));
  }

  function header(): HTMLElement {
    const text = yearText();
    const title = text ? t('targetsTitleYear', { year: text }) : t('targetsTitle');
    const intro = text ? t('targetsIntroYear', { year: text }) : t('targetsIntro');
    return h('header', { class: 'view-header' }, h('div', { class: 'view-heading' }, h('h2', {}, title), h('p', { class: 'view-intro' }, intro)));
  }

  /** The year selector, only when the corpus holds more than one year (with one, the page is as it always was). */
  function yearSelect(): HTMLElement | null {
    if (years.length < 2) return null;
    const options: [string, string][] = [['', t('targetsYearLatest')], ...[...years].reverse().map((option): [string, string] => [String(option), t('yearOption', { year: option })])];
    return select('targets-year', t('targetsYear'), year === undefined ? '' : String(year), options, (value) => {
      year = value ? Number(value) : undefined;
      data = null;
      loading = load();
    });
  }

  function select(id: string, label: string, value: string, options: [string, string][], onChange: (value: string) => void): HTMLElement {
    const element = h('select', { id, class: 'targets-filter' }, options.map(([optionValue, text]) => h('option', { value: optionValue }, text)));
    element.value = value;
    element.addEventListener('change', () => onChange(element.value));
    return h('label', { class: 'filter-field' }, h('span', { class: 'filter-label' }, label), element);
  }

  function filters(indicators: string[]): HTMLElement {
    const labels = messages().indicators;
    const english = getLanguage() === 'en';
    return h(
      'div',
      { class: 'targets-filters', role: 'group', 'aria-label': t('targetsFilters') },
      yearSelect(),
      select('targets-indicator', t('targetsIndicator'), filter.indicator, [['', t('targetsAllIndicators')], ...indicators.map((id): [string, string] => [id, labels[id] ?? id])], (value) => {
        filter.indicator = value;
        render();
      }),
      select('targets-level', t('targetsLevel'), filter.level, [['', t('targetsAllLevels')], ['national', t('regionGroupNational')], ['province', t('regionGroupProvince')], ['city', t('regionGroupCity')]], (value) => {
        filter.level = value as RegionLevel | '';
        render();
      }),
      select('targets-group', t('targetsGroup'), filter.group, [['', t('targetsAllGroups')], ...REGION_GROUPS.map((group): [string, string] => [group.id, english ? (group.english[0] ?? group.name) : group.name])], (value) => {
        filter.group = value;
        render();
      }),
      withKey(h('a', { class: 'ghost small csv-link', href: csvUrl(filter, year), download: csvFileName(year !== undefined ? [year] : shownYears, filter), 'data-csv': 'true' }, t('targetsCsv'))),
    );
  }

  function render(): void {
    const scroll = root.parentElement?.scrollTop ?? 0;
    const hadFocus = document.activeElement instanceof HTMLElement && root.contains(document.activeElement) ? document.activeElement.id : '';
    clear(root);
    root.appendChild(header());
    if (!data) return;
    const indicators = presentIndicators(data);
    if (filter.indicator && !indicators.includes(filter.indicator)) filter.indicator = indicators[0] ?? '';
    root.appendChild(filters(indicators));
    const rows = sortRows(filterRows(data, filter), sort);
    root.dataset.rows = String(rows.length);
    const caption = yearText() ? t('targetsTableCaptionYear', { year: yearText() }) : t('targetsTableCaption');
    const table = rows.length > 0
      ? h('div', { class: 'table-scroll' }, createTargetsTable({ rows, sort, onSort: (next) => { sort = next; render(); root.querySelector<HTMLElement>('.sort-button')?.focus(); }, openPassage, showRegion: true, showIndicator: !filter.indicator || rows.some((row) => row.scope !== 'all'), caption }))
      : h('p', { class: 'muted' }, t('targetsNoRows'));
    const chartPane = h('div', { class: 'targets-chart-pane' });
    const layout = h('div', { class: 'targets-layout' }, h('section', { class: 'targets-table-pane', 'aria-label': caption }, h('p', { class: 'table-caption' }, t('targetsRowsCount', { count: rows.length })), table), chartPane);
    root.appendChild(layout);
    renderChart(chartPane, rows);
    if (root.parentElement) root.parentElement.scrollTop = scroll;
    if (hadFocus) root.querySelector<HTMLElement>(`#${CSS.escape(hadFocus)}`)?.focus();
  }

  function renderChart(pane: HTMLElement, rows: TableRow[]): void {
    if (!filter.indicator) {
      chart?.clear();
      pane.appendChild(h('p', { class: 'muted chart-hint' }, t('targetsChartPick')));
      return;
    }
    const chartData = buildChartData(rows);
    const label = messages().indicators[filter.indicator] ?? filter.indicator;
    pane.appendChild(h('h3', { class: 'chart-title' }, label, chartData.unit && chartData.unit !== '%' ? ` · ${chartData.unit}` : ''));
    const national = chartData.national;
    if (national) {
      pane.appendChild(
        h(
          'p',
          { class: 'chart-caption national-caption' },
          `${t('targetsNational')}${getLanguage() === 'en' ? ': ' : '：'}`,
          h('button', { type: 'button', class: 'link-button value-link', 'data-passage-id': national.passageId, onclick: () => openPassage({ id: national.passageId, region: national.region }) }, national.value),
          chartData.nationalOnScale ? ` · ${t('targetsNationalLine')}` : ` · ${t('targetsNationalApart')}`,
        ),
      );
    }
    pane.appendChild(chartBox);
    chartBox.dataset.indicator = filter.indicator;
    chartBox.dataset.count = String(chartData.rows.length);
    chartBox.dataset.national = national ? (chartData.nationalOnScale ? 'line' : 'apart') : 'none';
    chartBox.setAttribute('aria-label', `${label}: ${t('targetsChartKeys')}`);
    if (chartData.rows.length === 0) {
      chart?.clear();
      chartBox.style.height = '0';
      pane.appendChild(h('p', { class: 'muted' }, t('targetsEmpty')));
      return;
    }
    const live = h('p', { class: 'sr-only', 'aria-live': 'polite', id: 'targets-chart-live' });
    pane.appendChild(live);
    chartBox.style.height = `${Math.max(200, chartData.rows.length * 26 + 50)}px`;
    focused = -1;
    drawChart(chartData, live);
  }

  function drawChart(chartData: ChartData, live: HTMLElement): void {
    chart ??= echarts.init(chartBox, undefined, { renderer: 'canvas' });
    chart.resize();
    const { rows, unit, national, nationalOnScale } = chartData;
    // ECharts draws the first category at the bottom; reverse so the highest target is on top.
    const ordered = [...rows].reverse();
    const narrow = chartBox.clientWidth < 480;
    // The whole row is the hit area, not just the bar: short bars and phone fingers both need it.
    const rowAt = (x: number, y: number): TableRow | undefined => {
      if (!chart?.containPixel('grid', [x, y])) return undefined;
      const index = Math.round(Number(chart.convertFromPixel({ yAxisIndex: 0 }, y)));
      return ordered[index];
    };
    const surface = chart.getZr();
    surface.off('click');
    surface.off('mousemove');
    surface.on('click', (event: { offsetX: number; offsetY: number }) => {
      const row = rowAt(event.offsetX, event.offsetY);
      if (row) openPriorities(row.region);
    });
    surface.on('mousemove', (event: { offsetX: number; offsetY: number }) => {
      surface.setCursorStyle(rowAt(event.offsetX, event.offsetY) ? 'pointer' : 'default');
    });
    const describe = (row: TableRow): string => `${displayRegion(row.region)} · ${rowLabel(row)}：${row.value}`;
    // Keyboard: ↑/↓ (or ←/→) move along the bars and show the tooltip; Enter opens the region's priorities.
    chartBox.onkeydown = (event: KeyboardEvent) => {
      if (!chart || ordered.length === 0) return;
      const step = event.key === 'ArrowDown' || event.key === 'ArrowRight' ? 1 : event.key === 'ArrowUp' || event.key === 'ArrowLeft' ? -1 : 0;
      if (step !== 0) {
        event.preventDefault();
        // Visual order is top (highest) to bottom; `ordered` is bottom to top.
        const visual = focused < 0 ? (step > 0 ? 0 : rows.length - 1) : Math.min(rows.length - 1, Math.max(0, rows.length - 1 - focused + step));
        focused = rows.length - 1 - visual;
        chart.dispatchAction({ type: 'showTip', seriesIndex: 0, dataIndex: focused });
        chart.dispatchAction({ type: 'downplay', seriesIndex: 0 });
        chart.dispatchAction({ type: 'highlight', seriesIndex: 0, dataIndex: focused });
        const row = ordered[focused];
        chartBox.dataset.focused = row ? `${row.region}:${row.scope}` : '';
        if (row) live.textContent = describe(row);
      } else if (event.key === 'Enter' && focused >= 0) {
        const row = ordered[focused];
        if (row) openPriorities(row.region);
      } else if (event.key === 'Escape') {
        chart.dispatchAction({ type: 'hideTip' });
      }
    };
    chartBox.onblur = () => chart?.dispatchAction({ type: 'hideTip' });
    chart.setOption(
      {
        animationDuration: 300,
        grid: { left: 4, right: narrow ? 64 : 80, top: 12, bottom: 8, containLabel: true },
        tooltip: {
          trigger: 'item',
          confine: true,
          formatter: (params: unknown) => {
            const row = ordered[(params as { dataIndex: number }).dataIndex];
            if (!row) return '';
            const colon = getLanguage() === 'en' ? ': ' : '：';
            const qualifier = row.qualifier ? `<br>${escapeHtml(t('targetsColumnQualifier'))}${colon}${escapeHtml(qualifierText(row.qualifier))}` : '';
            return `<strong>${escapeHtml(displayRegion(row.region))}</strong><br>${escapeHtml(rowLabel(row))}<br>${escapeHtml(t('targetsOriginal'))}${colon}${escapeHtml(row.value)}${qualifier}<br><span style="color:#7d858e">${escapeHtml(t('targetsChartClick'))}</span>`;
          },
        },
        xAxis: {
          type: 'value',
          axisLabel: { color: colors.text, fontSize: narrow ? 10 : 12, formatter: `{value}${unit === '%' ? '%' : ''}` },
          splitLine: { lineStyle: { color: colors.grid } },
          splitNumber: narrow ? 3 : 5,
        },
        yAxis: {
          type: 'category',
          data: ordered.map(axisLabel),
          axisTick: { show: false },
          axisLine: { lineStyle: { color: colors.grid } },
          axisLabel: { color: colors.text, fontSize: narrow ? 11 : 13, width: narrow ? 64 : 110, overflow: 'truncate' },
        },
        series: [
          {
            type: 'bar',
            barMaxWidth: 14,
            cursor: 'pointer',
            data: ordered.map((row) => ({
              value: row.rank,
              itemStyle: { color: row.region === nationalRegion ? colors.national : colors.bar, borderRadius: [0, 3, 3, 0] },
              emphasis: { itemStyle: { color: row.region === nationalRegion ? colors.national : colors.focus } },
            })),
            label: { show: true, position: 'right', color: colors.text, fontSize: narrow ? 10 : 12, formatter: (params: { dataIndex: number }) => ordered[params.dataIndex]?.value ?? '' },
            markLine:
              national && nationalOnScale
                ? {
                    symbol: 'none',
                    silent: true,
                    lineStyle: { color: colors.line, type: 'dashed', width: 1.5 },
                    // The caption above the chart names the national target; a label on the line would cross the bars.
                    label: { show: false },
                    data: [{ xAxis: national.rank }],
                  }
                : undefined,
          },
        ],
      },
      { notMerge: true },
    );
  }

  async function load(): Promise<void> {
    clear(root);
    root.append(header(), h('p', { class: 'loading-line' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), t('targetsLoading')));
    root.dataset.state = 'loading';
    const asked = year;
    try {
      const response = await fetchTargets(asked);
      // A later choice of year is loading: this answer is not the one on show.
      if (asked !== year) return;
      years = response.years ?? [];
      shownYears = entryYears(response.regions);
      data = flattenTargets(response.regions as (RegionTargets & { level?: RegionLevel })[]);
      root.dataset.state = 'loaded';
      root.dataset.years = years.join(',');
      render();
    } catch (error) {
      loading = null;
      if (asked !== year) return;
      root.dataset.state = 'error';
      const message = error instanceof ApiError ? describeError(error.code, error.message) : String(error);
      clear(root);
      root.append(header(), h('p', { class: 'note error', role: 'alert' }, t('targetsFailed', { message })));
    }
  }

  return {
    show() {
      if (!data) loading ??= load();
      else chart?.resize();
    },
    refresh() {
      if (data) render();
    },
    invalidate() {
      data = null;
      loading = null;
    },
  };
}

/** A link cannot send a header: with an API key the download is fetched with it and saved from memory. */
function withKey(link: HTMLAnchorElement): HTMLAnchorElement {
  link.addEventListener('click', (event) => {
    if (!apiKey()) return;
    event.preventDefault();
    void downloadWithKey(link.getAttribute('href') ?? '', link.download);
  });
  return link;
}
