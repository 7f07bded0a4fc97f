// One exchange of the conversation: the question, the answer as it streams in, its sources and actions.
// A refusal (grounded === false) is shown as one: the plain statement, what comes closest, the sources folded away.
import type { AnswerMode, FlaggedSentence } from '../../src/types.ts';
import { uniqueNumbers, type QuotedSource, type Refusal, type SavedExchange } from './answer-types.ts';
import type { FeedbackReason, FeedbackState } from './conversation-store.ts';
import { FEEDBACK_REASONS } from '../../src/conversations/records.ts';
import { attachCitationPreview } from './citation-preview.ts';
import { copyText } from './copy-markdown.ts';
import { clear, h } from './dom.ts';
import { formatExchangeMarkdown } from './export-markdown.ts';
import { t, type TextKey } from './i18n.ts';
import { renderMarkdown } from './markdown.ts';
import { splitRefusal } from './refusal-parts.ts';
import { displayRegion } from './regions.ts';
import { displaySection } from './section-names.ts';

export type AnswerState = 'pending' | 'streaming' | 'done' | 'stopped' | 'error';

export interface AnswerEnd {
  answer: string;
  citations: number[];
  grounded: boolean;
  mode: AnswerMode;
  flagged: FlaggedSentence[];
  refusal?: Refusal;
}

/** What an answer's buttons do; the conversation supplies them. A read-only view (a shared conversation) has no `edit`. */
export interface AnswerActions {
  openSource(source: QuotedSource): void;
  exportAnswer(view: AnswerView, format: 'markdown' | 'docx'): Promise<void>;
  /** Present where the reader may change the conversation (not on a shared, read-only one). */
  edit?: {
    /** A share link to this answer (made on first use). */
    share(view: AnswerView): Promise<string>;
    feedback(view: AnswerView, state: FeedbackState | null): Promise<void>;
    /** Whether this answer may be asked again (the last one, nothing in flight). */
    canRegenerate(view: AnswerView): boolean;
    regenerate(view: AnswerView): void;
    /** Ask `question` in place of this exchange's; the exchanges after it go (with undo). */
    resend(view: AnswerView, question: string): void;
  };
}

export class AnswerView {
  readonly element: HTMLElement;
  state: AnswerState = 'pending';
  text = '';
  askedAt = Date.now();
  private mode: AnswerMode | null = null;
  private regions: string[] | null = null;
  private sources: QuotedSource[] = [];
  private citations: number[] = [];
  private grounded = true;
  private refusal: Refusal | undefined;
  private flagged: FlaggedSentence[] = [];
  private notices: string[] = [];
  private failure: string | null = null;
  /** The region(s) the picker pinned the question to, as sent (several are comma-separated). */
  pinned = '';
  feedback: FeedbackState | null = null;
  private feedbackForm = false;
  private editing = false;
  private renderScheduled = false;
  private readonly questionBox = h('div', { class: 'question' });
  private readonly meta = h('div', { class: 'answer-meta' });
  private readonly body = h('div', { class: 'answer-body markdown', 'aria-live': 'polite' });
  private readonly footer = h('div', { class: 'answer-footer' });

  constructor(
    readonly id: string,
    readonly question: string,
    private readonly actions: AnswerActions,
  ) {
    this.element = h(
      'article',
      { class: 'exchange', 'data-state': 'pending', 'data-exchange-id': id, id: `answer-${id}` },
      this.questionBox,
      h('div', { class: 'answer' }, this.meta, this.body, this.footer),
    );
    this.body.addEventListener('click', (event) => {
      const button = (event.target as Element).closest<HTMLElement>('button.cite');
      if (button) this.openCitation(Number(button.dataset.n));
    });
    attachCitationPreview(this.body, (n) => this.sources.find((source) => source.n === n));
    this.refresh();
  }

  /** An exchange read back from the browser's storage, shown as it was when it finished. */
  static restore(saved: SavedExchange, actions: AnswerActions): AnswerView {
    const view = new AnswerView(saved.id, saved.question, actions);
    view.askedAt = saved.askedAt;
    view.text = saved.answer;
    view.mode = saved.mode;
    view.regions = saved.regions;
    view.sources = saved.sources;
    view.citations = saved.citations;
    view.grounded = saved.grounded;
    view.refusal = saved.refusal;
    view.flagged = saved.flagged;
    view.notices = saved.notices;
    view.failure = saved.failure ?? null;
    view.pinned = saved.pinned ?? '';
    view.setState(saved.state);
    view.refresh();
    return view;
  }

  /** What is kept of a finished exchange; null while it is still answering. */
  snapshot(): SavedExchange | null {
    if (this.isActive) return null;
    return {
      id: this.id,
      question: this.question,
      askedAt: this.askedAt,
      state: this.state as SavedExchange['state'],
      answer: this.text,
      mode: this.mode,
      regions: this.regions,
      sources: this.sources,
      citations: this.citations,
      grounded: this.grounded,
      flagged: this.flagged,
      notices: this.notices,
      ...(this.refusal ? { refusal: this.refusal } : {}),
      ...(this.failure ? { failure: this.failure } : {}),
      ...(this.pinned ? { pinned: this.pinned } : {}),
    };
  }

  /** The sources and citations as the answer gave them, for feedback. */
  get given(): { sources: QuotedSource[]; citations: number[]; grounded: boolean; mode: AnswerMode | null; regions: string[] | null; refusal?: Refusal } {
    return { sources: this.sources, citations: this.citations, grounded: this.grounded, mode: this.mode, regions: this.regions, ...(this.refusal ? { refusal: this.refusal } : {}) };
  }

  start(mode: AnswerMode, regions: string[]): void {
    this.mode = mode;
    this.regions = regions;
    this.setState('streaming');
    this.refresh();
  }

  setSources(sources: QuotedSource[]): void {
    this.sources = sources;
    this.refresh();
  }

  appendText(text: string): void {
    if (this.state === 'pending') this.setState('streaming');
    this.text += text;
    this.scheduleBody();
  }

  addNotice(message: string): void {
    this.notices.push(message);
    this.refresh();
  }

  end(result: AnswerEnd): void {
    this.text = result.answer;
    this.citations = uniqueNumbers(result.citations);
    this.grounded = result.grounded;
    this.refusal = result.grounded ? undefined : result.refusal;
    this.mode = result.mode;
    this.flagged = result.flagged;
    this.setState('done');
    this.refresh();
  }

  fail(message: string): void {
    this.failure = message;
    this.setState('error');
    this.refresh();
  }

  stop(): void {
    this.setState('stopped');
    this.refresh();
  }

  get isActive(): boolean {
    return this.state === 'pending' || this.state === 'streaming';
  }

  get isRefusal(): boolean {
    return this.state === 'done' && !this.grounded;
  }

  /** Mark this answer as the one a link pointed at. */
  spotlight(): void {
    this.element.classList.add('linked');
    this.element.scrollIntoView({ block: 'start' });
    setTimeout(() => this.element.classList.remove('linked'), 2600);
  }

  /** Re-render everything (after any change of state, and when the language changes). */
  refresh(): void {
    this.element.classList.toggle('refusal', this.isRefusal);
    if (this.refusal) this.element.dataset.refusal = this.refusal.reason;
    this.renderQuestion();
    this.renderMeta();
    this.renderBody();
    this.renderFooter();
  }

  private setState(state: AnswerState): void {
    this.state = state;
    this.element.dataset.state = state;
  }

  private openCitation(n: number): void {
    const source = this.sources.find((candidate) => candidate.n === n);
    if (source) this.actions.openSource(source);
  }

  private scheduleBody(): void {
    if (this.renderScheduled) return;
    this.renderScheduled = true;
    requestAnimationFrame(() => {
      this.renderScheduled = false;
      this.renderBody();
    });
  }

  /** The question, with an edit button where the conversation may change; editing turns it into a box to resend. */
  private renderQuestion(): void {
    clear(this.questionBox);
    const edit = this.actions.edit;
    if (this.editing && edit) {
      const box = h('textarea', { class: 'edit-question', rows: 2, 'aria-label': t('editQuestion'), maxlength: 1000 });
      box.value = this.question;
      const send = h('button', { type: 'submit', class: 'primary small edit-send' }, t('editSend'));
      const cancel = h('button', { type: 'button', class: 'ghost small edit-cancel' }, t('renameCancel'));
      const form = h('form', { class: 'edit-form' }, box, h('div', { class: 'edit-buttons' }, cancel, send));
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        const question = box.value.trim();
        if (!question) return box.focus();
        this.editing = false;
        edit.resend(this, question);
      });
      box.addEventListener('keydown', (event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          this.editing = false;
          this.renderQuestion();
        } else if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
          event.preventDefault();
          form.requestSubmit();
        }
      });
      cancel.addEventListener('click', () => {
        this.editing = false;
        this.renderQuestion();
      });
      this.questionBox.appendChild(form);
      requestAnimationFrame(() => box.focus());
      return;
    }
    this.questionBox.appendChild(h('p', { class: 'bubble' }, this.question));
    if (this.pinned) this.questionBox.appendChild(h('p', { class: 'pinned-regions' }, t('pinnedRegions', { regions: this.pinned.split(',').map(displayRegion).join('、') })));
    if (edit && !this.isActive) {
      const button = h('button', { type: 'button', class: 'ghost small edit-question-button', title: t('editQuestion') }, t('edit'));
      button.addEventListener('click', () => {
        this.editing = true;
        this.renderQuestion();
      });
      this.questionBox.appendChild(button);
    }
  }

  private renderMeta(): void {
    clear(this.meta);
    if (this.mode) {
      const extractive = this.mode === 'extractive';
      this.meta.appendChild(
        h(
          'span',
          { class: `badge mode-${this.mode}`, title: t(extractive ? 'modeExtractiveHint' : 'modeLlmHint'), 'data-mode': this.mode },
          t(extractive ? 'modeExtractive' : 'modeLlm'),
        ),
      );
    }
    if (this.regions) {
      const names = this.regions.length > 0 ? this.regions.map(displayRegion) : [t('regionsAll')];
      this.meta.appendChild(
        h(
          'span',
          { class: 'resolved-regions', 'aria-label': t('regionsResolved') },
          names.map((name) => h('span', { class: 'chip region-chip' }, name)),
        ),
      );
    }
  }

  private renderBody(): void {
    clear(this.body);
    if (this.isRefusal) {
      this.renderRefusal();
      return;
    }
    if (this.text) this.body.appendChild(this.renderText(this.text));
    if (this.state === 'streaming' || this.state === 'pending') {
      const caret = this.text ? h('span', { class: 'caret', 'aria-hidden': 'true' }) : thinkingIndicator();
      const lastBlock = this.body.lastElementChild;
      (lastBlock && lastBlock.tagName === 'P' ? lastBlock : this.body).appendChild(caret);
    }
  }

  private renderText(text: string): DocumentFragment {
    const sourceNumbers = new Set(this.sources.map((source) => source.n));
    return renderMarkdown(text, {
      isCitable: (n) => sourceNumbers.has(n),
      citationLabel: (n) => t('citationLabel', { n }),
    });
  }

  /** The plain statement first; a refusal that cites passages says they are only what comes closest. */
  private renderRefusal(): void {
    const { statement, closest } = splitRefusal(this.text, this.refusal?.message);
    this.body.append(
      h('p', { class: 'refusal-title' }, h('span', { class: 'refusal-icon', 'aria-hidden': 'true' }, '∅'), t('refusalTitle')),
      h('div', { class: 'refusal-statement' }, this.renderText(statement)),
    );
    if (closest) {
      this.body.append(h('h3', { class: 'refusal-closest-title' }, t('refusalClosest')), h('div', { class: 'refusal-closest' }, this.renderText(closest)));
    }
  }

  private renderFooter(): void {
    clear(this.footer);
    const notes: Node[] = [];
    for (const notice of this.notices) notes.push(h('p', { class: 'note notice' }, notice));
    if (this.state === 'done' && this.flagged.length > 0) {
      const numbers = [...new Set(this.flagged.flatMap((sentence) => sentence.numbers))].join('、');
      notes.push(h('p', { class: 'note flagged' }, t('flagged', { numbers })));
    }
    if (this.state === 'stopped') notes.push(h('p', { class: 'note stopped' }, t('stopped')));
    if (this.failure) notes.push(h('p', { class: 'note error', role: 'alert' }, this.failure));
    this.footer.append(...notes);

    if (this.sources.length > 0) this.footer.appendChild(this.renderSources());
    if (this.state === 'done' && this.text) this.footer.appendChild(this.renderActions());
    if (this.feedbackForm && this.state === 'done') this.footer.appendChild(this.renderFeedbackForm());
    if (this.feedback) {
      const said = this.feedback.rating === 'up' ? t('feedbackThanksUp') : t('feedbackThanksDown', { reason: t(`reason_${this.feedback.reason ?? 'other'}` as TextKey) });
      this.footer.appendChild(h('p', { class: 'note feedback-given', role: 'status' }, said));
    }
  }

  private renderActions(): HTMLElement {
    const copyButton = h('button', { type: 'button', class: 'ghost small copy-answer' }, t('copy'));
    copyButton.addEventListener('click', () => void this.copy(copyButton, 'markdown'));
    const markdownButton = h('button', { type: 'button', class: 'ghost small export-markdown' }, t('exportMarkdown'));
    markdownButton.addEventListener('click', () => void this.actions.exportAnswer(this, 'markdown'));
    const wordButton = h('button', { type: 'button', class: 'ghost small export-docx' }, t('exportWord'));
    wordButton.addEventListener('click', () => void this.actions.exportAnswer(this, 'docx'));
    const edit = this.actions.edit;
    const row = h('div', { class: 'answer-actions' });
    if (edit) {
      const up = h('button', { type: 'button', class: 'ghost small icon-button feedback-up', 'aria-pressed': String(this.feedback?.rating === 'up'), title: t('feedbackUp'), 'aria-label': t('feedbackUp') }, `✓ ${t('feedbackUpShort')}`);
      const down = h('button', { type: 'button', class: 'ghost small icon-button feedback-down', 'aria-pressed': String(this.feedback?.rating === 'down'), title: t('feedbackDown'), 'aria-label': t('feedbackDown') }, `✗ ${t('feedbackDownShort')}`);
      up.addEventListener('click', () => void this.giveFeedback(this.feedback?.rating === 'up' ? null : { exchangeId: this.id, rating: 'up' }));
      down.addEventListener('click', () => {
        if (this.feedback?.rating === 'down') return void this.giveFeedback(null);
        this.feedbackForm = !this.feedbackForm;
        this.renderFooter();
      });
      row.append(h('span', { class: 'feedback-buttons', role: 'group', 'aria-label': t('feedbackLabel') }, up, down));
    }
    row.append(copyButton);
    if (edit) {
      const shareButton = h('button', { type: 'button', class: 'ghost small share-answer' }, t('shareLink'));
      shareButton.addEventListener('click', () => void this.share(shareButton));
      row.append(shareButton);
      if (edit.canRegenerate(this)) {
        const again = h('button', { type: 'button', class: 'ghost small regenerate' }, t('regenerate'));
        again.addEventListener('click', () => edit.regenerate(this));
        row.append(again);
      }
    }
    row.append(h('span', { class: 'actions-label' }, t('exportLabel')), markdownButton, wordButton);
    return row;
  }

  private async giveFeedback(state: FeedbackState | null): Promise<void> {
    const previous = this.feedback;
    this.feedback = state;
    this.feedbackForm = false;
    this.renderFooter();
    try {
      await this.actions.edit?.feedback(this, state);
      if (state) this.element.dataset.feedback = state.rating;
      else delete this.element.dataset.feedback;
    } catch {
      this.feedback = previous;
      this.renderFooter();
    }
  }

  /** Why the answer is wrong: the reasons people give most, and a note; sent with the question, the answer and its sources. */
  private renderFeedbackForm(): HTMLElement {
    const choices = FEEDBACK_REASONS.map((reason, position) =>
      h('label', { class: 'feedback-reason' }, h('input', { type: 'radio', name: `reason-${this.id}`, value: reason, ...(position === 0 ? { checked: true } : {}) }), t(`reason_${reason}` as TextKey)),
    );
    const note = h('textarea', { class: 'feedback-comment', rows: 2, maxlength: 2000, placeholder: t('feedbackCommentPlaceholder'), 'aria-label': t('feedbackComment') });
    const submit = h('button', { type: 'submit', class: 'primary small feedback-submit' }, t('feedbackSubmit'));
    const cancel = h('button', { type: 'button', class: 'ghost small' }, t('renameCancel'));
    const form = h('form', { class: 'feedback-form' }, h('fieldset', {}, h('legend', {}, t('feedbackWhy')), choices), note, h('div', { class: 'feedback-form-buttons' }, cancel, submit));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const reason = (form.querySelector<HTMLInputElement>('input[type="radio"]:checked')?.value ?? 'other') as FeedbackReason;
      const comment = note.value.trim();
      void this.giveFeedback({ exchangeId: this.id, rating: 'down', reason, ...(comment ? { comment } : {}) });
    });
    cancel.addEventListener('click', () => {
      this.feedbackForm = false;
      this.renderFooter();
    });
    requestAnimationFrame(() => form.querySelector<HTMLInputElement>('input:checked')?.focus());
    return form;
  }

  private async share(button: HTMLButtonElement): Promise<void> {
    try {
      const link = await this.actions.edit!.share(this);
      button.dataset.href = link;
      const copied = await copyText(link);
      button.textContent = copied ? t('shareCopied') : link;
      button.classList.toggle('done', copied);
    } catch {
      button.textContent = t('shareFailed');
    }
    setTimeout(() => {
      button.textContent = t('shareLink');
      button.classList.remove('done');
    }, 2400);
  }

  private sourceCard(source: QuotedSource, uncited: boolean): HTMLElement {
    const card = h(
      'button',
      { type: 'button', class: `source-card${uncited ? ' uncited' : ''}`, 'data-n': source.n, title: t('citationLabel', { n: source.n }) },
      h(
        'span',
        { class: 'source-head' },
        h('span', { class: 'cite static' }, String(source.n)),
        h('span', { class: 'source-region' }, displayRegion(source.region)),
        h('span', { class: 'source-section' }, displaySection(source.section) || source.title),
      ),
      h('span', { class: 'source-text' }, source.text),
      h('span', { class: 'source-id' }, source.id),
    );
    card.addEventListener('click', () => this.actions.openSource(source));
    return h('li', {}, card);
  }

  private renderSources(): HTMLElement {
    const cited = new Set(this.citations);
    if (this.isRefusal) {
      // The passages searched are not the answer: folded away, one click to check them.
      return h(
        'details',
        { class: 'sources folded' },
        h('summary', { class: 'sources-title' }, t('refusalSources', { count: this.sources.length })),
        h('ol', { class: 'source-list' }, this.sources.map((source) => this.sourceCard(source, false))),
      );
    }
    // Once answered: the cited sources first; the others (often boilerplate) folded under "more".
    const split = this.state === 'done' && cited.size > 0;
    const first = split ? this.sources.filter((source) => cited.has(source.n)) : this.sources;
    const rest = split ? this.sources.filter((source) => !cited.has(source.n)) : [];
    const section = h('section', { class: 'sources' }, h('h3', { class: 'sources-title' }, t('sources')), h('ol', { class: 'source-list' }, first.map((source) => this.sourceCard(source, false))));
    if (rest.length > 0) {
      section.appendChild(
        h('details', { class: 'more-sources' }, h('summary', {}, t('moreSources', { count: rest.length })), h('ol', { class: 'source-list' }, rest.map((source) => this.sourceCard(source, true)))),
      );
    }
    return section;
  }

  private async copy(button: HTMLButtonElement, _what: 'markdown'): Promise<void> {
    const saved = this.snapshot();
    if (!saved) return;
    const copied = await copyText(formatExchangeMarkdown(saved));
    button.textContent = copied ? t('copied') : t('copyFailed');
    button.classList.toggle('done', copied);
    setTimeout(() => {
      button.textContent = t('copy');
      button.classList.remove('done');
    }, 1800);
  }
}

function thinkingIndicator(): HTMLElement {
  return h(
    'p',
    { class: 'thinking' },
    h('span', { class: 'dots', 'aria-hidden': 'true' }, h('i'), h('i'), h('i')),
    t('thinking'),
  );
}
