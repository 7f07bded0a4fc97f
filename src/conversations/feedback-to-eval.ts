// Feedback as evaluation items in the shared sets' format (eval/dev.json): what users marked becomes
// tomorrow's test. A thumbs up on a cited answer is a ready item (the quoted clauses are its `expect`); a thumbs
// up on a refusal is a ready negative item. A thumbs down says the answer was wrong, not what is right, so
// its item carries `review` (what a maintainer must write: the expected passage text) and the evaluation
// skips it until that is done; a wrong figure lists the figures given in `absent`. Pure.
import type { Feedback } from './records.ts';

export interface FeedbackEvalItem {
  id: string;
  question: string;
  type: string;
  region: string;
  source: string | null;
  expect: string[];
  answer: string;
  lang: 'zh' | 'en';
  history?: { role: 'user' | 'assistant'; content: string }[];
  expect_region?: string[];
  absent?: string[];
  /** Present while the item needs a person: what to write before it can be scored. */
  review?: string;
  feedback: {
    rating: 'up' | 'down';
    reason?: string;
    comment?: string;
    givenAt: string;
    grounded: boolean;
    sources: { n: number; id: string; region: string; quote: string; cited: boolean }[];
  };
}

const REVIEW: Record<string, string> = {
  should_have_answered: 'The reports should answer this: write the expected passage text in expect (and its region).',
  wrong_figure: 'The figure given was wrong (listed in absent): write the passage text with the right figure in expect.',
  wrong_region: 'The answer was about the wrong region: set region and write the expected passage text in expect.',
  other: 'Marked wrong: read the comment, then write the expected passage text in expect (or leave expect empty if the reports do not answer it).',
};

/** The quoted clauses of a source (its `quotes` spans), or its whole text when none are marked. */
function quotesOf(source: Feedback['sources'][number]): string[] {
  const spans = (source.quotes ?? []).filter((span) => span.end > span.start && span.end <= source.text.length).sort((left, right) => left.start - right.start);
  return spans.length > 0 ? spans.map((span) => source.text.slice(span.start, span.end).trim()) : [];
}

/** The figures an answer states (`5%以上`, `120万人`), for `absent` when a user says a figure is wrong. */
export function figuresIn(text: string): string[] {
  const found = text.replace(/\[\d+\]/g, '').match(/\d+(?:\.\d+)?(?:%|‰|个百分点|[万亿千百]*(?:元|美元|人|吨|斤|亩|公里|千米|个|家|所|套|户|项|台|辆|平方米|立方米|千瓦|年))?(?:左右|以上|以内|以下)?/g) ?? [];
  // A year (2024年) is when, not what: it is no disputed figure.
  return [...new Set(found.filter((figure) => !/^(?:19|20)\d\d年?$/.test(figure) && (/\D/.test(figure) || figure.length >= 3)))];
}

/** A guess at the item's type, in the shared sets' vocabulary; a maintainer may change it. */
export function guessType(feedback: Pick<Feedback, 'question' | 'history' | 'grounded' | 'regions'>, negative: boolean): string {
  if (negative) return 'negative';
  if (feedback.history.length > 0) return 'followup';
  if ((feedback.regions?.length ?? 0) > 1) return 'compare';
  if (/目标|预期|target|goal/i.test(feedback.question)) return 'target';
  if (/重点工作|重点任务|主要任务|概括|总结|summar/i.test(feedback.question)) return 'summary';
  if (/措施|举措|怎么|如何|哪些|what (?:will|are)|how/i.test(feedback.question)) return 'priority';
  return 'fact';
}

const isEnglish = (text: string): boolean => (text.match(/[A-Za-z]/g)?.length ?? 0) > (text.match(/[\u4e00-\u9fff]/g)?.length ?? 0);

/** One item per feedback; `sourceFileOf` names the data/ file a passage's report came from (null when unknown). */
export function feedbackToEvalItems(feedback: readonly Feedback[], sourceFileOf: (passageId: string) => string | null): FeedbackEvalItem[] {
  return feedback.map((entry) => {
    const cited = new Set(entry.citations);
    const citedSources = entry.sources.filter((source) => cited.has(source.n));
    const refusal = !entry.grounded;
    const readyPositive = entry.rating === 'up' && !refusal;
    const readyNegative = entry.rating === 'up' && refusal;
    const expected = readyPositive ? citedSources.flatMap((source) => quotesOf(source).map((quote) => ({ quote, region: source.region }))) : [];
    const regions = [...new Set(expected.map((item) => item.region))];
    const region = regions[0] ?? citedSources[0]?.region ?? entry.regions?.[0] ?? entry.sources[0]?.region ?? '';
    const firstSource = citedSources[0] ?? entry.sources[0];
    // A thumbs up on an answer that marked no quote cannot say what to expect: it needs a person too.
    const review = entry.rating === 'down' ? REVIEW[entry.reason ?? 'other']! : readyPositive && expected.length === 0 ? 'No quoted clause was marked: write the expected passage text in expect.' : undefined;
    const absent = entry.rating === 'down' && entry.reason === 'wrong_figure' ? figuresIn(entry.answer) : [];
    return {
      id: `fb-${entry.exchangeId}`,
      question: entry.question,
      type: guessType(entry, readyNegative),
      region,
      source: firstSource ? sourceFileOf(firstSource.id) : null,
      expect: expected.map((item) => item.quote),
      answer: refusal ? (entry.refusal?.message ?? entry.answer) : entry.answer,
      lang: isEnglish(entry.question) ? 'en' : 'zh',
      ...(entry.history.length > 0 ? { history: entry.history } : {}),
      ...(regions.length > 1 ? { expect_region: expected.map((item) => item.region) } : {}),
      ...(absent.length > 0 ? { absent } : {}),
      ...(review ? { review } : {}),
      feedback: {
        rating: entry.rating,
        ...(entry.reason ? { reason: entry.reason } : {}),
        ...(entry.comment ? { comment: entry.comment } : {}),
        givenAt: new Date(entry.createdAt).toISOString(),
        grounded: entry.grounded,
        sources: entry.sources.map((source) => ({ n: source.n, id: source.id, region: source.region, quote: quotesOf(source).join(' … ') || source.text.slice(0, 200), cited: cited.has(source.n) })),
      },
    };
  });
}
