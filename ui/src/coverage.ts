// What the library holds, for the first screen: the year, the national report, the provinces, the cities.
// From `GET /api/reports` when the server has it (so added reports show), else from the regions in the corpus.
import { fetchReports, type ReportInfo } from './api.ts';
import { clear, h } from './dom.ts';
import { getLanguage, t } from './i18n.ts';
import { displayRegion, listRegions } from './regions.ts';

export interface Coverage {
  years: number[];
  national: boolean;
  provinces: string[];
  cities: string[];
  reports: number;
}

/** Coverage from a list of reports, or from the regions' `inCorpus` flags and report titles. */
export function describeCoverage(reports: ReportInfo[] | null): Coverage {
  if (reports && reports.length > 0) {
    const regionsOf = (level: string) => [...new Set(reports.filter((report) => report.level === level).map((report) => report.region))];
    return {
      years: [...new Set(reports.map((report) => report.year))].sort(),
      national: reports.some((report) => report.level === 'national'),
      provinces: regionsOf('province'),
      cities: regionsOf('city'),
      reports: reports.length,
    };
  }
  const held = listRegions().filter((info) => info.inCorpus);
  const years = [...new Set(held.map((info) => Number(/(\d{4})年/.exec(info.title ?? '')?.[1])).filter((year) => year > 2000))].sort();
  return {
    years,
    national: held.some((info) => info.level === 'national'),
    provinces: held.filter((info) => info.level === 'province').map((info) => info.region),
    cities: held.filter((info) => info.level === 'city').map((info) => info.region),
    reports: held.length,
  };
}

/** `苏州` for `苏州市` in Chinese; the English name in English. */
function shortName(region: string): string {
  return getLanguage() === 'en' ? displayRegion(region) : region.replace(/市$/, '');
}

/** The coverage block; it fills in when the report list arrives and says nothing it does not know. */
export function renderCoverage(): HTMLElement {
  const block = h('section', { class: 'coverage', 'aria-label': t('coverageTitle'), 'data-state': 'loading' });
  const fill = (reports: ReportInfo[] | null) => {
    const coverage = describeCoverage(reports);
    clear(block);
    block.dataset.state = 'loaded';
    block.dataset.provinces = String(coverage.provinces.length);
    block.dataset.cities = coverage.cities.join(',');
    block.dataset.years = coverage.years.join(',');
    if (coverage.reports === 0) {
      block.dataset.state = 'empty';
      return;
    }
    const parts: string[] = [];
    if (coverage.national) parts.push(t('coverageNational'));
    if (coverage.provinces.length > 0) parts.push(t('coverageProvinces', { count: coverage.provinces.length }));
    if (coverage.cities.length > 0) {
      const names = coverage.cities.map(shortName).join(getLanguage() === 'en' ? ', ' : '、');
      parts.push(t('coverageCities', { count: coverage.cities.length, names }));
    }
    const year = coverage.years.length > 0 ? coverage.years.join('、') : '';
    block.append(
      h('h3', { class: 'coverage-title' }, t('coverageTitle'), year ? h('span', { class: 'coverage-year' }, t('coverageYear', { year })) : null),
      h('ul', { class: 'coverage-parts' }, parts.map((part) => h('li', {}, part))),
      h('p', { class: 'coverage-count' }, t('coverageReports', { count: coverage.reports })),
      h(
        'details',
        { class: 'coverage-all' },
        h('summary', {}, t('coverageShowAll')),
        h(
          'p',
          { class: 'coverage-regions' },
          [...(coverage.national ? ['全国'] : []), ...coverage.provinces, ...coverage.cities].map((region) =>
            h('a', { class: 'chip region-chip', href: `#/priorities/${encodeURIComponent(region)}` }, displayRegion(region)),
          ),
        ),
      ),
    );
  };
  block.appendChild(h('p', { class: 'coverage-loading muted' }, t('coverageLoading')));
  if (listRegions().length > 0) fill(null);
  fetchReports().then(
    (reports) => {
      if (reports) fill(reports);
      else if (listRegions().length > 0) fill(null);
    },
    () => {
      if (listRegions().length > 0) fill(null);
    },
  );
  return block;
}
