// One exchange of the conversation: the question, the answer as it streams in, its sources and actions.
// A refusal (grounded === false) is shown as one: the plain statement, what comes closest, the sources folded away.
import type { AnswerMode, FlaggedSentence } from '../../src/types.ts';
import { uniqueNumbers, type QuotedSource, type Refusal, type SavedExchange } from './answer-types.ts';
import { copyText } from './copy-markdown.ts';
import { clear, h } from './dom.ts';
import { formatExchangeMarkdown } from './export-markdown.ts';
import { t } from './i18n.ts';
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

/** What an answer's buttons do; the conversation supplies them. */
export interface AnswerActions {
  openSource(source: QuotedSource): void;
  /** The address that reopens this answer. */
  linkFor(view: AnswerView): string;
  exportAnswer(view: AnswerView, format: 'markdown' | 'docx'): Promise<void>;
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
  private renderScheduled = false;
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
      h('div', { class: 'question' }, h('p', { class: 'bubble' }, question)),
      h('div', { class: 'answer' }, this.meta, this.body, this.footer),
    );
    this.body.addEventListener('click', (event) => {
      const button = (event.target as Element).closest<HTMLElement>('button.cite');
      if (button) this.openCitation(Number(button.dataset.n));
    });
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
    };
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
  }

  private renderActions(): HTMLElement {
    const copyButton = h('button', { type: 'button', class: 'ghost small copy-answer' }, t('copy'));
    copyButton.addEventListener('click', () => void this.copy(copyButton, 'markdown'));
    const linkButton = h('button', { type: 'button', class: 'ghost small copy-link', 'data-href': this.actions.linkFor(this) }, t('copyLink'));
    linkButton.addEventListener('click', () => void this.copy(linkButton, 'link'));
    const markdownButton = h('button', { type: 'button', class: 'ghost small export-markdown' }, t('exportMarkdown'));
    markdownButton.addEventListener('click', () => void this.actions.exportAnswer(this, 'markdown'));
    const wordButton = h('button', { type: 'button', class: 'ghost small export-docx' }, t('exportWord'));
    wordButton.addEventListener('click', () => void this.actions.exportAnswer(this, 'docx'));
    return h(
      'div',
      { class: 'answer-actions' },
      copyButton,
      linkButton,
      h('span', { class: 'actions-label' }, t('exportLabel')),
      markdownButton,
      wordButton,
    );
  }

  private renderSources(): HTMLElement {
    const cited = new Set(this.citations);
    const showCited = this.state === 'done' && cited.size > 0;
    const list = h('ol', { class: 'source-list' });
    for (const source of this.sources) {
      const card = h(
        'button',
        {
          type: 'button',
          class: `source-card${showCited && !cited.has(source.n) ? ' uncited' : ''}`,
          'data-n': source.n,
          title: t('citationLabel', { n: source.n }),
        },
        h(
          'span',
          { class: 'source-head' },
          h('span', { class: 'cite static' }, String(source.n)),
          h('span', { class: 'source-region' }, displayRegion(source.region)),
          h('span', { class: 'source-section' }, displaySection(source.section) || source.title),
        ),
        h('span', { class: 'source-text' }, source.text),
      );
      card.addEventListener('click', () => this.actions.openSource(source));
      list.appendChild(h('li', {}, card));
    }
    if (this.isRefusal) {
      // The passages searched are not the answer: folded away, one click to check them.
      return h(
        'details',
        { class: 'sources folded' },
        h('summary', { class: 'sources-title' }, t('refusalSources', { count: this.sources.length })),
        list,
      );
    }
    return h('section', { class: 'sources' }, h('h3', { class: 'sources-title' }, t('sources')), list);
  }

  private async copy(button: HTMLButtonElement, what: 'markdown' | 'link'): Promise<void> {
    const saved = this.snapshot();
    if (!saved) return;
    const text = what === 'link' ? new URL(this.actions.linkFor(this), location.href).href : formatExchangeMarkdown(saved);
    const copied = await copyText(text);
    const doneLabel = what === 'link' ? t('linkCopied') : t('copied');
    button.textContent = copied ? doneLabel : t('copyFailed');
    button.classList.toggle('done', copied);
    setTimeout(() => {
      button.textContent = t(what === 'link' ? 'copyLink' : 'copy');
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
