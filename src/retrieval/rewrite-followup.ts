// Rewriting a follow-up question into a standalone one, offline: carry over the region, the year and,
// for elliptical questions (`那广东呢？`), the topic of the previous question. Pure.
import type { Turn } from '../types.ts';
import { detectYearIntent, regionsOf } from './analyze-query.ts';
import { STOPWORDS } from '../index/stopwords.ts';
import { detectRegions } from '../corpus/regions.ts';

export interface Rewrite {
  /** The standalone question used for retrieval. */
  query: string;
  /** True when anything was carried over from the history. */
  rewritten: boolean;
}

/** What is left of a question once region names, fillers and punctuation are removed. */
function topicOf(question: string): string {
  let rest = question;
  for (const mention of detectRegions(question).sort((left, right) => right.index - left.index)) {
    const names = [mention.entry.name, ...mention.entry.aliases, ...mention.entry.english];
    for (const name of names) rest = rest.split(name).join(' ');
  }
  rest = rest.replace(/what about|how about|and\b|那么|那|呢|的|怎么样|如何|吗|[？?。！!，,\s]/gi, ' ');
  return rest
    .split(/\s+/)
    .filter((word) => word && !STOPWORDS.has(word.toLowerCase()))
    .join('');
}

const YEAR_WORD = /今年|去年|上年|明年|20\d{2}年?|this year|last year|in 20\d{2}/i;

export function rewriteFollowUp(question: string, history: readonly Turn[] = []): Rewrite {
  const previousUser = [...history].reverse().find((turn) => turn.role === 'user');
  if (!previousUser || history.length === 0) return { query: question, rewritten: false };
  const additions: string[] = [];
  const ownRegions = regionsOf(question);
  let base = question;
  if (ownRegions.length > 0 && topicOf(question).length < 2) {
    // Elliptical: the new question names only a region, so it asks the previous question about it.
    let previous = previousUser.content;
    const previousMentions = detectRegions(previous);
    for (const mention of previousMentions) {
      for (const name of [mention.entry.name, ...mention.entry.aliases, ...mention.entry.english]) previous = previous.split(name).join('');
    }
    base = `${ownRegions.map((entry) => entry.name).join('和')}${previous}`;
  } else if (ownRegions.length === 0) {
    const carried = [...history]
      .reverse()
      .map((turn) => regionsOf(turn.content))
      .find((regions) => regions.length > 0);
    if (carried) additions.push(...carried.map((entry) => entry.name));
  }
  if (!YEAR_WORD.test(base) && detectYearIntent(base) !== 'review') {
    const year = YEAR_WORD.exec(previousUser.content)?.[0];
    if (year) additions.push(year);
  }
  if (additions.length === 0 && base === question) return { query: question, rewritten: false };
  return { query: [base, ...additions].join(' '), rewritten: true };
}
