// The question box: a growing textarea, send/stop, Enter to send (not while an IME is composing), inline errors.
import { onLanguageChange, t } from './i18n.ts';

export const maxQuestionLength = 1000;

export interface Composer {
  setBusy(busy: boolean): void;
  showError(message: string): void;
  clearError(): void;
  setQuestion(text: string): void;
  focus(): void;
}

export interface ComposerElements {
  form: HTMLFormElement;
  textarea: HTMLTextAreaElement;
  sendButton: HTMLButtonElement;
  error: HTMLElement;
}

export function createComposer(
  { form, textarea, sendButton, error }: ComposerElements,
  actions: { submit(question: string): boolean; stop(): void },
): Composer {
  let busy = false;

  function autosize(): void {
    textarea.style.height = 'auto';
    textarea.style.height = `${Math.min(textarea.scrollHeight, 200)}px`;
  }

  function clearError(): void {
    error.hidden = true;
    error.textContent = '';
    textarea.removeAttribute('aria-invalid');
  }

  function showError(message: string): void {
    error.textContent = message;
    error.hidden = false;
  }

  function relabel(): void {
    sendButton.textContent = t(busy ? 'stop' : 'send');
    sendButton.classList.toggle('stop', busy);
    sendButton.setAttribute('aria-label', t(busy ? 'stop' : 'send'));
  }

  function submit(): void {
    if (busy) {
      actions.stop();
      return;
    }
    const question = textarea.value.trim();
    if (!question) {
      showError(t('emptyQuestion'));
      textarea.setAttribute('aria-invalid', 'true');
      textarea.focus();
      return;
    }
    if (question.length > maxQuestionLength) {
      showError(t('questionTooLong', { max: maxQuestionLength }));
      return;
    }
    if (actions.submit(question)) {
      textarea.value = '';
      autosize();
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  textarea.addEventListener('keydown', (event) => {
    // keyCode 229: some IMEs report Enter while a candidate is still being chosen.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      submit();
    }
  });
  textarea.addEventListener('input', () => {
    autosize();
    if (!error.hidden && textarea.value.trim()) clearError();
  });

  relabel();
  onLanguageChange(relabel);
  return {
    setBusy(next) {
      busy = next;
      relabel();
    },
    showError,
    clearError,
    setQuestion(text) {
      textarea.value = text;
      autosize();
    },
    focus: () => textarea.focus(),
  };
}
