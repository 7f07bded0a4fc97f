// The first screen of an empty conversation: what the library holds, example questions, other views.
import { renderCoverage } from './coverage.ts';
import { h } from './dom.ts';
import { messages, t } from './i18n.ts';

export function renderWelcome(ask: (question: string) => void): HTMLElement {
  return h(
    'section',
    { class: 'welcome' },
    h('h2', { class: 'welcome-title' }, t('welcomeTitle')),
    h('p', { class: 'welcome-body' }, t('welcomeBody')),
    renderCoverage(),
    h('h3', { class: 'suggestions-title' }, t('suggestionsTitle')),
    h(
      'ul',
      { class: 'suggestions' },
      messages().suggestions.map((question) => {
        const button = h('button', { type: 'button', class: 'suggestion' }, question);
        button.addEventListener('click', () => ask(question));
        return h('li', {}, button);
      }),
    ),
    h(
      'p',
      { class: 'browse' },
      t('browseLead'),
      h('a', { href: '#/priorities' }, t('navPriorities')),
      h('a', { href: '#/targets' }, t('targetsTitle')),
    ),
  );
}
