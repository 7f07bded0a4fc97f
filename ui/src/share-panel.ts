// The conversation bar's share panel: what a share link shows (the conversation so far, read-only, with its
// sources), the link to copy, and revoking it.
import { copyText } from './copy-markdown.ts';
import { h } from './dom.ts';
import { t } from './i18n.ts';

export interface SharePanelDependencies {
  button: HTMLButtonElement;
  root: HTMLElement;
  share(): Promise<string>;
  unshare(): Promise<void>;
  notify(message: string): void;
}

export function createSharePanel(dependencies: SharePanelDependencies): { close(): void } {
  const { button, root } = dependencies;
  let link = '';

  function close(): void {
    root.hidden = true;
    button.setAttribute('aria-expanded', 'false');
  }

  function render(): void {
    const input = h('input', { type: 'text', class: 'share-url', readonly: true, value: link, 'aria-label': t('shareLink') });
    const create = h('button', { type: 'button', class: 'primary small share-create' }, link ? t('shareUpdate') : t('shareCreate'));
    create.addEventListener('click', async () => {
      create.disabled = true;
      try {
        link = await dependencies.share();
        const copied = await copyText(link);
        render();
        root.querySelector<HTMLInputElement>('.share-url')?.select();
        dependencies.notify(copied ? t('shareCopied') : link);
      } catch (error) {
        dependencies.notify(`${t('shareFailed')}: ${(error as Error).message}`);
        create.disabled = false;
      }
    });
    const revoke = h('button', { type: 'button', class: 'ghost small danger share-revoke' }, t('shareRevoke'));
    revoke.addEventListener('click', async () => {
      await dependencies.unshare();
      link = '';
      render();
      dependencies.notify(t('shareRevoked'));
    });
    root.replaceChildren(
      h('h2', { class: 'share-title' }, t('shareTitle')),
      h('p', { class: 'muted share-explain' }, t('shareExplain')),
      ...(link ? [input] : []),
      h('div', { class: 'share-buttons' }, link ? revoke : null, create),
    );
  }

  button.addEventListener('click', (event) => {
    event.stopPropagation();
    if (!root.hidden) return close();
    render();
    root.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    root.querySelector<HTMLElement>('.share-create')?.focus();
  });
  document.addEventListener('click', (event) => {
    if (!root.hidden && !event.composedPath().includes(root)) close();
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !root.hidden) {
      close();
      button.focus();
    }
  });
  return {
    close() {
      link = '';
      close();
    },
  };
}
