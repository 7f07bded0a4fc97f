// A short message at the bottom of the page, with one optional action (undo), that goes away by itself.
import { h } from './dom.ts';
import { t } from './i18n.ts';

export interface Toaster {
  show(message: string, undo?: () => void): void;
}

export function createToaster(root: HTMLElement): Toaster {
  let timer: ReturnType<typeof setTimeout> | undefined;
  function hide(): void {
    root.replaceChildren();
    root.hidden = true;
  }
  return {
    show(message, undo) {
      clearTimeout(timer);
      const text = h('span', { class: 'toast-text' }, message);
      const button = undo ? h('button', { type: 'button', class: 'toast-undo' }, t('undo')) : null;
      button?.addEventListener('click', () => {
        hide();
        undo?.();
      });
      root.replaceChildren(h('div', { class: 'toast' }, text, button));
      root.hidden = false;
      // Long enough to read and reach the button: 8 s with an action, 4 s without.
      timer = setTimeout(hide, undo ? 8000 : 4000);
    },
  };
}
