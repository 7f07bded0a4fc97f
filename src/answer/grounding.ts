// Whether a text speaks of an indicator: its report terms, the specific word the question used, and not
// its look-alike phrases (`单位地区生产总值能耗` is not GDP) nor a part's or another place's figure (海洋生产总值,
// 包头市地区生产总值). Pure. The refusal decision is find-answer.ts.
import { findPlaces } from '../corpus/places.ts';
import type { Indicator } from '../retrieval/lexicon.ts';

/** The Chinese words of an indicator the question used, plus the report's own terms for it. */
export function indicatorWords(indicator: Indicator, question: string): string[] {
  const lower = question.toLowerCase();
  // A question's own word counts when it is specific (经济增长); a short one (研发) would match 研发项目.
  const trigger = indicator.triggers.find((word) => /[\u3400-\u9fff]/.test(word) && word.length >= 3 && lower.includes(word));
  return trigger ? [...indicator.terms, trigger] : indicator.terms;
}

/**
 * Words that make a mention a part's figure, not the region's: 海洋生产总值, 县域生产总值, 山区26县生产总值,
 * 两市地区生产总值, 跨境电商进出口总额, 数字经济增加值 (全县, 全区, 本市 and the 地区 of 地区生产总值 stay the region's).
 */
const PART_BEFORE = /(?:海洋|县域|(?<![全本我地该])[县区]|[两三四五六七八九十]市|园区|城区|片区|跨境电商|数字经济|民营经济|产品)$/;
/** A place named right before a mention (`呼和浩特市和包头市地区生产总值`): that place's figure. */
const PLACE_BEFORE = /[市县区州盟旗]$/;

/** Whether one of the indicator's words occurs as the subject's own, not a part's or another place's. */
function ownMention(text: string, word: string, subjects: readonly string[]): boolean {
  for (let index = text.indexOf(word); index >= 0; index = text.indexOf(word, index + 1)) {
    const before = text.slice(Math.max(0, index - 12), index).replace(/(?:的|地区)$/, '');
    if (PART_BEFORE.test(before)) continue;
    if (PLACE_BEFORE.test(before)) {
      const place = findPlaces(before).at(-1);
      const name = place?.entry?.name ?? place?.unknown;
      if (place && name && place.index + place.length === before.length && !subjects.includes(name)) continue;
    }
    return true;
  }
  return false;
}

/**
 * Whether a text speaks of the indicator: of the subject's own (not a part's or another place's, unless it is
 * one of `subjects`), its excluded look-alike phrases not counting.
 */
export function mentionsIndicator(text: string, indicator: Indicator, question: string, subjects: readonly string[] = []): boolean {
  const cleaned = (indicator.excludes ?? []).reduce((current, pattern) => current.replace(new RegExp(pattern, 'g'), ' '), text);
  return indicatorWords(indicator, question).some((word) => ownMention(cleaned, word, subjects)) || (indicator.reportPatterns ?? []).some((pattern) => new RegExp(pattern).test(cleaned));
}
