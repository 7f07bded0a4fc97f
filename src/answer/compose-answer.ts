// Writing the offline answer from what was found: a lead naming the report, one cited line per quoted
// piece, a verdict for comparisons, English framing for English questions — and the plain statement of
// a refusal with the closest thing the report does say. Pure.
import { getRegion } from '../corpus/regions.ts';
import type { QuestionIntent } from '../retrieval/question-intent.ts';
import { INDICATOR_ENGLISH } from '../retrieval/lexicon.ts';
import { quoteOf, type Pick, type Refusal } from './find-answer.ts';
import { mentionsIndicator } from './grounding.ts';


const QUALIFIER: [RegExp, string][] = [
  [/左右$/, 'about '],
  [/以上$/, ' or more'],
  [/以内$/, ' or less'],
  [/以下$/, ' or less'],
];

/** `5%以上` → `5% or more`; `3%左右` → `about 3%`; `1200万人以上` → `12 million or more`. */
export function englishFigure(value: string): string {
  let core = value;
  let prefix = '';
  let suffix = '';
  for (const [pattern, english] of QUALIFIER) {
    if (!pattern.test(core)) continue;
    core = core.replace(pattern, '');
    if (english.startsWith(' ')) suffix = english;
    else prefix = english;
  }
  const amount = /^(\d+(?:\.\d+)?)(万亿|亿|万)?(.*)$/.exec(core);
  if (amount && amount[2]) {
    const scale = { 万亿: 1e12, 亿: 1e8, 万: 1e4 }[amount[2] as '万亿' | '亿' | '万'];
    const number = Number(amount[1]) * scale;
    const words = number >= 1e12 ? `${+(number / 1e12).toFixed(3)} trillion` : number >= 1e9 ? `${+(number / 1e9).toFixed(3)} billion` : number >= 1e6 ? `${+(number / 1e6).toFixed(3)} million` : `${number.toLocaleString('en-US')}`;
    const unit = ({ 元: ' yuan', 人: ' people', 斤: ' jin', 吨: ' tonnes', 亩: ' mu', 美元: ' US dollars', 人次: ' visits', 千瓦: ' kW' } as Record<string, string>)[amount[3] ?? ''] ?? (amount[3] ? ` ${amount[3]}` : '');
    core = `${words}${unit}`;
  }
  return `${prefix}${core}${suffix}`;
}


function regionName(region: string, english: boolean): string {
  if (!english) return region === '全国' ? '全国' : region;
  return region === '全国' ? 'China (national)' : (getRegion(region)?.english[0] ?? region);
}

function titleOf(picks: readonly Pick[], region: string, fallback: (region: string) => string): string {
  return picks.find((pick) => pick.region === region)?.passage.title ?? fallback(region);
}

export interface Numbering {
  /** The source number of a passage. */
  n: (passageId: string) => number;
  titleFor: (region: string) => string;
  /** The report years the corpus holds for a region (refusals about a year name them). */
  yearsFor?: (region: string) => readonly number[];
  /** What the corpus holds, for refusals about places it lacks (kept current when reports are added). */
  coverage?: { zh: string; en: string };
}

/** What a corpus holds, in a sentence: `本库收录2024年国务院、31个省级地区及苏州市、南通市、镇江市的政府工作报告`. */
export function describeCoverage(reports: readonly { region: string; level: string; year: number }[]): { zh: string; en: string } {
  const years = [...new Set(reports.map((report) => report.year))].sort();
  const national = reports.some((report) => report.level === 'national');
  const provinces = new Set(reports.filter((report) => report.level === 'province').map((report) => report.region)).size;
  const cities = [...new Set(reports.filter((report) => report.level !== 'province' && report.level !== 'national').map((report) => report.region))];
  const yearsZh = years.map((year) => `${year}年`).join('、');
  const zhParts = [national ? '国务院' : '', provinces > 0 ? `${provinces}个省（区、市）` : '', cities.length > 0 ? cities.join('、') : ''].filter(Boolean);
  const enParts = [national ? 'the national report' : '', provinces > 0 ? `${provinces} provincial reports` : '', cities.length > 0 ? `those of ${cities.map((city) => getRegion(city)?.english[0] ?? city).join(', ')}` : ''].filter(Boolean);
  return { zh: `本库收录${yearsZh}${zhParts.join('、')}的政府工作报告`, en: `the corpus holds ${years.join(' and ')} reports: ${enParts.join(', ')}` };
}

/** When an answer quotes both parts of a report, each line says which year it speaks of. */
function partLabel(pick: Pick, intent: QuestionIntent, mixed: boolean): string {
  if (!mixed || pick.passage.part === 'other') return '';
  const year = pick.passage.part === 'review' ? pick.passage.year - 1 : pick.passage.year;
  if (intent.english) return pick.passage.part === 'review' ? `In ${year}: ` : `${year} plan: `;
  return pick.passage.part === 'review' ? `${year}年：` : `${year}年目标/安排：`;
}

function line(pick: Pick, intent: QuestionIntent, numbering: Numbering, mixed = false): string {
  // A `分别` list names the asked figure after the quote: `…分别增长6%、5%、6%左右（其中社会消费品零售总额增长：5%左右）`.
  const label = pick.indicator ? (intent.residents && pick.indicator.scopeLabels ? pick.indicator.scopeLabels[intent.residents] : pick.indicator.label) : '';
  const listed = pick.figure && label ? `（其中${label}：${pick.figure}）` : '';
  const quote = `${partLabel(pick, intent, mixed)}${intent.english ? '' : `${quoteOf(pick)}${listed}`}`;
  const marker = `[${numbering.n(pick.passage.id)}]`;
  if (!intent.english) return `${quote} ${marker}。`;
  return `${partLabel(pick, intent, mixed)}${englishLine(pick, marker, intent, intent.residents && pick.indicator?.scopeLabels ? intent.residents : undefined)}`;
}

/** The figures of a quote (`5.5%左右`, `1200万人以上`, `13.57万亿元`), as written. */
const FIGURES = /\d+(?:\.\d+)?\s*(?:%|[万亿千]*(?:元|美元|人次|人|斤|吨|亩|千瓦|个|家)?)\s*(?:左右|以上|以内|以下)?/g;
/** A question about a rate of change (增长了多少, how fast, growth), not an amount. */
const ASKS_CHANGE = /增长|增速|增幅|涨幅|下降|降低|grow|growth|increase|rise|fall|how fast|rate|percent/i;

/**
 * The figure that answers in a pick: the asked one of a `分别` list (none for a list without it); else of
 * the quote's figures the percentage where a change is asked, the amount where an amount is, else the first
 * (`地区生产总值达到13.57万亿元、增长4.8%` answers a growth question with 4.8%).
 */
function answeringFigure(pick: Pick, intent?: QuestionIntent): string | undefined {
  if (pick.figure !== undefined) return pick.figure ?? undefined;
  const figures = [...quoteOf(pick).matchAll(FIGURES)].map((match) => match[0].replace(/\s+/g, '')).filter((figure) => /\d/.test(figure) && !/^(?:19|20)\d{2}$/.test(figure));
  if (intent?.wanted === 'amount') return figures.find((figure) => !figure.includes('%')) ?? figures[0];
  if (intent && ASKS_CHANGE.test(intent.asked)) return figures.find((figure) => figure.includes('%')) ?? figures[0];
  return figures[0];
}

/** An indicator's English label for the figure given: `GDP growth` for 5%, `GDP` for 13.57 trillion yuan. */
function labelForFigure(label: string, figure: string): string {
  return figure.includes('%') ? label : label.replace(/\s*\(imports and exports\)/, '').replace(/\s+(?:growth|increase)$/, '');
}

function englishLine(pick: Pick, marker: string, intent: QuestionIntent, residents?: 'urban' | 'rural'): string {
  const quote = quoteOf(pick);
  const figure = answeringFigure(pick, intent);
  const indicatorLabel = pick.indicator && figure ? INDICATOR_ENGLISH[pick.indicator.id] : undefined;
  const scopedLabel = indicatorLabel && residents ? `${residents} ${indicatorLabel}` : indicatorLabel;
  const label = scopedLabel && figure ? labelForFigure(scopedLabel, figure) : undefined;
  if (label && figure && (pick.figure || !/[，；]/.test(quote.slice(quote.indexOf(figure) + figure.length)))) {
    // A target indicator's plan figure is a target; another's (special bonds) is what is planned.
    const planned = pick.indicator?.target === false && !/target|goal/i.test(intent.asked);
    const when = pick.passage.part === 'plan' ? (planned ? ` planned for ${pick.passage.year}` : ` target for ${pick.passage.year}`) : pick.passage.part === 'review' ? ` in ${pick.passage.year - 1}` : '';
    return `${label[0]!.toUpperCase()}${label.slice(1)}${when}: ${englishFigure(figure)} (${quote}) ${marker}.`;
  }
  return `“${quote}” ${marker}.`;
}

function notesFor(intent: QuestionIntent): string {
  const notes: string[] = [];
  for (const { written, region } of intent.approximations) notes.push(intent.english ? `(Read “${written}” as ${region}.)` : `（按${region}理解“${written}”。）`);
  return notes.join('');
}

/** A comparison's verdict from the figures quoted for each region (`浙江省5.5%左右，高于江苏省5%以上`). */
function verdictOf(byRegion: readonly { region: string; picks: Pick[] }[], intent: QuestionIntent, numbering: Numbering): string | undefined {
  const sides = byRegion.flatMap(({ region, picks }) => {
    const pick = picks[0];
    const figure = pick ? answeringFigure(pick, intent) : undefined;
    return pick && figure ? [{ region, figure, value: Number(/\d+(?:\.\d+)?/.exec(figure)![0]), n: numbering.n(pick.passage.id) }] : [];
  });
  if (sides.length !== 2 || sides.length !== byRegion.length) return undefined;
  const [left, right] = sides as [(typeof sides)[0], (typeof sides)[0]];
  if (/%/.test(left.figure) !== /%/.test(right.figure)) return undefined;
  const cite = `[${left.n}]${left.n === right.n ? '' : `[${right.n}]`}`;
  if (intent.english) {
    const verb = left.value > right.value ? 'higher than' : left.value < right.value ? 'lower than' : 'the same as';
    return `${regionName(left.region, true)}'s ${englishFigure(left.figure)} (${left.figure}) is ${verb} ${regionName(right.region, true)}'s ${englishFigure(right.figure)} (${right.figure}) ${cite}; qualifiers such as 左右 (about) and 以上 (or more) are read at their number.`;
  }
  const relation = left.value > right.value ? '高于' : left.value < right.value ? '低于' : '与其持平：';
  const sentence = left.value === right.value ? `${left.region}${left.figure}，${right.region}${right.figure}，两者持平` : `${left.region}${left.figure}，${relation}${right.region}${right.figure}`;
  return `结论：${sentence} ${cite}（“左右”“以上”等按其数字比较）。`;
}

/** `结论：2024年目标（110万人以上）低于2023年实际（139.3万人）`, when the picks hold a plan figure and a review figure in one unit. */
function verdictAcrossYears(picks: readonly Pick[], intent: QuestionIntent, numbering: Numbering): string | undefined {
  const plan = picks.find((pick) => pick.passage.part === 'plan');
  const review = picks.find((pick) => pick.passage.part === 'review');
  const target = plan ? answeringFigure(plan, intent) : undefined;
  const outcome = review ? answeringFigure(review, intent) : undefined;
  if (!plan || !review || !target || !outcome) return undefined;
  const unit = (figure: string): string => figure.replace(/[\d.\s]|左右|以上|以内|以下/g, '');
  if (unit(target) !== unit(outcome)) return undefined;
  const [left, right] = [Number(/\d+(?:\.\d+)?/.exec(target)![0]), Number(/\d+(?:\.\d+)?/.exec(outcome)![0])];
  const cite = `[${numbering.n(plan.passage.id)}]${numbering.n(review.passage.id) === numbering.n(plan.passage.id) ? '' : `[${numbering.n(review.passage.id)}]`}`;
  const year = plan.passage.year;
  if (intent.english) {
    const verb = left > right ? 'higher than' : left < right ? 'lower than' : 'the same as';
    return `Verdict: the ${year} target (${target}) is ${verb} the ${year - 1} outcome (${outcome}) ${cite}.`;
  }
  const relation = left > right ? '高于' : left < right ? '低于' : '持平于';
  return `结论：${year}年目标（${target}）${relation}${year - 1}年实际（${outcome}） ${cite}（“左右”“以上”等按其数字比较）。`;
}

/** The answer from the picks of each region (in the question's order). */
export function composeFound(intent: QuestionIntent, byRegion: readonly { region: string; picks: Pick[] }[], numbering: Numbering, extra: { noRegionNamed: boolean; missing: { region: string; closest: Pick[] }[] }): string {
  const english = intent.english;
  const notes = notesFor(intent);
  const parts: string[] = [];
  if (byRegion.length === 1) {
    const { region, picks } = byRegion[0]!;
    const title = titleOf(picks, region, numbering.titleFor);
    const unnamed = extra.noRegionNamed ? (english ? 'The question names no region; this is the national report. ' : '问题未指明地区，以下为国务院政府工作报告的表述。') : '';
    // Quotes from several years' reports of the region (a question across years): each line names its report.
    const years = new Set(picks.map((pick) => pick.passage.title));
    const lead =
      years.size > 1
        ? english
          ? `${unnamed}The reports of ${regionName(region, true)} say:`
          : `${unnamed}${region}各年报告的表述如下：`
        : english
          ? `${unnamed}According to 《${title}》 (${regionName(region, true)}):`
          : `${unnamed}根据《${title}》：`;
    const mixed = years.size === 1 && new Set(picks.map((pick) => pick.passage.part).filter((part) => part !== 'other')).size > 1;
    const lines = picks.map((pick) => (years.size > 1 ? `《${pick.passage.title}》${english ? ': ' : '：'}` : '') + line(pick, intent, numbering, mixed));
    parts.push(lines.length === 1 ? `${lead}${english ? ' ' : ''}${lines[0]}` : `${lead}\n${lines.map((text) => `- ${text}`).join('\n')}`);
    // This year's target against last year's outcome: the verdict from the two figures.
    const versus = intent.versusLastYear ? verdictAcrossYears(picks, intent, numbering) : undefined;
    if (versus) parts.push(versus);
    // Several indicators asked, one the quotes do not speak of: said, not left out silently.
    const quoted = picks.map(quoteOf).join(' ');
    const unanswered = intent.indicators.length > 1 ? intent.indicators.filter((indicator) => !mentionsIndicator(quoted, indicator, intent.question)) : [];
    if (unanswered.length > 0) {
      parts.push(
        english
          ? `(The report gives no ${unanswered.map((indicator) => INDICATOR_ENGLISH[indicator.id] ?? indicator.label).join(' or ')} figure.)`
          : `（报告未给出${unanswered.map((indicator) => indicator.label).join('、')}的具体数字。）`,
      );
    }
  } else {
    parts.push(english ? 'The reports say:' : '各地报告的表述如下：');
    for (const { region, picks } of byRegion) parts.push(`- **${regionName(region, english)}**${english ? ': ' : '：'}${picks.map((pick) => line(pick, intent, numbering)).join(english ? ' ' : '')}`);
    if (intent.wanted === 'verdict' || intent.subjects.length === 2) {
      const verdict = intent.wanted === 'verdict' ? verdictOf(byRegion, intent, numbering) : undefined;
      if (verdict) parts.push(verdict);
    }
  }
  for (const { region, closest } of extra.missing) {
    const near = closest.map((pick) => line(pick, intent, numbering));
    parts.push(
      english
        ? `(The report of ${regionName(region, true)} gives no such figure${near.length > 0 ? `; the closest it says: ${near.join(' ')}` : '.'})`
        : `（《${numbering.titleFor(region)}》未给出相应内容${near.length > 0 ? `；最接近的表述是：${near.join('')}` : '。'}）`,
    );
  }
  return `${notes}${parts.join('\n')}`;
}

/** Why a question is outside the reports, by its kind (`OUT_OF_SCOPE` in the lexicon). */
const OUT_OF_SCOPE_ZH: Record<string, string> = {
  people: '政府工作报告讲的是目标、成绩和任务，不回答某个职务由谁担任，无法回答。',
  biography: '政府工作报告不涉及个人情况（籍贯、学历、履历等），无法回答。',
  markets: '政府工作报告不涉及市场行情（股价、汇率等），无法回答。',
  weather: '政府工作报告不涉及天气，无法回答。',
  request: '这里只回答关于政府工作报告的问题，不写诗、讲笑话或代写文章。',
  other: '政府工作报告不涉及这类信息，无法回答。',
};
const OUT_OF_SCOPE_EN: Record<string, string> = {
  people: 'The government work reports set out targets, results and tasks; they do not say who holds an office.',
  biography: 'The government work reports do not cover personal details (birthplace, education, career).',
  markets: 'The government work reports do not cover market prices (shares, exchange rates).',
  weather: 'The government work reports do not cover the weather.',
  request: 'This assistant answers questions about the government work reports; it does not write poems, jokes or essays.',
  other: 'The government work reports do not cover this (it is not about the government’s targets, outcomes or tasks).',
};

/** Whether the question asks for a number (a refusal of measures or plans does not speak of "the figure"). */
function asksNumber(intent: QuestionIntent): boolean {
  if (intent.wanted === 'measures' || intent.wanted === 'tasks') return false;
  return intent.wanted !== 'fact' || /多少|几|数|率|额|量|how (?:much|many|fast|large|big)|what (?:is|was|are|were)\b/i.test(intent.asked);
}

/** How a refusal names what was not found, by the kind of answer wanted. */
const WANTED_ZH: Partial<Record<QuestionIntent['wanted'], string>> = { amount: '总量（绝对数）', figure: '具体数字', rank: '排名', count: '数量', verdict: '可比较的数字', yesno: '具体数字', measures: '具体举措' };
const WANTED_EN: Partial<Record<QuestionIntent['wanted'], string>> = { amount: 'total (absolute amount)', figure: 'figure', rank: 'rank', count: 'count', verdict: 'comparable figure', yesno: 'figure', measures: 'measures' };

const DEFAULT_COVERAGE = { zh: '本库收录2024年国务院及31个省（区、市）和苏州、南通、镇江三市的政府工作报告', en: 'the corpus holds the 2024 national report, the 31 provincial reports and those of Suzhou, Nantong and Zhenjiang' };

/** The plain statement of a refusal, with the closest statement cited when there is one. */
export function composeRefusal(refusal: Refusal, intent: QuestionIntent, numbering: Numbering): string {
  const english = intent.english;
  // The closest statement says which year it speaks of: it is often the other part of the report.
  const closest = refusal.closest.map((pick) => line(pick, intent, numbering, true));
  const closestText = closest.length > 0 ? (english ? ` The closest it says: ${closest.join(' ')}` : `报告中最接近的表述是：${closest.join('')}`) : '';
  const title = 'region' in refusal ? numbering.titleFor(refusal.region) : '';
  const { zh: COVERAGE_ZH, en: COVERAGE_EN } = numbering.coverage ?? DEFAULT_COVERAGE;
  switch (refusal.reason) {
    case 'unknown_place':
      return english ? `The reports at hand include no government work report for ${refusal.places.join(', ')}; ${COVERAGE_EN}.` : `现有报告中没有${refusal.places.join('、')}的政府工作报告（${COVERAGE_ZH}），无法回答。`;
    case 'region_not_in_corpus':
      return english ? `The reports at hand do not include a government work report for ${refusal.regions.map((region) => regionName(region, true)).join(', ')} (${refusal.regions.join('、')}); ${COVERAGE_EN}.` : `现有报告中未找到${refusal.regions.join('、')}的政府工作报告（${COVERAGE_ZH}），无法回答。`;
    case 'out_of_scope':
      if (english) return OUT_OF_SCOPE_EN[refusal.topic] ?? OUT_OF_SCOPE_EN.other!;
      return refusal.topic === 'request' ? OUT_OF_SCOPE_ZH.request! : `现有报告中未找到相关内容：${OUT_OF_SCOPE_ZH[refusal.topic] ?? OUT_OF_SCOPE_ZH.other!}`;
    case 'year_not_covered': {
      if (refusal.scope === 'no_review') return english ? `《${title}》 gives only the plan for this year, with no figures for last year.${closestText}` : `《${title}》只给出今年的目标和安排，没有上一年的实际数据。${closestText}`;
      if (refusal.scope === 'review_target') {
        const year = refusal.year ?? '上一';
        return english
          ? `《${title}》 reviews what was achieved in ${refusal.year ?? 'the previous year'}; it does not restate that year's targets, which are set in that year's own report (not in the corpus).${closestText}`
          : `《${title}》回顾的是${year}年的实际完成情况，没有给出${year}年的目标（目标在${year}年的政府工作报告中，本库未收录）。${closestText}`;
      }
      if (refusal.scope === 'plan_year_outcome') return english ? `《${title}》 was delivered at the start of the year: it sets targets, not outcomes, for that year.${closestText}` : `《${title}》作于年初，只有当年的目标，没有当年的实际完成数据。${closestText}`;
      if (refusal.scope === 'future') {
        const held = numbering.yearsFor?.(refusal.region) ?? [];
        const heldEn = held.length > 1 ? ` (it holds ${held.join(', ')})` : '';
        const heldZh = held.length > 1 ? `（现有${held.join('、')}年的报告）` : '';
        return english ? `The corpus holds no report of ${regionName(refusal.region, true)} for ${refusal.year ?? 'that year'}${heldEn}; 《${title}》 is the latest.${closestText}` : `现有报告中没有${refusal.region}${refusal.year ?? '该'}年的政府工作报告${heldZh}，最新的是《${title}》。${closestText}`;
      }
      return english ? `《${title}》 gives no figure for ${refusal.year ?? 'that year'}.` : `现有报告中未找到相关内容：《${title}》没有提出${refusal.year ?? '该'}年的相关目标或数据。`;
    }
    case 'topic_absent':
      return english
        ? `《${title}》 does not mention ${refusal.what || 'this'}, so the reports do not give this ${asksNumber(intent) ? 'figure' : 'answer'}.`
        : `现有报告中未找到相关内容：《${title}》没有提及${refusal.what || '该内容'}，无法${asksNumber(intent) ? '给出该数字' : '回答'}。`;
    case 'near_miss':
      // Measures or plans asked: what comes closest is a related statement, not the missing answer's neighbour.
      if (!asksNumber(intent) && refusal.closest.length > 0) {
        return english
          ? `《${title}》 does not speak of ${refusal.what || 'this'} as such. A related statement: ${refusal.closest.map((pick) => line(pick, intent, numbering)).join(' ')}`
          : `《${title}》没有专门谈到${refusal.what ? `“${refusal.what}”` : '这一点'}。相关的表述是：${refusal.closest.map((pick) => line(pick, intent, numbering)).join('')}`;
      }
      return english
        ? `《${title}》 gives no ${WANTED_EN[intent.wanted] ?? 'figure'}${refusal.what ? ` for ${refusal.what}` : ''}.${closestText}`
        : `现有报告中未找到该数据：《${title}》没有给出${refusal.what ? `“${refusal.what}”的` : ''}${WANTED_ZH[intent.wanted] ?? '所问数据'}。${closestText}`;
    case 'no_region_named': {
      const named = refusal.closest.map((pick) => `- **${regionName(pick.region, english)}**${english ? ': ' : '：'}${line(pick, intent, numbering)}`);
      return english
        ? `The question names no region, and the national report does not answer it.${named.length > 0 ? ` Related statements in regional reports (none of them is the answer for China as a whole):\n${named.join('\n')}` : ''}`
        : `问题没有指明地区，国务院政府工作报告中也没有相应内容。${named.length > 0 ? `以下相关表述分别来自各地区的报告，并非全国的答案：\n${named.join('\n')}` : '请指明地区。'}`;
    }
    case 'nothing_relevant':
      return english ? 'The reports at hand contain nothing that answers this question.' : '现有报告中未找到与该问题直接相关的内容。';
  }
}
