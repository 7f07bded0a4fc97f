// One exchange of the conversation: the question, the answer as it streams in, its sources and actions.
import type { AnswerMode, FlaggedSentence, Source } from '../../src/types.ts';
import { copyText, formatAnswerMarkdown } from './copy-markdown.ts';
import { clear, h } from './dom.ts';
import { t } from './i18n.ts';
import { renderMarkdown } from './markdown.ts';
import { displayRegion } from './regions.ts';

export type AnswerState = 'pending' | 'streaming' | 'done' | 'stopped' | 'error';

export interface AnswerEnd {
  answer: string;
  citations: number[];
  grounded: boolean;
  mode: AnswerMode;
  flagged: FlaggedSentence[];
}

export class AnswerView {
  readonly element: HTMLElement;
  state: AnswerState = 'pending';
  text = '';
  private mode: AnswerMode | null = null;
  private regions: string[] | null = null;
  private sources: Source[] = [];
  private citations: number[] = [];
  private grounded = true;
  private flagged: FlaggedSentence[] = [];
  private notices: string[] = [];
  private failure: string | null = null;
  private renderScheduled = false;
  private readonly meta = h('div', { class: 'answer-meta' });
  private readonly body = h('div', { class: 'answer-body markdown', 'aria-live': 'polite' });
  private readonly footer = h('div', { class: 'answer-footer' });

  constructor(
    readonly question: string,
    private readonly openSource: (source: Source) => void,
  ) {
    this.element = h(
      'article',
      { class: 'exchange', 'data-state': 'pending' },
      h('div', { class: 'question' }, h('p', { class: 'bubble' }, question)),
      h('div', { class: 'answer' }, this.meta, this.body, this.footer),
    );
    this.body.addEventListener('click', (event) => {
      const button = (event.target as Element).closest<HTMLElement>('button.cite');
      if (button) this.openCitation(Number(button.dataset.n));
    });
    this.refresh();
  }

  start(mode: AnswerMode, regions: string[]): void {
    this.mode = mode;
    this.regions = regions;
    this.setState('streaming');
    this.refresh();
  }

  setSources(sources: Source[]): void {
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
    this.citations = result.citations;
    this.grounded = result.grounded;
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

  /** Re-render everything (after any change of state, and when the language changes). */
  refresh(): void {
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
    if (source) this.openSource(source);
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
    if (this.text) {
      const sourceNumbers = new Set(this.sources.map((source) => source.n));
      this.body.appendChild(
        renderMarkdown(this.text, {
          isCitable: (n) => sourceNumbers.has(n),
          citationLabel: (n) => t('citationLabel', { n }),
        }),
      );
    }
    if (this.state === 'streaming' || this.state === 'pending') {
      const caret = this.text ? h('span', { class: 'caret', 'aria-hidden': 'true' }) : thinkingIndicator();
      const lastBlock = this.body.lastElementChild;
      (lastBlock && lastBlock.tagName === 'P' ? lastBlock : this.body).appendChild(caret);
    }
  }

  private renderFooter(): void {
    clear(this.footer);
    const notes: Node[] = [];
    for (const notice of this.notices) notes.push(h('p', { class: 'note notice' }, notice));
    if (this.state === 'done' && !this.grounded) notes.push(h('p', { class: 'note ungrounded' }, t('notGrounded')));
    if (this.state === 'done' && this.flagged.length > 0) {
      const numbers = [...new Set(this.flagged.flatMap((sentence) => sentence.numbers))].join('、');
      notes.push(h('p', { class: 'note flagged' }, t('flagged', { numbers })));
    }
    if (this.state === 'stopped') notes.push(h('p', { class: 'note stopped' }, t('stopped')));
    if (this.failure) notes.push(h('p', { class: 'note error', role: 'alert' }, this.failure));
    this.footer.append(...notes);

    if (this.sources.length > 0) this.footer.appendChild(this.renderSources());
    if (this.state === 'done' && this.text) {
      const copyButton = h('button', { type: 'button', class: 'ghost small copy-answer' }, t('copy'));
      copyButton.addEventListener('click', () => void this.copy(copyButton));
      this.footer.appendChild(h('div', { class: 'answer-actions' }, copyButton));
    }
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
          h('span', { class: 'source-section' }, source.section || source.title),
        ),
        h('span', { class: 'source-text' }, source.text),
      );
      card.addEventListener('click', () => this.openSource(source));
      list.appendChild(h('li', {}, card));
    }
    return h('section', { class: 'sources' }, h('h3', { class: 'sources-title' }, t('sources')), list);
  }

  private async copy(button: HTMLButtonElement): Promise<void> {
    const markdown = formatAnswerMarkdown(
      { question: this.question, answer: this.text, sources: this.sources, citations: this.citations },
      t('sources'),
    );
    const copied = await copyText(markdown);
    button.textContent = t(copied ? 'copied' : 'copyFailed');
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
