// Light or dark: following the system (prefers-color-scheme) unless the reader picks one with the switch;
// the choice is kept in localStorage and shown on <html data-theme>.
import { t } from './i18n.ts';

export type Theme = 'system' | 'light' | 'dark';
const storageKey = 'gov-report-assistant.theme';
const order: Theme[] = ['system', 'light', 'dark'];

function stored(): Theme {
  try {
    const value = localStorage.getItem(storageKey);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}

/** The theme in force now: the reader's choice, else the system's. */
export function effectiveTheme(theme: Theme = stored()): 'light' | 'dark' {
  if (theme !== 'system') return theme;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function apply(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  document.documentElement.dataset.colorScheme = effectiveTheme(theme);
  document.querySelector('meta[name="theme-color"]')?.setAttribute('content', effectiveTheme(theme) === 'dark' ? '#17191d' : '#f6f4ef');
}

/** Applies the kept theme at once, and makes `button` cycle system → light → dark. */
export function setUpTheme(button: HTMLButtonElement): { refresh(): void } {
  let theme = stored();
  const label = (): void => {
    const name = t(theme === 'system' ? 'themeSystem' : theme === 'light' ? 'themeLight' : 'themeDark');
    button.textContent = theme === 'system' ? '◐' : theme === 'light' ? '☀' : '☾';
    button.title = `${t('themeLabel')}：${name}`;
    button.setAttribute('aria-label', `${t('themeLabel')}: ${name}`);
    button.dataset.theme = theme;
  };
  apply(theme);
  label();
  button.addEventListener('click', () => {
    theme = order[(order.indexOf(theme) + 1) % order.length]!;
    try {
      localStorage.setItem(storageKey, theme);
    } catch {
      // private mode: the choice lasts for this page only
    }
    apply(theme);
    label();
  });
  window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener('change', () => apply(theme));
  return { refresh: label };
}
