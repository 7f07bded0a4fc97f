// The region picker: leave it on detection, or pin the question to one region or several (checked in a list
// that filters as you type). Several regions are sent by naming them before the question, so the answer
// covers each; the priorities view takes the first.
import { clear, h } from './dom.ts';
import { t } from './i18n.ts';
import type { RegionInfo } from './api.ts';
import { displayRegion } from './regions.ts';

export interface RegionPicker {
  /** The chosen canonical region names, comma-separated, or '' for detection. */
  value(): string;
  setValue(region: string): void;
  render(regions: RegionInfo[]): void;
}

export function createRegionPicker(root: HTMLElement, onChange: (value: string) => void): RegionPicker {
  let regions: RegionInfo[] = [];
  let chosen: string[] = [];
  let filter = '';
  const button = h('button', { type: 'button', id: 'region-button', class: 'region-button', 'aria-haspopup': 'dialog', 'aria-expanded': 'false', 'aria-controls': 'region-popover' });
  const popover = h('div', { id: 'region-popover', class: 'region-popover', role: 'dialog', hidden: true });
  const search = h('input', { type: 'search', class: 'region-filter', autocomplete: 'off' }) as HTMLInputElement;
  const list = h('div', { class: 'region-options' });
  const clearButton = h('button', { type: 'button', class: 'ghost small region-clear' });
  popover.append(h('div', { class: 'region-popover-head' }, search, clearButton), list);
  root.replaceChildren(button, popover);

  function label(): void {
    const names = chosen.map(displayRegion);
    button.textContent = names.length === 0 ? t('regionAuto') : names.length <= 2 ? names.join('、') : t('regionsSome', { first: names[0]!, count: names.length });
    button.title = names.length > 0 ? names.join('、') : t('regionAuto');
    button.classList.toggle('pinned', names.length > 0);
    button.dataset.value = chosen.join(',');
  }

  function renderOptions(): void {
    clear(list);
    search.placeholder = t('regionFilter');
    search.setAttribute('aria-label', t('regionFilter'));
    clearButton.textContent = t('regionAuto');
    const available = regions.filter((info) => info.inCorpus && (!filter || info.region.includes(filter) || displayRegion(info.region).toLowerCase().includes(filter.toLowerCase()) || info.aliases.some((alias) => alias.includes(filter))));
    const groups: [string, RegionInfo[]][] = [
      [t('regionGroupNational'), available.filter((info) => info.level === 'national')],
      [t('regionGroupProvince'), available.filter((info) => info.level === 'province')],
      [t('regionGroupCity'), available.filter((info) => info.level === 'city')],
    ];
    for (const [title, members] of groups) {
      if (members.length === 0) continue;
      list.appendChild(
        h(
          'fieldset',
          { class: 'region-group' },
          h('legend', {}, title),
          members.map((info) => {
            const box = h('input', { type: 'checkbox', value: info.region, ...(chosen.includes(info.region) ? { checked: true } : {}) });
            box.addEventListener('change', () => {
              chosen = box.checked ? [...chosen, info.region] : chosen.filter((name) => name !== info.region);
              label();
              onChange(chosen.join(','));
            });
            return h('label', { class: 'region-option' }, box, displayRegion(info.region));
          }),
        ),
      );
    }
  }

  function setOpen(open: boolean): void {
    popover.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (open) {
      renderOptions();
      search.focus();
    }
  }

  button.addEventListener('click', (event) => {
    event.stopPropagation();
    setOpen(popover.hidden);
  });
  search.addEventListener('input', () => {
    filter = search.value.trim();
    renderOptions();
  });
  clearButton.addEventListener('click', () => {
    chosen = [];
    label();
    renderOptions();
    onChange('');
  });
  document.addEventListener('click', (event) => {
    if (!popover.hidden && !event.composedPath().includes(root)) setOpen(false);
  });
  popover.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      setOpen(false);
      button.focus();
    }
  });

  label();
  return {
    value: () => chosen.join(','),
    setValue(region) {
      chosen = region ? region.split(',').filter((name) => regions.length === 0 || regions.some((info) => info.region === name && info.inCorpus)) : [];
      label();
    },
    render(next = regions) {
      regions = next;
      chosen = chosen.filter((name) => regions.some((info) => info.region === name && info.inCorpus));
      label();
      if (!popover.hidden) renderOptions();
    },
  };
}
