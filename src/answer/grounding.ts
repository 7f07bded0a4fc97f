// Whether a text speaks of an indicator: its report terms, the specific word the question used, and not
// its look-alike phrases (`单位地区生产总值能耗` is not GDP). Pure. The refusal decision is find-answer.ts.
import type { Indicator } from '../retrieval/lexicon.ts';

/** The Chinese words of an indicator the question used, plus the report's own terms for it. */
export function indicatorWords(indicator: Indicator, question: string): string[] {
  const lower = question.toLowerCase();
  // A question's own word counts when it is specific (经济增长); a short one (研发) would match 研发项目.
  const trigger = indicator.triggers.find((word) => /[\u3400-\u9fff]/.test(word) && word.length >= 3 && lower.includes(word));
  return trigger ? [...indicator.terms, trigger] : indicator.terms;
}

/** Whether a text speaks of the indicator (its excluded look-alike phrases do not count). */
export function mentionsIndicator(text: string, indicator: Indicator, question: string): boolean {
  const cleaned = (indicator.excludes ?? []).reduce((current, pattern) => current.replace(new RegExp(pattern, 'g'), ' '), text);
  return indicatorWords(indicator, question).some((word) => cleaned.includes(word)) || (indicator.reportPatterns ?? []).some((pattern) => new RegExp(pattern).test(cleaned));
}
