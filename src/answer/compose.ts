// Writing the offline answer from the decision: a lead naming the report, one cited line per quoted
// statement, the asked figure named where a quote holds several, a verdict for comparisons (converted to one
// unit: 万吨 and 亿斤), English framing for English questions — and the plain statement of a refusal with
// what the report does say that comes closest. Records the numbers the English framing wrote differently
// from the report (1.2 million for 120万), so that the number check knows them. Pure.
import { getRegion } from '../corpus/regions.ts';
import { englishNoun } from '../lexicon/lexicon.ts';
import type { Ask, Intent } from '../understand/intent.ts';
import { wantsFigure, type Candidate } from './evidence.ts';
import { englishFigure, isRate, readFigures, type Figure } from './figures.ts';
import type { Decision, RegionFinding, Refusal } from './decide.ts';

export interface Numbering {
  /** The source number of a passage. */
  n: (passageId: string) => number;
  titleFor: (region: string) => string;
  /** The report years the corpus holds for a region (refusals about a year name them). */
  yearsFor?: (region: string) => readonly number[];
  /** What the corpus holds, for refusals about places it lacks. */
  coverage?: { zh: string; en: string };
}

export interface Composed {
  text: string;
  /** Numbers the answer writes that the report writes otherwise (1.2 for 120万): not unsupported claims. */
  converted: string[];
}

/** What a corpus holds, in a sentence: `本库收录2024年国务院、31个省（区、市）、苏州市、南通市、镇江市的政府工作报告`. */
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

function regionName(region: string, english: boolean): string {
  if (!english) return region;
  return region === '全国' ? 'China (national)' : (getRegion(region)?.english[0] ?? region);
}

/** A region heading a line of a list: in English with its Chinese name, as the reports write it (Shanxi (山西省)). */
function listName(region: string, english: boolean): string {
  return english && region !== '全国' ? `${regionName(region, true)} (${region})` : regionName(region, english);
}

/** The quoted text of a candidate, as it appears in the answer. */
export function quoteOf(candidate: Candidate): string {
  return candidate.pieces.map((piece) => piece.text.replace(/[。；;，,：:、]+$/, '')).join('……');
}

/** When an answer quotes both parts of a report, each line says which year it speaks of. */
function partLabel(candidate: Candidate, english: boolean, mixed: boolean): string {
  if (!mixed || candidate.passage.part === 'other') return '';
  const year = candidate.passage.part === 'review' ? candidate.passage.year - 1 : candidate.passage.year;
  if (english) return candidate.passage.part === 'review' ? `In ${year}: ` : `${year} plan: `;
  return candidate.passage.part === 'review' ? `${year}年：` : `${year}年目标/安排：`;
}

class Writer {
  readonly converted: string[] = [];
  constructor(
    readonly intent: Intent,
    readonly numbering: Numbering,
  ) {}

  get english(): boolean {
    return this.intent.language === 'en';
  }

  marker(candidate: Candidate): string {
    return `[${this.numbering.n(candidate.passage.id)}]`;
  }

  /** One cited line for a quoted statement. */
  line(candidate: Candidate, finding: Pick<RegionFinding, 'ask'> | undefined, mixed = false): string {
    const label = partLabel(candidate, this.english, mixed);
    const quote = quoteOf(candidate);
    const figure = candidate.figure;
    if (candidate.worded !== undefined && !figure) {
      // A target stated in words is the answer, said as such.
      if (!this.english) return `${label}${quote} ${this.marker(candidate)}（目标以文字表述，没有给出具体数字）。`;
      const indicator = finding?.ask.indicator;
      const what = indicator ? `${indicator.english[0]!.toUpperCase()}${indicator.english.slice(1)} target for ${candidate.passage.year}` : 'The target';
      return `${label}${what}, stated in words rather than as a number: “${quote}” ${this.marker(candidate)}.`;
    }
    if (!this.english) {
      // A quote holding several figures of the answer's kind names the one asked (…分别增长6%、5%、6%左右（其中社会消费品零售总额：5%左右）).
      const ask = finding?.ask;
      // Named as the report names the item (乡村旅游经营收入), not as the question asked it.
      // (A list of every group's figure where everyone's was asked is the answer whole.)
      const named = figure && candidate.listed && !candidate.eachItem && ask ? `（其中${candidate.item ?? ask.label}：${figure.text}）` : '';
      return `${label}${quote}${named} ${this.marker(candidate)}。`;
    }
    return `${label}${this.englishLine(candidate, finding)}`;
  }

  /** `GDP growth target for 2024: 5% or more (地区生产总值增长5%以上) [1].` — or the quote alone. */
  englishLine(candidate: Candidate, finding: Pick<RegionFinding, 'ask'> | undefined): string {
    const quote = quoteOf(candidate);
    const marker = this.marker(candidate);
    const figure = candidate.figure;
    const ask = finding?.ask;
    // A related indicator's figure (what comes closest) is quoted as the report says it, not named by an indicator.
    const indicator = candidate.of ? undefined : ask?.indicator;
    if (figure?.dimension === 'rank') {
      const when = candidate.passage.part === 'review' ? ` in ${candidate.passage.year - 1}` : '';
      const what = indicator ? `${englishNoun(indicator)} rank` : 'Rank';
      // A rank the report writes in words (居全国第一) is the number's conversion, not a figure to find.
      this.converted.push(String(figure.number));
      return `${what[0]!.toUpperCase()}${what.slice(1)}${when}: No. ${figure.number} (${quote}) ${marker}.`;
    }
    // Every group's figure of a list (urban and rural residents) where everyone's was asked: the list is the answer.
    if (candidate.eachItem) return `“${quote}” ${marker}.`;
    // One item's figure of a list (汽车 of 汽车、太阳能电池…产量分别增长33.4%、154.5%、7.4%): the figure, then whose it is.
    if (figure && candidate.listed && candidate.item && !indicator) {
      const said = englishFigure(figure);
      this.converted.push(...said.converted);
      return `${said.text}, the figure of ${candidate.item} in “${quote}” ${marker}.`;
    }
    // The indicator names the figure only when it is the whole topic: exports of the “new three” are not foreign trade.
    const ownTopic = (ask?.concepts.some((concept) => !concept.indicator && !concept.verb && !concept.measure && !concept.untranslated && !concept.anchor) ?? false);
    if (figure && indicator && ownTopic) {
      const said = englishFigure(figure);
      this.converted.push(...said.converted);
      return `${said.text} (${quote}) ${marker}.`;
    }
    if (figure && indicator) {
      const residents = ask?.residents && indicator.scopeLabels ? `${ask.residents} ` : '';
      const label = figureLabel(indicator, figure);
      const planned = !indicator.target && ask?.aim !== 'target';
      const when = candidate.passage.part === 'plan' ? (planned ? ` planned for ${candidate.passage.year}` : ` target for ${candidate.passage.year}`) : candidate.passage.part === 'review' ? ` in ${candidate.passage.year - 1}` : '';
      const said = englishFigure(figure);
      this.converted.push(...said.converted);
      const text = `${residents}${label}`;
      // How a thing went (how big and how fast): the quote's figure of the other kind too, level beside growth.
      const other = ask?.performance ? readFigures(quote).find((written) => isRate(written) !== isRate(figure) && (written.dimension === 'rate' || written.dimension === figure.dimension)) : undefined;
      const otherSaid = other ? englishFigure(other) : undefined;
      if (otherSaid) this.converted.push(...otherSaid.converted);
      const also = other && otherSaid ? `; ${figureLabel(indicator, other)}: ${otherSaid.text}` : '';
      return `${text[0]!.toUpperCase()}${text.slice(1)}${when}: ${said.text}${also} (${quote}) ${marker}.`;
    }
    return `“${quote}” ${marker}.`;
  }
}

/** What an indicator's figure is called in English: its rate's name for a rate, else the thing itself (foreign trade). */
function figureLabel(indicator: NonNullable<Ask['indicator']>, figure: Figure): string {
  return isRate(figure) ? indicator.english : englishNoun(indicator).replace(/\s*\(imports and exports\)/, '');
}

function notesFor(intent: Intent): string {
  return intent.approximations.map(({ written, region }) => (intent.language === 'en' ? `(Read “${written}” as ${region}.)` : `（按${region}理解“${written}”。）`)).join('');
}

/** The figure a comparison compares: the candidate's own, with its value in the dimension's base unit. */
function comparable(candidate: Candidate | undefined): Figure | undefined {
  return candidate?.figure;
}

/** A comparison's verdict from the figures quoted for two sides (converted to one unit: 1270万吨 against 715亿斤). */
function verdict(left: { name: string; candidate: Candidate }, right: { name: string; candidate: Candidate }, writer: Writer, versus: { zh: string; en: string } = { zh: '', en: '' }): string | undefined {
  const a = comparable(left.candidate);
  const b = comparable(right.candidate);
  if (!a || !b || isRate(a) !== isRate(b) || (!isRate(a) && a.dimension !== b.dimension)) return undefined;
  const [x, y] = isRate(a) ? [a.number, b.number] : [a.value, b.value];
  const nLeft = writer.numbering.n(left.candidate.passage.id);
  const nRight = writer.numbering.n(right.candidate.passage.id);
  const cite = `[${nLeft}]${nLeft === nRight ? '' : `[${nRight}]`}`;
  const converted = !isRate(a) && a.unit !== b.unit;
  if (writer.english) {
    const verb = x > y ? 'higher than' : x < y ? 'lower than' : 'the same as';
    const ea = englishFigure(a);
    const eb = englishFigure(b);
    writer.converted.push(...ea.converted, ...eb.converted);
    // The report's own writing beside the English, where they differ (1.2 million people (120万人); 51%, once).
    const said = (english: string, written: string): string => (english === written ? english : `${english} (${written})`);
    const qualified = a.qualifier || b.qualifier;
    return `Verdict: ${left.name}${versus.en} ${said(ea.text, a.text)} is ${verb} ${right.name} ${said(eb.text, b.text)} ${cite}${converted ? ', compared in one unit' : ''}${qualified ? '; qualifiers such as 左右 (about) and 以上 (or more) are read at their number' : ''}.`;
  }
  const relation = x > y ? '高于' : x < y ? '低于' : '持平于';
  const note = converted ? `（按同一单位换算后比较：${a.text}${sameUnitNote(a, b)}）` : '';
  return `结论：${left.name}${versus.zh}（${a.text}）${relation}${right.name}（${b.text}） ${cite}${note}（“左右”“以上”等按其数字比较）。`;
}

/** `1270万吨` against `715亿斤`: the second in the first's unit, for the reader to check the verdict. */
function sameUnitNote(a: Figure, b: Figure): string {
  const inA = b.value / (a.value / (a.number || 1));
  const rounded = +inA.toFixed(1);
  return `，${b.text}约合${rounded}${a.scale}${a.unit}`;
}

/**
 * The findings' quotes, each once: two asks answered by one quote (a figure and its rank in one clause) show it once,
 * and a quote inside another of the same passage (其中农村1万个以上 of 新建…充电桩2万个以上，其中农村1万个以上) is shown in it.
 */
function distinctQuotes(findings: readonly RegionFinding[]): { candidate: Candidate; finding: RegionFinding }[] {
  const all = findings.flatMap((finding) => finding.quotes.map((candidate) => ({ candidate, finding })));
  const same = (left: Candidate, right: Candidate): boolean => left.passage.id === right.passage.id && quoteOf(left) === quoteOf(right);
  return all
    .filter(({ candidate }, position) =>
      all.every((other, at) => {
        if (at === position || other.candidate.passage.id !== candidate.passage.id) return true;
        const mine = quoteOf(candidate);
        const theirs = quoteOf(other.candidate);
        return mine === theirs ? at > position : !theirs.includes(mine);
      }),
    )
    .map((entry) => {
      // One `分别` list answering several asks, each its item (投资、社零、进出口分别增长…): the list whole, once.
      // (So is one quote giving two asks two figures: 一般公共预算收入增长10.6%，其中税收收入增长19.9%.)
      const sharing = all.filter((other) => same(other.candidate, entry.candidate));
      const items = new Set(sharing.map((other) => other.candidate.item));
      const figures = new Set(sharing.map((other) => other.candidate.figure?.text));
      return (entry.candidate.listed && items.size > 1) || figures.size > 1 ? { ...entry, candidate: { ...entry.candidate, eachItem: true } } : entry;
    });
}

/** The answer from what each region's report says (in the question's order). */
export function composeAnswer(intent: Intent, findings: readonly RegionFinding[], numbering: Numbering): Composed {
  const writer = new Writer(intent, numbering);
  const english = writer.english;
  const parts: string[] = [];
  // Places inside a region the corpus holds are answered by name from that region's report.
  const places = [...new Set(findings.flatMap((finding) => (finding.place ? [finding.place] : [])))];
  if (places.length > 0) {
    const region = findings[0]!.region;
    const title = findings.find((finding) => finding.quotes[0])?.quotes[0]?.passage.title ?? numbering.titleFor(region);
    parts.push(
      english
        ? `The corpus holds no report of ${places.join(', ')}; 《${title}》 (${regionName(region, true)}) says of ${places.length > 1 ? 'them' : 'it'}:`
        : `本库没有${places.join('、')}的政府工作报告；《${title}》中关于${places.join('、')}的表述如下：`,
    );
    for (const { candidate, finding } of distinctQuotes(findings)) parts.push(`- ${places.length > 1 ? `**${finding.place}**${english ? ': ' : '：'}` : ''}${writer.line(candidate, finding)}`);
    return { text: `${notesFor(intent)}${parts.join('\n')}`, converted: writer.converted };
  }
  const regions = [...new Set(findings.map((finding) => finding.region))];
  const answered = findings.filter((finding) => finding.quotes.length > 0);
  const noRegionNamed = intent.subjects.length === 0;
  if (regions.length === 1) {
    const region = regions[0]!;
    const quotes = distinctQuotes(answered);
    const title = quotes[0]?.candidate.passage.title ?? numbering.titleFor(region);
    // No region named: the national report's — or the one region whose report names what the question quotes.
    const named = [...new Set(intent.asks.flatMap((ask) => ask.quoted))].filter((phrase) => phrase.length >= 2).map((phrase) => `“${phrase}”`).join('、');
    const unnamed = !noRegionNamed
      ? ''
      : region === '全国'
        ? english
          ? 'The question names no region; this is the national report. '
          : '问题未指明地区，以下为国务院政府工作报告的表述。'
        : english
          ? `The question names no region; of the reports, ${regionName(region, true)}'s answers for ${named}. `
          : `问题未指明地区；各报告中只有${region}的报告回答了${named}。`;
    const titles = new Set(quotes.map(({ candidate }) => candidate.passage.title));
    const lead = titles.size > 1 ? (english ? `${unnamed}The reports of ${regionName(region, true)} say:` : `${unnamed}${region}各年报告的表述如下：`) : english ? `${unnamed}According to 《${title}》 (${regionName(region, true)}):` : `${unnamed}根据《${title}》：`;
    const mixed = titles.size === 1 && new Set(quotes.map(({ candidate }) => candidate.passage.part).filter((part) => part !== 'other')).size > 1;
    const lines = quotes.map(({ candidate, finding }) => (titles.size > 1 ? `《${candidate.passage.title}》${english ? ': ' : '：'}` : '') + writer.line(candidate, finding, mixed));
    parts.push(lines.length === 1 ? `${lead}${english ? ' ' : ''}${lines[0]}` : `${lead}\n${lines.map((text) => `- ${text}`).join('\n')}`);
    // This year's target against last year's outcome, or two years' targets: the verdict from the two figures.
    if (quotes.length === 2 && (intent.shape === 'versus_last_year' || titles.size > 1 || intent.asks.some((ask) => ask.kind === 'verdict'))) {
      const [first, second] = quotes as [(typeof quotes)[0], (typeof quotes)[0]];
      const name = (candidate: Candidate): string => (candidate.passage.part === 'review' ? (english ? `the ${candidate.passage.year - 1} outcome` : `${candidate.passage.year - 1}年实际`) : english ? `the ${candidate.passage.year} target` : `${candidate.passage.year}年目标`);
      const said = verdict({ name: name(first.candidate), candidate: first.candidate }, { name: name(second.candidate), candidate: second.candidate }, writer);
      if (said) parts.push(said);
    }
    // Several asks, one the report does not answer: said, not left out silently.
    for (const finding of findings.filter((candidate) => candidate.quotes.length === 0)) {
      const figure = wantsFigure(finding.ask);
      parts.push(english ? (figure ? `(The report gives no ${finding.ask.indicator?.english ?? finding.ask.label} figure.)` : `(The report says nothing of ${finding.ask.label} here.)`) : figure ? `（报告未给出${finding.ask.label}的具体数字。）` : `（报告未谈到${finding.ask.label}。）`);
    }
  } else {
    parts.push(english ? 'The reports say:' : '各地报告的表述如下：');
    for (const region of regions) {
      const own = answered.filter((finding) => finding.region === region);
      if (own.length === 0) continue;
      // (Two asks the same quote answers, which mined more coal and how much each produced, show it once.)
      const lines = [...new Set(own.flatMap((finding) => finding.quotes.map((candidate) => writer.line(candidate, finding))))];
      parts.push(`- **${listName(region, english)}**${english ? ': ' : '：'}${lines.join(english ? ' ' : '')}`);
    }
    const sides = regions.map((region) => ({ region, candidate: answered.find((finding) => finding.region === region)?.quotes[0] }));
    if (sides.length === 2 && sides.every((side) => side.candidate)) {
      const said = verdict({ name: regionName(sides[0]!.region, english), candidate: sides[0]!.candidate! }, { name: regionName(sides[1]!.region, english), candidate: sides[1]!.candidate! }, writer);
      if (said) parts.push(said);
    }
    const unanswered = new Set<string>();
    for (const finding of findings.filter((candidate) => candidate.quotes.length === 0)) {
      const near = finding.closest ? writer.line(finding.closest, finding, true) : '';
      unanswered.add(
        english
          ? `(The report of ${regionName(finding.region, true)} gives no such figure${near ? `; the closest it says: ${near}` : '.'})`
          : `（《${numbering.titleFor(finding.region)}》未给出相应内容${near ? `；最接近的表述是：${near}` : '。'}）`,
      );
    }
    // (Two asks a region answers neither of, with the same closest statement, say so once.)
    parts.push(...unanswered);
  }
  return { text: `${notesFor(intent)}${parts.join('\n')}`, converted: writer.converted };
}

/** A ranking of what the reports say: the first regions by their own figures, each cited, and how it was ordered. */
export function composeRanking(intent: Intent, decision: Extract<Decision, { kind: 'ranking' }>, numbering: Numbering): Composed {
  const writer = new Writer(intent, numbering);
  const english = writer.english;
  const ask = intent.asks.find((candidate) => candidate.concepts.length > 0)!;
  const high = intent.ranking?.order !== 'asc';
  // An English line with an indicator names its year itself (New urban jobs in 2023: …).
  const mixed = !english || ask.indicator === undefined;
  const lines = decision.entries.slice(0, decision.shown).map((entry) => `- **${listName(entry.region, english)}**${english ? ': ' : '：'}${writer.line(entry.candidate, { ask }, mixed)}`);
  const lead = english
    ? `By what each region's report says of ${ask.indicator?.english ?? ask.label}, ${high ? 'highest' : 'lowest'} first (of the ${decision.entries.length} reports that give a figure):`
    : `按各地区报告所载“${ask.label}”的数字，${high ? '从高到低' : '从低到高'}（在给出该数字的${decision.entries.length}个地区中）：`;
  writer.converted.push(String(decision.entries.length));
  const note = english
    ? `(Ordered by the number each report gives, amounts in one unit; qualifiers such as 以上 count as their number.${decision.missing.length > 0 ? ` No such figure in the reports of: ${decision.missing.map((region) => regionName(region, true)).join(', ')}.` : ''})`
    : `（按各报告给出的数字排序，金额、产量等换算为同一单位；“以上”“左右”等按其数字计。${decision.missing.length > 0 ? `报告中未给出该数字的地区：${decision.missing.join('、')}。` : ''}）`;
  return { text: [lead, ...lines, note].join('\n'), converted: writer.converted };
}

/** Why a question is outside the reports, by its kind. */
const OUT_OF_SCOPE_ZH: Record<string, string> = {
  greeting: '您好！我回答关于政府工作报告的问题，例如“江苏今年GDP增长目标是多少？”或“广东今年有哪些重点工作？”。',
  thanks: '不客气。还想了解哪个地区的目标或重点工作，可以继续提问。',
  noise: '没有看懂这个问题。请用一句话问政府工作报告中的目标、数据或工作安排，例如“浙江今年城镇新增就业目标是多少？”。',
  people: '政府工作报告讲的是目标、成绩和任务，不回答某个职务由谁担任，无法回答。',
  biography: '政府工作报告不涉及个人情况（籍贯、学历、履历等），无法回答。',
  markets: '政府工作报告不涉及市场行情（股价、汇率等），无法回答。',
  weather: '政府工作报告不涉及天气，无法回答。',
  request: '这里只回答关于政府工作报告的问题，不写诗、讲笑话或代写文章。',
  other: '政府工作报告不涉及这类信息，无法回答。',
};
const OUT_OF_SCOPE_EN: Record<string, string> = {
  greeting: 'Hello! I answer questions about the government work reports, such as “What is Jiangsu’s GDP growth target this year?” or “What are Guangdong’s key tasks?”.',
  thanks: 'You are welcome. Ask about another region’s targets or key tasks whenever you like.',
  noise: 'I could not read that as a question. Ask about a target, a figure or the work planned in a government work report, for example “What is Zhejiang’s target for new urban jobs?”.',
  people: 'The government work reports set out targets, results and tasks; they do not say who holds an office.',
  biography: 'The government work reports do not cover personal details (birthplace, education, career).',
  markets: 'The government work reports do not cover market prices (shares, exchange rates).',
  weather: 'The government work reports do not cover the weather.',
  request: 'This assistant answers questions about the government work reports; it does not write poems, jokes or essays.',
  other: 'The government work reports do not cover this (it is not about the government’s targets, outcomes or tasks).',
};

/** How a refusal names what was not found, by the kind of answer wanted. */
const WANTED_ZH: Partial<Record<string, string>> = { amount: '总量（绝对数）', figure: '具体数字', rank: '排名', count: '数量', verdict: '可比较的数字', yesno: '具体数字', measures: '具体举措' };
const WANTED_EN: Partial<Record<string, string>> = { amount: 'total (absolute amount)', figure: 'figure', rank: 'rank', count: 'count', verdict: 'comparable figure', yesno: 'figure', measures: 'measures' };

/** What a refusal says was not found: a growth or a share asked is named as such (an amount given beside it is no answer). */
function wanted(ask: Ask | undefined, kind: string, english: boolean, onlyRates = false): string {
  if (ask?.share) return english ? 'share' : '占比';
  if (ask?.growth && (kind === 'figure' || kind === 'yesno')) return english ? 'growth rate' : '增幅';
  // A level asked (跨境电商多少) where only its growth is written: the amount is what is missing, not any figure.
  if (ask?.level && ask.aim !== 'target' && onlyRates && kind === 'figure') return english ? WANTED_EN.amount! : WANTED_ZH.amount!;
  return (english ? WANTED_EN[kind] : WANTED_ZH[kind]) ?? (english ? 'figure' : '所问数据');
}

/** Whether the question asks for a number (a refusal of measures or plans does not speak of "the figure"). */
function asksNumber(intent: Intent): boolean {
  return intent.asks.some((ask) => ask.kind !== 'measures' && ask.kind !== 'tasks' && ask.kind !== 'statement');
}

/** The plain statement of a refusal, with the closest statement cited when there is one. */
export function composeRefusal(refusal: Refusal, intent: Intent, numbering: Numbering): Composed {
  const writer = new Writer(intent, numbering);
  const english = writer.english;
  const ask = intent.asks[0];
  const finding = ask ? { ask } : undefined;
  const closest = refusal.closest.map((candidate) => writer.line(candidate, finding, true));
  // (The closest statements give only rates: what is missing is the amount, 跨境电商增长63.4% for 跨境电商多少.)
  const closestFigures = refusal.closest.flatMap((candidate) => (candidate.figure ? [candidate.figure] : readFigures(candidate.pieces.map((piece) => piece.text).join(''))));
  const onlyRates = closestFigures.length > 0 && closestFigures.every(isRate);
  const closestText = closest.length > 0 ? (english ? ` The closest it says: ${closest.join(' ')}` : `报告中最接近的表述是：${closest.join('')}`) : '';
  const title = 'region' in refusal ? numbering.titleFor(refusal.region) : '';
  const coverage = numbering.coverage ?? { zh: '本库收录的政府工作报告', en: 'the corpus holds the reports listed by GET /api/reports' };
  const kind = ask?.kind ?? 'figure';
  const text = ((): string => {
    switch (refusal.reason) {
      case 'unknown_place':
        return english ? `The reports at hand include no government work report for ${refusal.places.join(', ')}; ${coverage.en}.` : `现有报告中没有${refusal.places.join('、')}的政府工作报告（${coverage.zh}），无法回答。`;
      case 'region_not_in_corpus':
        return english ? `The reports at hand do not include a government work report for ${refusal.regions.map((region) => regionName(region, true)).join(', ')} (${refusal.regions.join('、')}); ${coverage.en}.` : `现有报告中未找到${refusal.regions.join('、')}的政府工作报告（${coverage.zh}），无法回答。`;
      case 'out_of_scope':
        if (english) return OUT_OF_SCOPE_EN[refusal.topic] ?? OUT_OF_SCOPE_EN.other!;
        return ['request', 'greeting', 'thanks', 'noise'].includes(refusal.topic) ? OUT_OF_SCOPE_ZH[refusal.topic]! : `现有报告中未找到相关内容：${OUT_OF_SCOPE_ZH[refusal.topic] ?? OUT_OF_SCOPE_ZH.other!}`;
      case 'no_question':
        return english ? 'Which target, figure or task of the report would you like to know about?' : '请说明想了解报告中的哪项目标、数据或工作，例如“江苏今年GDP增长目标是多少？”。';
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
          return english ? `The corpus holds no report of ${regionName(refusal.region, true)} for ${refusal.year ?? 'that year'}${heldEn}, and 《${title}》 sets no such figure for it.${closestText}` : `现有报告中没有${refusal.region}${refusal.year ?? '该'}年的政府工作报告${heldZh}，最新的《${title}》也没有给出该年的相应数字。${closestText}`;
        }
        return english ? `《${title}》 gives no figure for ${refusal.year ?? 'that year'}.${closestText}` : `现有报告中未找到相关内容：《${title}》没有提出${refusal.year ?? '该'}年的相关目标或数据。${closestText}`;
      }
      case 'topic_absent':
        return english
          ? `《${title}》 does not mention ${refusal.what || 'this'}, so the reports do not give this ${asksNumber(intent) ? 'figure' : 'answer'}.${closestText}`
          : `现有报告中未找到相关内容：《${title}》没有提及${refusal.what || '该内容'}，无法${asksNumber(intent) ? '给出该数字' : '回答'}。${closestText}`;
      case 'near_miss':
        if (!asksNumber(intent) && refusal.closest.length > 0) {
          // (The plan asked and only the review speaks of it: said so, not that the report does not.)
          if (intent.time.scope === 'plan' && refusal.closest.every((candidate) => candidate.passage.part === 'review')) {
            return english ? `《${title}》's plans for the year do not speak of ${refusal.what || 'this'}; its review of the year before does: ${closest.join(' ')}` : `《${title}》的今年工作安排中没有专门谈到${refusal.what ? `“${refusal.what}”` : '这一点'}；回顾上一年工作时的相关表述是：${closest.join('')}`;
          }
          return english ? `《${title}》 does not speak of ${refusal.what || 'this'} as such. A related statement: ${closest.join(' ')}` : `《${title}》没有专门谈到${refusal.what ? `“${refusal.what}”` : '这一点'}。相关的表述是：${closest.join('')}`;
        }
        return english
          ? `《${title}》 gives no ${wanted(ask, kind, true, onlyRates)}${refusal.what ? ` for ${refusal.what}` : ''}.${closestText}`
          : `现有报告中未找到该数据：《${title}》没有给出${refusal.what ? `“${refusal.what}”的` : ''}${wanted(ask, kind, false, onlyRates)}。${closestText}`;
      case 'no_region_named': {
        const named = refusal.closest.map((candidate) => `- **${listName(candidate.passage.region, english)}**${english ? ': ' : '：'}${writer.line(candidate, finding)}`);
        return english
          ? `The question names no region, and the national report does not answer it.${named.length > 0 ? ` Related statements in regional reports (none of them is the answer for China as a whole):\n${named.join('\n')}` : ''}`
          : `问题没有指明地区，国务院政府工作报告中也没有相应内容。${named.length > 0 ? `以下相关表述分别来自各地区的报告，并非全国的答案：\n${named.join('\n')}` : '请指明地区。'}`;
      }
    }
  })();
  return { text: `${notesFor(intent)}${text}`, converted: writer.converted };
}
