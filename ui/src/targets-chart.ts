// The targets at a glance: one indicator's 2024 target in every region as a bar chart, the national target marked.
import { BarChart } from 'echarts/charts';
import { GridComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { RegionTargets } from '../../src/types.ts';
import { ApiError, fetchTargets } from './api.ts';
import { clear, h } from './dom.ts';
import { describeError, messages, t } from './i18n.ts';
import { escapeHtml } from './markdown.ts';
import { parseTargetValue } from './numbers.ts';
import { displayRegion } from './regions.ts';

echarts.use([BarChart, GridComponent, TooltipComponent, MarkLineComponent, CanvasRenderer]);

const nationalRegion = '全国';
const indicatorOrder = [
  'gdp_growth', 'cpi', 'unemployment', 'urban_jobs', 'budget_revenue', 'fixed_investment',
  'retail_sales', 'trade', 'income', 'rd_intensity', 'grain',
];
const colors = { bar: '#7d8fa3', barHover: '#55687d', national: '#b8352a', line: '#b8352a', text: '#3d4650', grid: '#e8e4dc' };

export interface ChartRow {
  region: string;
  value: number;
  unit: string;
  written: string;
  passageId: string;
}

/** The rows of one indicator that have a number, highest first; the unit is the most common one. */
export function buildChartRows(data: RegionTargets[], indicator: string): { rows: ChartRow[]; unit: string } {
  const all: ChartRow[] = [];
  for (const entry of data) {
    const row = entry.targets.find((target) => target.indicator === indicator);
    const parsed = row ? parseTargetValue(row.value) : null;
    if (!row || !parsed) continue;
    all.push({ region: entry.region, value: parsed.value, unit: parsed.unit, written: row.value, passageId: row.passageId });
  }
  const unitCounts = new Map<string, number>();
  for (const row of all) unitCounts.set(row.unit, (unitCounts.get(row.unit) ?? 0) + 1);
  const unit = [...unitCounts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
  // Rows in another unit (万人 among 亿元) cannot share an axis; they are left out.
  const rows = all.filter((row) => row.unit === unit).sort((a, b) => b.value - a.value);
  return { rows, unit };
}

export interface TargetsView {
  show(): void;
  refresh(): void;
}

export function createTargetsView(root: HTMLElement, openPriorities: (region: string) => void): TargetsView {
  let data: RegionTargets[] | null = null;
  let indicator = 'gdp_growth';
  let chart: echarts.ECharts | null = null;
  let loading: Promise<void> | null = null;
  const chartBox = h('div', { class: 'chart', role: 'img' });
  const resizeObserver = new ResizeObserver(() => chart?.resize());
  resizeObserver.observe(chartBox);

  function availableIndicators(): string[] {
    const present = new Set<string>();
    for (const entry of data ?? []) {
      for (const target of entry.targets) if (parseTargetValue(target.value)) present.add(target.indicator);
    }
    const known = indicatorOrder.filter((name) => present.has(name));
    return [...known, ...[...present].filter((name) => !indicatorOrder.includes(name))];
  }

  function header(): HTMLElement {
    return h(
      'header',
      { class: 'view-header' },
      h('div', { class: 'view-heading' }, h('h2', {}, t('targetsTitle')), h('p', { class: 'view-intro' }, t('targetsSubtitle'))),
    );
  }

  function render(): void {
    clear(root);
    root.appendChild(header());
    if (!data) return;
    const indicators = availableIndicators();
    if (!indicators.includes(indicator) && indicators[0]) indicator = indicators[0];
    const labels = messages().indicators;
    const tabs = h('div', { class: 'indicator-tabs', role: 'tablist', 'aria-label': t('targetsIndicator') });
    for (const name of indicators) {
      const tab = h(
        'button',
        { type: 'button', role: 'tab', class: 'pill', 'data-indicator': name, 'aria-selected': String(name === indicator) },
        labels[name] ?? name,
      );
      tab.addEventListener('click', () => {
        indicator = name;
        render();
      });
      tabs.appendChild(tab);
    }
    root.appendChild(tabs);
    const { rows, unit } = buildChartRows(data, indicator);
    const national = rows.find((row) => row.region === nationalRegion);
    root.appendChild(
      h(
        'p',
        { class: 'chart-caption' },
        t('targetsRegions', { count: rows.length }),
        national ? ` · ${t('targetsNational')}：${national.written}` : '',
      ),
    );
    root.appendChild(chartBox);
    chartBox.dataset.indicator = indicator;
    chartBox.dataset.count = String(rows.length);
    chartBox.setAttribute('aria-label', `${labels[indicator] ?? indicator}: ${rows.map((row) => `${displayRegion(row.region)} ${row.written}`).join('; ')}`);
    if (rows.length === 0) {
      chart?.clear();
      chartBox.style.height = '0';
      root.appendChild(h('p', { class: 'muted' }, t('targetsEmpty')));
      return;
    }
    chartBox.style.height = `${Math.max(240, rows.length * 28 + 60)}px`;
    drawChart(rows, unit, national);
  }

  function drawChart(rows: ChartRow[], unit: string, national: ChartRow | undefined): void {
    chart ??= echarts.init(chartBox, undefined, { renderer: 'canvas' });
    chart.resize();
    // ECharts draws the first category at the bottom; reverse so the highest target is on top.
    const ordered = [...rows].reverse();
    // The whole row is the hit area, not just the bar: short bars and phone fingers both need it.
    const rowAt = (x: number, y: number): ChartRow | undefined => {
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
    chart.setOption(
      {
        animationDuration: 400,
        grid: { left: 8, right: 72, top: 30, bottom: 8, containLabel: true },
        tooltip: {
          trigger: 'item',
          formatter: (params: unknown) => {
            const row = ordered[(params as { dataIndex: number }).dataIndex];
            if (!row) return '';
            return `<strong>${escapeHtml(displayRegion(row.region))}</strong><br>${escapeHtml(t('targetsOriginal'))}：${escapeHtml(row.written)}`;
          },
        },
        xAxis: {
          type: 'value',
          position: 'bottom',
          axisLabel: { color: colors.text, formatter: `{value}${unit === '%' ? '%' : ''}` },
          splitLine: { lineStyle: { color: colors.grid } },
          name: unit && unit !== '%' ? unit : '',
        },
        yAxis: {
          type: 'category',
          data: ordered.map((row) => displayRegion(row.region)),
          axisTick: { show: false },
          axisLine: { lineStyle: { color: colors.grid } },
          axisLabel: { color: colors.text, fontSize: 13 },
        },
        series: [
          {
            type: 'bar',
            barMaxWidth: 16,
            cursor: 'pointer',
            data: ordered.map((row) => ({
              value: row.value,
              itemStyle: { color: row.region === nationalRegion ? colors.national : colors.bar, borderRadius: [0, 3, 3, 0] },
              emphasis: { itemStyle: { color: row.region === nationalRegion ? colors.national : colors.barHover } },
            })),
            label: {
              show: true,
              position: 'right',
              color: colors.text,
              fontSize: 12,
              formatter: (params: { dataIndex: number }) => ordered[params.dataIndex]?.written ?? '',
            },
            markLine: national
              ? {
                  symbol: 'none',
                  silent: true,
                  lineStyle: { color: colors.line, type: 'dashed', width: 1.5 },
                  label: { formatter: `${t('targetsNational')} ${national.written}`, color: colors.line, position: 'end' },
                  data: [{ xAxis: national.value }],
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
    try {
      data = (await fetchTargets()).regions;
      root.dataset.state = 'loaded';
      render();
    } catch (error) {
      loading = null;
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
  };
}
