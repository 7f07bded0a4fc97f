// The region select: leave it on detection, or pin the question (and the priorities view) to one region.
import { clear, h } from './dom.ts';
import { t } from './i18n.ts';
import type { RegionInfo } from './api.ts';
import { displayRegion } from './regions.ts';

export interface RegionPicker {
  /** The chosen canonical region name, or '' for detection. */
  value(): string;
  setValue(region: string): void;
  render(regions: RegionInfo[]): void;
}

export function createRegionPicker(select: HTMLSelectElement, onChange: (region: string) => void): RegionPicker {
  let regions: RegionInfo[] = [];

  function render(next: RegionInfo[] = regions): void {
    regions = next;
    const chosen = select.value;
    clear(select);
    select.appendChild(h('option', { value: '' }, t('regionAuto')));
    const available = regions.filter((info) => info.inCorpus);
    const groups: [string, RegionInfo[]][] = [
      [t('regionGroupNational'), available.filter((info) => info.level === 'national')],
      [t('regionGroupProvince'), available.filter((info) => info.level === 'province')],
      [t('regionGroupCity'), available.filter((info) => info.level === 'city')],
    ];
    for (const [label, members] of groups) {
      if (members.length === 0) continue;
      select.appendChild(
        h('optgroup', { label }, members.map((info) => h('option', { value: info.region }, displayRegion(info.region)))),
      );
    }
    select.value = chosen;
    if (select.value !== chosen) select.value = '';
  }

  select.addEventListener('change', () => onChange(select.value));
  return {
    value: () => select.value,
    setValue(region) {
      select.value = region;
      if (select.value !== region) select.value = '';
    },
    render,
  };
}
