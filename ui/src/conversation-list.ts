// The list of kept conversations: search them, open one (at the answer a search found), rename it in place,
// delete it (with undo).
import type { ConversationStore, ConversationSummary } from './conversation-store.ts';
import { clear, h } from './dom.ts';
import { formatDate } from './export-markdown.ts';
import { t } from './i18n.ts';

export interface ConversationListDependencies {
  root: HTMLElement;
  toggle: HTMLButtonElement;
  store: ConversationStore;
  currentId: () => string | null;
  open: (id: string, exchangeId?: string) => void;
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
      void render().then(() => {
        // Keyboard users land on the search box (or the rename box when one is being renamed).
        root.querySelector<HTMLElement>('.history-rename-input, .history-search')?.focus({ preventScroll: true });
      });
    }
  }

  let query = '';
  let rendering = 0;
  const searchBox = h('input', { type: 'search', class: 'history-search', autocomplete: 'off' }) as HTMLInputElement;
  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  searchBox.addEventListener('input', () => {
    clearTimeout(searchTimer);
    // Searched as the reader types, a moment after the last key.
    searchTimer = setTimeout(() => {
      query = searchBox.value.trim();
      void render();
    }, 200);
  });
  searchBox.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && searchBox.value) {
      event.stopPropagation();
      searchBox.value = '';
      query = '';
      void render();
    }
  });

  async function render(): Promise<void> {
    const turn = ++rendering;
    let conversations: ConversationSummary[];
    try {
      conversations = await store.list(query);
    } catch {
      conversations = [];
    }
    if (turn !== rendering) return;
    const focused = document.activeElement === searchBox;
    searchBox.placeholder = t('historySearchPlaceholder');
    searchBox.setAttribute('aria-label', t('historySearch'));
    clear(root);
    root.appendChild(h('h2', { class: 'history-title' }, t('historyTitle')));
    root.appendChild(searchBox);
    if (focused) searchBox.focus();
    root.dataset.state = 'loaded';
    if (conversations.length === 0) {
      root.appendChild(h('p', { class: 'history-empty muted' }, query ? t('historyNoMatch', { query }) : t('historyEmpty')));
      return;
    }
    root.appendChild(h('ul', { class: 'history-list' }, conversations.map(item)));
    root.querySelector<HTMLInputElement>('.history-rename-input')?.select();
  }

  function item(conversation: ConversationSummary): HTMLElement {
    const current = conversation.id === dependencies.currentId();
    const row = h('li', { class: `history-item${current ? ' current' : ''}`, 'data-conversation-id': conversation.id });
    if (renaming === conversation.id) {
      const input = h('input', { type: 'text', class: 'history-rename-input', value: conversation.title, maxlength: 80, 'aria-label': t('rename') });
      const save = h('button', { type: 'submit', class: 'primary small history-rename-save' }, t('renameSave'));
      const cancel = h('button', { type: 'button', class: 'ghost small' }, t('renameCancel'));
      const form = h('form', { class: 'history-rename' }, input, save, cancel);
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        renaming = null;
        void store.rename(conversation.id, input.value).then(() => render());
      });
      cancel.addEventListener('click', () => {
        renaming = null;
        void render();
      });
      input.addEventListener('keydown', (event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          renaming = null;
          void render();
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
        `${formatDate(conversation.updatedAt)} · ${t('historyCount', { count: conversation.exchanges })}`,
        current ? h('span', { class: 'history-current' }, t('historyCurrent')) : null,
        conversation.shared ? h('span', { class: 'history-shared' }, t('shareConversation')) : null,
      ),
      conversation.match && conversation.match.field !== 'title' ? h('span', { class: 'history-match' }, highlight(conversation.match.text, query)) : null,
    );
    openButton.addEventListener('click', () => {
      setOpen(false);
      dependencies.open(conversation.id, conversation.match?.exchangeId || undefined);
    });
    const renameButton = h('button', { type: 'button', class: 'ghost small history-rename-button' }, t('rename'));
    renameButton.addEventListener('click', () => {
      renaming = conversation.id;
      void render();
    });
    const deleteButton = h('button', { type: 'button', class: 'ghost small danger history-delete' }, t('deleteConversation'));
    deleteButton.addEventListener('click', async () => {
      const removed = await store.remove(conversation.id);
      if (!removed) return;
      if (current) dependencies.removedCurrent();
      await render();
      dependencies.undoable(t('deleted', { title: removed.title }), async () => {
        store.save(removed);
        await store.flush().catch(() => undefined);
        if (current) dependencies.open(removed.id);
        if (isOpen()) void render();
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
    if (isOpen()) void render();
  });
  return {
    close: () => setOpen(false),
    refresh: () => {
      if (isOpen()) void render();
    },
  };
}

/** The snippet with the searched words marked. */
function highlight(text: string, query: string): Node[] {
  if (!query) return [document.createTextNode(text)];
  const at = text.toLowerCase().indexOf(query.toLowerCase());
  if (at < 0) return [document.createTextNode(text)];
  return [document.createTextNode(text.slice(0, at)), h('mark', {}, text.slice(at, at + query.length)), document.createTextNode(text.slice(at + query.length))];
}
