// Whether a figure of a clause answers an ask: of the asked kind (a rate, an amount in the indicator's units, a
// count, a rank) and not a figure of another question standing beside the topic (a capacity for an output, a growth
// for a level, a count of other things for an amount). The rules are a table, in the order they are tried, each
// named and described, each with its own cases (tests/unit/figure-fit.test.ts); the words they look for are the
// report's clause rules (lexicon/report.json). The first rule that decides, decides. Pure.
import { REPORT, TERMS, UNITS } from '../lexicon/lexicon.ts';
import { differingCharacters } from '../corpus/normalize-text.ts';
import type { Ask } from '../understand/intent.ts';
import { answersDimension, dimensionOf, dimensionsOf, isRate, type Figure } from './figures.ts';

/** One figure read against one ask, with the clause's words around it. */
export interface FitCase {
  figure: Figure;
  ask: Ask;
  clause: string;
  /** The clause's words before the figure (what it is of, how it came about). */
  before: string;
  /** The clause's words after the figure. */
  after: string;
  /** The figure is the statement's own (not one of a statement going on past the answer). */
  primary: boolean;
}

export interface FitRule {
  name: string;
  description: string;
  /** true: the figure answers; false: it does not; undefined: the next rule decides. */
  decide(fit: FitCase): boolean | undefined;
}

export interface FitVerdict {
  fits: boolean;
  /** The rule that decided. */
  rule: string;
}

const clause = (name: Parameters<typeof REPORT.clause>[0]): RegExp => REPORT.clause(name);

/** The dimensions the asked indicator's figures come in (人 for 新增就业), unless a field is asked (就业方面). */
function indicatorDimensions(ask: Ask): ReadonlySet<string> | undefined {
  const units = ask.concepts.some((concept) => concept.broad) ? undefined : ask.indicator?.figureUnits;
  if (!units) return undefined;
  const unitKey = Object.keys(units).find((word) => word && ask.concepts.some((concept) => concept.written.includes(word))) ?? '';
  const dimensions = dimensionsOf(units[unitKey] ?? []);
  return dimensions.size > 0 ? dimensions : undefined;
}

/** A total written without its unit (总量迈上2万亿台阶) is in yuan. */
const bareCurrency = (figure: Figure): boolean => figure.unit === '' && clause('clause.currency_scale').test(figure.scale);
const isCurrency = (figure: Figure): boolean => figure.dimension === 'currency' || bareCurrency(figure);

/** The rules, in the order they are tried. */
export const FIT_RULES: readonly FitRule[] = [
  {
    name: 'fit.rank',
    description: 'A rank asked (第几, what rank) is answered by a rank only.',
    decide: ({ ask, figure }) => (ask.kind === 'rank' ? figure.dimension === 'rank' : undefined),
  },
  {
    name: 'fit.growth_by_times',
    description: 'Growth by a multiple (增长1.7倍) answers how fast a thing grew, and nothing else.',
    decide: ({ ask, figure, clause: text }) => (figure.dimension === 'times' ? ask.rate === true && clause('clause.growth_by_times').test(text) : undefined),
  },
  {
    name: 'fit.change_for_whether_rose',
    description: 'Whether a thing rose, asked with no figure named (did grain output increase?), is answered by how much it changed (增产21.14亿斤, 增长5%), not by its level or a measure per unit (平均亩产958.2斤).',
    decide: ({ ask, figure, before }) => (ask.kind === 'yesno' && ask.growth && !ask.rate && !ask.stated && !isRate(figure) && !clause('clause.change_before').test(before) ? false : undefined),
  },
  {
    name: 'fit.rank_or_years_unasked',
    description: 'A rank (第9位) or a span of years (5年) answers no other ask.',
    decide: ({ figure }) => (figure.dimension === 'rank' || figure.dimension === 'years' ? false : undefined),
  },
  {
    name: 'fit.quantity_not_rate',
    description: 'A quantity asked (汽车产量多少, car output) without a word of growth is not answered by how fast it grew.',
    decide: ({ ask, figure }) => (isRate(figure) && !ask.rate && !ask.share && !ask.indicator && asksQuantity(ask) ? false : undefined),
  },
  {
    name: 'fit.level_not_growth',
    description:
      'An indicator named as an amount (旅游总收入, not …增长), in a question of no change asked other than as a target (旅游收入多少), is not answered by a growth (旅游收入分别增长85.1%和213.8%: a list’s figures before it set aside).',
    decide: ({ ask, figure, before }) =>
      isRate(figure) && ask.level && !ask.share && ask.aim !== 'target' && ask.indicator && !clause('clause.growth_label').test(ask.indicator.label) && clause('clause.growth_figure').test(before.replace(clause('clause.list_figures_tail'), ''))
        ? false
        : undefined,
  },
  {
    name: 'fit.attributive',
    description: 'A figure describing another noun (超500亿元的县市) is that noun’s bar, not a value of the topic — unless a share is asked and the figure is a portion (贡献了全省近70%的地区生产总值).',
    decide: ({ ask, figure, after }) => (clause('clause.attributive').test(after) && !(ask.share && isRate(figure)) ? false : undefined),
  },
  {
    name: 'fit.cumulative_not_added',
    description: 'A running total asked (accumulated, 累计) is not what was added in the year (新增65家).',
    decide: ({ ask, before }) => (ask.cumulative && clause('clause.added').test(before) ? false : undefined),
  },
  {
    name: 'fit.added_not_total',
    description: 'What is added in the year asked (新建多少公里) is not the running total reached (高速公路通车里程达9000公里).',
    decide: ({ ask, before }) => (ask.added && clause('clause.running_total').test(before) ? false : undefined),
  },
  {
    name: 'fit.quantity_not_count_of_other',
    description: 'A quantity asked (挖多少煤: output) is not a count of things built or added (新建智能化煤矿150座).',
    decide: ({ ask, before }) => (asksQuantity(ask) && countsOther(before) ? false : undefined),
  },
  {
    name: 'fit.quantity_not_per_unit',
    description: 'A quantity or an amount asked is not a measure per unit (粮食平均亩产958.2斤 for 打了多少粮; 全员劳动生产率16万元/人 for GDP), unless the question asks per unit itself.',
    decide: ({ ask, before, after }) => {
      const perUnit = clause('clause.per_unit');
      // (A unit per head after the figure is judged for an indicator whose clause is not the figure's: 劳动生产率 asked is.)
      const perHead = ask.indicator !== undefined && clause('clause.per_unit_after').test(after) && !ask.indicator.terms.some((term) => before.includes(term));
      const perUnitAsked = ask.concepts.some((concept) => perUnit.test(concept.written));
      if (ask.rate || perUnitAsked) return undefined;
      return (asksQuantity(ask) && perUnit.test(before)) || (perHead && (asksQuantity(ask) || ask.kind === 'amount' || ask.level === true)) ? false : undefined;
    },
  },
  {
    name: 'fit.quantity_not_capacity',
    description: 'A quantity or a comparison asked is not a capacity (新增煤炭产能6257万吨 for how much coal was mined, or which mined more), unless capacity is asked.',
    decide: ({ ask, before }) => {
      const capacity = clause('clause.capacity');
      return (asksQuantity(ask) || ask.kind === 'verdict') && capacity.test(before) && !ask.concepts.some((concept) => concept.forms.some((form) => !form.pattern && capacity.test(form.text))) ? false : undefined;
    },
  },
  {
    name: 'fit.output_not_other_measure',
    description: 'An output asked is not another measure of the thing (新能源汽车推广35.4万辆 for how many NEVs were produced), unless it is the one asked.',
    decide: ({ ask, before }) => {
      const other = clause('clause.other_measure').exec(before)?.[0];
      return other && asksOutput(ask) && !ask.concepts.some((concept) => concept.forms.some((form) => !form.pattern && other.includes(form.text))) ? false : undefined;
    },
  },
  {
    name: 'fit.count_of_other_noun',
    description: 'How many of a thing (how many cars) is not answered by a count of another noun written after the figure (2个全国重点实验室): the noun after a count is what it counts.',
    decide: ({ ask, figure, after }) => {
      if (ask.kind !== 'count' || ask.unit || figure.dimension !== 'count' || !clause('clause.noun_follows').test(after)) return undefined;
      const counted = after.slice(0, 10);
      return ask.concepts.some((concept) => !concept.verb && concept.forms.some((form) => !form.pattern && counted.includes(form.text))) ? undefined : false;
    },
  },
  {
    name: 'fit.brand_not_region',
    description: 'A brand’s figure (红旗品牌汽车销量35.1万辆) is not the region’s, unless the question asks of a brand or names it (Hongqi → 红旗).',
    decide: ({ ask, before }) => {
      const brand = clause('clause.brand').exec(before);
      if (!brand) return undefined;
      const named = before.slice(Math.max(0, brand.index - 4), brand.index);
      const asked = ask.concepts.some((concept) => concept.forms.some((form) => !form.pattern && form.text.length >= 2 && (clause('clause.brand').test(form.text) || named.includes(form.text))));
      return asked ? undefined : false;
    },
  },
  {
    name: 'fit.ratio_needs_rate',
    description: 'A ratio asked by its name (森林覆盖率, forest coverage) is answered by a percentage, not by another measure of the thing (提升森林质量322万亩); a ratio per head (全员劳动生产率16万元/人) is in its own units.',
    decide: ({ ask, figure, after }) => (!ask.indicator && !isRate(figure) && !clause('clause.per_unit_after').test(after) && ask.concepts.some((concept) => !concept.verb && clause('clause.ratio_word').test(concept.forms[0]?.text ?? '')) ? false : undefined),
  },
  {
    name: 'fit.rate_needs_rate',
    description: 'A rate asked (增长多少, how fast, what share) is answered by a rate.',
    decide: ({ ask, figure }) => (ask.rate && !isRate(figure) ? false : undefined),
  },
  {
    name: 'fit.points_for_ratio',
    description: 'Percentage points (提高14个百分点) are how a ratio moved, not how fast a thing grew: they answer a ratio or share asked.',
    decide: ({ ask, figure }) =>
      ask.rate && figure.dimension === 'points' && !ask.share && !ask.indicator?.rateContext && !ask.concepts.some((concept) => clause('clause.rate_noun').test(concept.written)) ? false : undefined,
  },
  {
    name: 'fit.share_needs_share',
    description:
      'A share asked (占GDP的比重) is answered by a share, not by a growth rate (数字经济增长15%); an indicator that is itself a share of the economy is stated in its own words (研发投入强度3.2%), and a ratio the topic names (赤字率) is that share.',
    decide: ({ ask, clause: text, before }) => (ask.rate && ask.share && !clause('clause.share').test(text) && !ownMeasure(ask, text) && !namedRatio(ask, before) ? false : undefined),
  },
  {
    name: 'fit.growth_not_share',
    description: 'How fast a thing grew is not answered by its share (出口规模…占全国份额达15%).',
    decide: ({ ask, before }) => (ask.rate && !ask.share && !ask.indicator?.rateContext && clause('clause.portion').test(before) ? false : undefined),
  },
  {
    name: 'fit.rate_of_indicator',
    description:
      'An indicator measured by a rate of its own (研发投入强度) is answered in it, or by the growth of the thing where growth is asked (研发投入增长多少), or by any rate where a field is asked; other rates answer as rates.',
    decide: ({ ask, clause: text, before }) => {
      if (!ask.rate) return undefined;
      const broad = ask.concepts.some((concept) => concept.broad);
      const growth = ask.growth === true && clause('clause.growth_figure').test(before);
      return !ask.indicator?.rateContext || broad || growth || ownMeasure(ask, text);
    },
  },
  {
    name: 'fit.amount_not_rate',
    description: 'A rate never answers an amount (how much revenue, 多少亿元) or a unit asked.',
    decide: ({ ask, figure }) => ((ask.unit || ask.kind === 'amount') && isRate(figure) ? false : undefined),
  },
  {
    name: 'fit.count_not_measure',
    description:
      'How many (shoppers, trips, old compounds) is never answered by money or a rate (离岛免税店销售额580.9亿元), nor by another measure but the quantity of the thing (改造城镇老旧小区4186万平方米 is no count; 蔬菜产量253.7万吨 answers how many vegetables); a statement going on past the answer (接待游客7.77亿人次、旅游总收入超9500亿元) may hold them. An indicator counted in money (how many special-purpose bonds: 3.9万亿元) is answered in its units.',
    decide: ({ ask, figure, primary, before }) => {
      if (!primary || ask.kind !== 'count' || ask.unit || figure.dimension === '' || UNITS.counted.has(figure.dimension) || indicatorDimensions(ask)?.has(figure.dimension)) return undefined;
      return figure.dimension === 'currency' || isRate(figure) || !TERMS.quantities.some((word) => before.includes(word)) ? false : undefined;
    },
  },
  {
    name: 'fit.value_not_count',
    description: 'A value asked in money (白酒产值, 增加值, 销售额) is not answered by a count of things (清理退出白酒企业632家).',
    decide: ({ ask, figure }) => (!ask.rate && UNITS.counted.has(figure.dimension) && ask.concepts.some((concept) => UNITS.valued.some((word) => concept.written.toLowerCase().includes(word))) ? false : undefined),
  },
  {
    name: 'fit.amount_not_count_of_other',
    description: 'A count of other things, the noun it counts written after it (7个盟市固定资产投资增速…, 新建2家…实验室 for car output), does not answer how much or how many were made (经营主体突破1465万家 counts the topic itself).',
    decide: ({ ask, figure, after }) => ((ask.kind === 'amount' || asksQuantity(ask)) && !ask.unit && figure.dimension === 'count' && clause('clause.noun_follows').test(after) ? false : undefined),
  },
  {
    name: 'fit.rate_of_other_indicator',
    description: 'A rate the report names before the figure that the topic does not name (综合机械化率达到98% for 产多少粮) is another indicator’s.',
    decide: ({ ask, figure, before }) => (isRate(figure) && !ask.share && !namesRateOfTopic(before, ask) ? false : undefined),
  },
  {
    name: 'fit.portion_unasked',
    description: 'A portion (占…) answers only a share asked, or an indicator measured as a share of something.',
    decide: ({ ask, figure, before }) => (!ask.share && isRate(figure) && !ask.indicator?.rateContext && clause('clause.portion').test(before) ? false : undefined),
  },
  {
    name: 'fit.indicator_units',
    description: 'An indicator’s figures come in its own units (新增就业 in 人 even where 多少个 is asked; a total of the economy written without its unit, 总量迈上2万亿台阶, in yuan).',
    decide: ({ ask, figure }) => {
      const dimensions = indicatorDimensions(ask);
      if (!dimensions) return undefined;
      // (A classifier of its own asked, 外资总部有多少家, counts another thing than the indicator's units: the unit asked decides.)
      if (ask.unit && !clause('clause.general_classifier').test(ask.unit) && !dimensions.has(dimensionOf(ask.unit))) return undefined;
      return dimensions.has(figure.dimension) || (dimensions.has('rate') && isRate(figure)) || (dimensions.has('currency') && bareCurrency(figure));
    },
  },
  {
    name: 'fit.unit_asked',
    description:
      'A unit asked (多少亿元, 多少列) is answered by a figure in it or in its dimension (万亿元 for 亿元; 美元 is no 元), not by a count of other things where a classifier other than 个 is asked (110个城市 for 多少列), or by a bare number the unit or a word ending in it follows (5300列, 6600多万纳税人).',
    decide: ({ ask, figure, after }) => {
      if (!ask.unit) return undefined;
      if (figure.unit === ask.unit || (figure.unit.endsWith(ask.unit) && figure.dimension === dimensionOf(withoutScale(ask.unit))) || `${figure.scale}${figure.unit}` === ask.unit) return true;
      const asked = withoutScale(ask.unit);
      if (figure.unit && figure.dimension === 'count' && dimensionOf(asked) === 'count' && !clause('clause.general_classifier').test(asked)) return false;
      if (figure.unit) return answersDimension(figure.unit, dimensionOf(asked));
      const next = after.slice(0, 4);
      return next.startsWith(ask.unit) || (HANZI.test(ask.unit) && ask.unit.length === 1 && endsWordWithin(next, ask.unit));
    },
  },
  {
    name: 'fit.amount',
    description: 'An amount asked is answered by a figure with a unit or scale that is no rate (of the economy, in yuan).',
    decide: ({ ask, figure }) => (ask.kind === 'amount' ? (figure.dimension !== '' || figure.scale !== '') && !isRate(figure) && (ask.indicator?.id !== 'gdp_growth' || isCurrency(figure)) : undefined),
  },
  {
    name: 'fit.count',
    description: 'A count asked is answered by a figure with a unit or scale that is no rate (6600多万纳税人 is a count too).',
    decide: ({ ask, figure }) => (ask.kind === 'count' ? (figure.dimension !== '' || figure.scale !== '') && !isRate(figure) : undefined),
  },
  {
    name: 'fit.any_figure',
    description: 'Otherwise any figure with a unit or a scale, or a bare number that is no year.',
    decide: ({ figure }) => figure.dimension !== '' || figure.scale !== '' || figure.number < 1900,
  },
];

/** Which rule decides whether a figure answers an ask, and how. */
export function figureFit(figure: Figure, ask: Ask, text: string, primary = true): FitVerdict {
  const fit: FitCase = { figure, ask, clause: text, before: text.slice(0, figure.index), after: text.slice(figure.index + figure.text.length), primary };
  for (const rule of FIT_RULES) {
    const decided = rule.decide(fit);
    if (decided !== undefined) return { fits: decided, rule: rule.name };
  }
  throw new Error('fit.any_figure always decides');
}

/** Whether a figure is of the kind the ask wants (a rate, an amount in the indicator's units, a count, a rank). */
export function figureFits(figure: Figure, ask: Ask, text: string, primary = true): boolean {
  return figureFit(figure, ask, text, primary).fits;
}

// Helpers of the rules ----------------------------------------------------------------------------------------

/** Whether the ask names a quantity (产量, 总额, output), in its own words or an everyday word's (挖 → 产量). */
function asksQuantity(ask: Ask): boolean {
  const quantity = (text: string): boolean => TERMS.quantities.some((word) => text.toLowerCase().endsWith(word));
  return ask.concepts.some((concept) => quantity(concept.written) || (concept.verb === true && concept.forms.some((form) => quantity(form.text))));
}

/** Whether the ask names how much of a thing was made or counted (produce, 产量, 生产): a quantity word of its own. */
function asksOutput(ask: Ask): boolean {
  return ask.concepts.some((concept) => concept.forms.some((form) => !form.pattern && TERMS.quantities.includes(form.text)));
}

/** Whether the words before a figure name a count of things added or reached (新建智能化煤矿) that is no quantity. */
function countsOther(before: string): boolean {
  const counted = REPORT.clause('clause.counted').exec(before)?.[0];
  return counted !== undefined && !TERMS.quantities.some((word) => counted.includes(word));
}

const rateContexts = new Map<string, RegExp>();
/** An indicator's rate context as a pattern (compiled once per indicator). */
function rateContextOf(source: string): RegExp {
  let pattern = rateContexts.get(source);
  if (!pattern) rateContexts.set(source, (pattern = new RegExp(source)));
  return pattern;
}

/** The clause states the asked indicator in its own measure (研发投入强度). */
function ownMeasure(ask: Ask, text: string): boolean {
  return ask.indicator?.rateContext !== undefined && rateContextOf(ask.indicator.rateContext).test(text);
}

/** A ratio the topic names (赤字率), or the topic's own ratio (科技成果本地转化率), written before the figure. */
function namedRatio(ask: Ask, before: string): boolean {
  const ratio = REPORT.clause('clause.ratio_word');
  // (Or the topic's ratio the report names, its word with 率 after it: 科技成果本地转化率 for the share converted locally.)
  const ratioOf = (text: string): boolean => before.includes(text) && ratio.test(before.slice(0, before.indexOf(text) + text.length + 1));
  return ask.concepts.some((concept) => concept.forms.some((form) => !form.pattern && (ratio.test(form.text) ? before.includes(form.text) : ratioOf(form.text))));
}

/** A unit asked without its scale (亿元 → 元), the scales as the units table has them. */
const SCALES_LONGEST_FIRST = Object.keys(UNITS.scales).sort((left, right) => right.length - left.length);
function withoutScale(unit: string): string {
  const scale = SCALES_LONGEST_FIRST.find((candidate) => unit.startsWith(candidate) && unit.length > candidate.length);
  return scale ? unit.slice(scale.length) : unit;
}

const HANZI = /^[\u4e00-\u9fff]+$/;

/** Whether a character ends the word that opens a text, within its first four characters (纳税人 for 人). */
function endsWordWithin(text: string, character: string): boolean {
  const characters = [...text];
  for (let at = 1; at < Math.min(4, characters.length); at++) {
    if (!HANZI.test(characters[at - 1]!)) return false;
    if (characters[at] === character) return true;
  }
  return false;
}

/** Whether the last rate named before a figure (机械化率, 覆盖率), if any, is one the topic's words name. */
function namesRateOfTopic(before: string, ask: Ask): boolean {
  const named = [...before.matchAll(REPORT.clause('clause.rate_noun'))].at(-1)?.[0];
  if (!named) return true;
  const rate = named.slice(-3);
  return ask.concepts.some((concept) => nearlyHolds(concept.written, rate) || concept.forms.some((form) => !form.pattern && (nearlyHolds(form.text, rate) || named.endsWith(form.text))));
}

/** Whether a text holds a word, or the word with one character other than its last written otherwise (失叶率 for 失业率). */
function nearlyHolds(text: string, word: string): boolean {
  if (text.includes(word)) return true;
  for (let at = 0; at + word.length <= text.length; at++) {
    const piece = text.slice(at, at + word.length);
    if (piece.at(-1) === word.at(-1) && differingCharacters(piece, word) <= 1) return true;
  }
  return false;
}
