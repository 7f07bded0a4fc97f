// The list of conversations kept in this browser: open one, rename it in place, delete it (with undo).
import type { SavedConversation } from './answer-types.ts';
import type { ConversationStore } from './conversation-store.ts';
import { clear, h } from './dom.ts';
import { formatDate } from './export-markdown.ts';
import { t } from './i18n.ts';

export interface ConversationListDependencies {
  root: HTMLElement;
  toggle: HTMLButtonElement;
  store: ConversationStore;
  currentId: () => string | null;
  open: (id: string) => void;
  /** The conversation on screen was deleted. */
  removedCurrent: () => void;
  undoable: (message: string, undo: () => void) => void;
}

export interface ConversationList {
  close(): void;
  refresh(): void;
}

export function createConversationList(dependencies: ConversationListDependencies): ConversationList {
  const { root, toggle, store } = dependencies;
  let renaming: string | null = null;

  function isOpen(): boolean {
    return !root.hidden;
  }

  function setOpen(open: boolean): void {
    root.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    if (open) {
      render();
      // Keyboard users land on the first conversation (or the rename box when one is being renamed).
      root.querySelector<HTMLElement>('.history-rename-input, .history-open')?.focus({ preventScroll: true });
    }
  }

  function render(): void {
    clear(root);
    const conversations = store.list();
    root.appendChild(h('h2', { class: 'history-title' }, t('historyTitle')));
    if (conversations.length === 0) {
      root.appendChild(h('p', { class: 'history-empty muted' }, t('historyEmpty')));
      return;
    }
    root.appendChild(h('ul', { class: 'history-list' }, conversations.map(item)));
    root.querySelector<HTMLInputElement>('.history-rename-input')?.select();
  }

  function item(conversation: SavedConversation): HTMLElement {
    const current = conversation.id === dependencies.currentId();
    const row = h('li', { class: `history-item${current ? ' current' : ''}`, 'data-conversation-id': conversation.id });
    if (renaming === conversation.id) {
      const input = h('input', { type: 'text', class: 'history-rename-input', value: conversation.title, maxlength: 80, 'aria-label': t('rename') });
      const save = h('button', { type: 'submit', class: 'primary small history-rename-save' }, t('renameSave'));
      const cancel = h('button', { type: 'button', class: 'ghost small' }, t('renameCancel'));
      const form = h('form', { class: 'history-rename' }, input, save, cancel);
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        store.rename(conversation.id, input.value);
        renaming = null;
        render();
      });
      cancel.addEventListener('click', () => {
        renaming = null;
        render();
      });
      input.addEventListener('keydown', (event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          renaming = null;
          render();
        }
      });
      row.appendChild(form);
      return row;
    }
    const openButton = h(
      'button',
      { type: 'button', class: 'history-open' },
      h('span', { class: 'history-name' }, conversation.title),
      h(
        'span',
        { class: 'history-meta' },
        `${formatDate(conversation.updatedAt)} · ${t('historyCount', { count: conversation.exchanges.length })}`,
        current ? h('span', { class: 'history-current' }, t('historyCurrent')) : null,
      ),
    );
    openButton.addEventListener('click', () => {
      setOpen(false);
      dependencies.open(conversation.id);
    });
    const renameButton = h('button', { type: 'button', class: 'ghost small history-rename-button' }, t('rename'));
    renameButton.addEventListener('click', () => {
      renaming = conversation.id;
      render();
    });
    const deleteButton = h('button', { type: 'button', class: 'ghost small danger history-delete' }, t('deleteConversation'));
    deleteButton.addEventListener('click', () => {
      const removed = store.remove(conversation.id);
      if (!removed) return;
      if (current) dependencies.removedCurrent();
      render();
      dependencies.undoable(t('deleted', { title: removed.title }), () => {
        store.save(removed);
        if (current) dependencies.open(removed.id);
        if (isOpen()) render();
      });
    });
    row.append(openButton, h('span', { class: 'history-actions' }, renameButton, deleteButton));
    return row;
  }

  toggle.addEventListener('click', (event) => {
    event.stopPropagation();
    setOpen(!isOpen());
  });
  document.addEventListener('click', (event) => {
    const path = event.composedPath();
    if (isOpen() && !path.includes(root) && !path.some((node) => node instanceof Element && node.classList.contains('toast'))) setOpen(false);
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && isOpen()) {
      setOpen(false);
      toggle.focus();
    }
  });
  store.onChange(() => {
    if (isOpen()) render();
  });
  return {
    close: () => setOpen(false),
    refresh: () => {
      if (isOpen()) render();
    },
  };
}
