// The vocabularies and rules of question understanding and of the answer step, read once per process
// from the data files in lexicon/ and validated: every rule is named, compiled once, and carries the
// cases it must keep passing (tests/unit/lexicon-rules.test.ts runs them all). Code names a rule; it
// never writes a pattern of its own.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const LEXICON_DIR = new URL('../../lexicon/', import.meta.url);

function readJson<S extends z.ZodTypeAny>(file: string, schema: S): z.output<S> {
  const parsed = schema.safeParse(JSON.parse(readFileSync(new URL(file, LEXICON_DIR), 'utf8')));
  if (!parsed.success) throw new Error(`lexicon/${file} is invalid: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  return parsed.data;
}

const ruleSchema = z.object({
  name: z.string().min(1),
  description: z.string().optional(),
  pattern: z.string().min(1),
  flags: z.string().default(''),
  match: z.array(z.string()).default([]),
  noMatch: z.array(z.string()).default([]),
});
type RawRule = z.infer<typeof ruleSchema>;

/** A named pattern with the cases it must keep passing. */
export interface Rule {
  name: string;
  pattern: RegExp;
  match: readonly string[];
  noMatch: readonly string[];
}

const compile = (raw: RawRule, source = raw.pattern): Rule => ({ name: raw.name, pattern: new RegExp(source, raw.flags), match: raw.match, noMatch: raw.noMatch });

/** Every rule of every file, for the test that runs their cases. */
const allRules: Rule[] = [];
const keep = <T extends Rule>(rule: T): T => {
  allRules.push(rule);
  return rule;
};

// Indicators ---------------------------------------------------------------------------------------

const indicatorSchema = z.object({
  id: z.string(),
  label: z.string(),
  english: z.string(),
  target: z.boolean(),
  terms: z.array(z.string()).min(1),
  triggers: z.array(z.string()).min(1),
  excludes: z.array(z.string()).optional(),
  reportPatterns: z.array(z.string()).optional(),
  related: z.array(z.string()).optional(),
  figureUnits: z.record(z.array(z.string())).optional(),
  rateContext: z.string().optional(),
  scopeLabels: z.object({ urban: z.string(), rural: z.string() }).optional(),
});

/** An indicator: what a target or a figure is about (see lexicon/indicators.json for each field). */
export type Indicator = z.infer<typeof indicatorSchema>;

/** An indicator's English name without the change it measures (GDP of 'GDP growth'): what an amount or a rank of it is called. */
export function englishNoun(indicator: Indicator): string {
  return indicator.english.replace(/\s+(?:growth|increase|reduction)$/, '');
}

export const INDICATORS: readonly Indicator[] = readJson('indicators.json', z.object({ indicators: z.array(indicatorSchema) })).indicators;
const indicatorsById = new Map(INDICATORS.map((indicator) => [indicator.id, indicator]));

export function getIndicator(id: string): Indicator | undefined {
  return indicatorsById.get(id);
}

// Kinds of answer ----------------------------------------------------------------------------------

export type AnswerKind = 'figure' | 'amount' | 'count' | 'rank' | 'measures' | 'tasks' | 'verdict' | 'yesno' | 'statement';

const kindRuleSchema = ruleSchema.extend({ kind: z.enum(['figure', 'amount', 'count', 'rank', 'measures', 'tasks', 'verdict', 'yesno']) });
export const KIND_RULES: readonly (Rule & { kind: AnswerKind })[] = readJson('kinds.json', z.object({ rules: z.array(kindRuleSchema) })).rules.map((raw) => keep({ ...compile(raw), kind: raw.kind }));

// Cues ---------------------------------------------------------------------------------------------

/** The names of the cues the code reads (lexicon/cues.json must define each). */
const CUE_NAMES = [
  'asks.rate',
  'english.determiner_after',
  'asks.growth',
  'asks.change',
  'asks.performance',
  'asks.size_and_speed',
  'asks.numeral',
  'asks.cumulative',
  'asks.added',
  'asks.reached',
  'asks.share',
  'asks.target',
  'asks.outcome',
  'asks.main_targets',
  'asks.unit',
  'asks.stated',
  'residents.urban',
  'residents.rural',
  'residents.both',
  'residents.named',
  'residents.each',
  'residents.word',
  'compare.any',
  'compare.follow_up',
  'compare.last_year',
  'places.coordinator',
  'places.national_as_rank',
  'places.national_as_whole',
  'places.national_explicit',
  'places.level_after',
  'places.zone_after',
  'places.provinces_only',
  'places.cities_only',
  'across.cue',
  'across.exports',
  'quoted',
  'indicator.acronym',
  'follow.deictic',
  'asks.question_word',
  'asks.coordinator',
  'asks.figure_request',
  'asks.share_whole',
  'asks.question_span',
  'follow.residents_rural',
  'follow.residents_urban',
  'lead.sentence_end',
  'lead.request',
  'lead.refers_back',
  'topic.bracket_qualifies',
  'asks.key_tasks',
  'places.english_subject',
  'asks.excluded',
  'places.possessed',
  'asks.and_question',
] as const;
export type CueName = (typeof CUE_NAMES)[number];

const cues = new Map(readJson('cues.json', z.object({ rules: z.array(ruleSchema) })).rules.map((raw) => [raw.name, keep(compile(raw))]));
for (const name of CUE_NAMES) if (!cues.has(name)) missing('cues.json', name);

/** The pattern of a named cue. */
export function cue(name: CueName): RegExp {
  const rule = cues.get(name);
  if (!rule) throw new Error(`lexicon/cues.json has no rule "${name}"`);
  return rule.pattern;
}

// Scope --------------------------------------------------------------------------------------------

const scopeRuleSchema = ruleSchema.extend({ reason: z.string() });
export const SCOPE_RULES: readonly (Rule & { reason: string })[] = readJson('scope.json', z.object({ rules: z.array(scopeRuleSchema) })).rules.map((raw) => keep({ ...compile(raw), reason: raw.reason }));

// Time ---------------------------------------------------------------------------------------------

const timeSchema = z.object({
  relative: z.array(ruleSchema.extend({ offset: z.number().int() })),
  written: ruleSchema,
  plan: ruleSchema,
  review: ruleSchema,
  words: ruleSchema,
  periods: z.array(ruleSchema.extend({ first: z.number().int(), last: z.number().int() })),
});
const time = readJson('time.json', timeSchema);
export const TIME = {
  /** Words naming a year by its distance from the report's year (0 this year, -1 last year). */
  relative: time.relative.map((raw) => keep({ ...compile(raw), offset: raw.offset })),
  /** A year written out (2023年, in 2024); the first group is the year. */
  written: keep(compile(time.written)),
  plan: keep(compile(time.plan)),
  review: keep(compile(time.review)),
  /** Every word of time (global). */
  words: keep(compile(time.words)),
  /** Named periods of years (十四五, the 15th Five-Year Plan), with their first and last year. */
  periods: time.periods.map((raw) => ({ ...keep(compile(raw)), first: raw.first, last: raw.last })),
};

// Across regions -----------------------------------------------------------------------------------

type Operator = '>=' | '>' | '<=' | '<';
const operatorSchema = z.enum(['>=', '>', '<=', '<']);
const acrossSchema = z.object({
  number: z.string(),
  thresholds: z.array(ruleSchema.extend({ operator: operatorSchema })),
  millions: ruleSchema.extend({ factor: z.number() }),
  versusNational: z.array(ruleSchema.extend({ operator: operatorSchema })),
  ranks: z.object({ top: ruleSchema, topAfterSuperlative: ruleSchema, topEnglish: ruleSchema, bottom: ruleSchema, lowest: ruleSchema, highest: ruleSchema, sort: ruleSchema, ascending: ruleSchema }),
  value: ruleSchema,
  counts: z.record(z.number()),
});
const across = readJson('across.json', acrossSchema);
const withNumber = (raw: RawRule): Rule => keep(compile(raw, raw.pattern.replaceAll('{number}', across.number)));
export const ACROSS = {
  thresholds: across.thresholds.map((raw) => ({ ...withNumber(raw), operator: raw.operator as Operator })),
  millions: { ...withNumber(across.millions), factor: across.millions.factor },
  versusNational: across.versusNational.map((raw) => ({ ...withNumber(raw), operator: raw.operator as Operator })),
  ranks: Object.fromEntries(Object.entries(across.ranks).map(([key, raw]) => [key, withNumber(raw)])) as Record<keyof typeof across.ranks, Rule>,
  value: withNumber(across.value),
  counts: across.counts,
};

// Terms --------------------------------------------------------------------------------------------

const termsSchema = z.object({
  english: z.record(z.array(z.string())),
  latin: z.record(z.string()),
  synonyms: z.record(z.array(z.string())),
  colloquial: z.record(z.array(z.string())),
  measures: z.object({ chinese: z.array(z.string()), english: z.array(z.string()) }),
  fields: z.record(z.array(z.string()).min(1)),
  quantities: z.array(z.string()),
  residents: z.object({ urban: z.array(z.string()).min(1), rural: z.array(z.string()).min(1) }),
  growthAlone: z.string(),
});
const terms = readJson('terms.json', termsSchema);
/** The domain glossary: English phrases of policy → the report terms (every one verified to occur in the reports). */
const glossary = readJson('glossary.json', z.object({ terms: z.record(z.array(z.string()).min(1)) })).terms;
export const TERMS = {
  /**
   * English phrases (lower case) → report terms, longest phrase first. A phrase both give has the lexicon's terms
   * first, then the glossary's others (chips: 集成电路, then 芯片 and 半导体).
   */
  english: Object.entries({ ...glossary, ...terms.english })
    .map(([phrase, own]): [string, readonly string[]] => [phrase, [...new Set([...own, ...(glossary[phrase] ?? [])])]])
    .sort((left, right) => right[0].length - left[0].length) as readonly [string, readonly string[]][],
  latin: terms.latin as Readonly<Record<string, string>>,
  synonyms: terms.synonyms as Readonly<Record<string, readonly string[]>>,
  colloquial: terms.colloquial as Readonly<Record<string, readonly string[]>>,
  /** Words that say what is measured of a topic (产量, output): they weigh less than the topic's own words. */
  measures: new Set([...terms.measures.chinese, ...terms.measures.english]) as ReadonlySet<string>,
  /** A field's things as the reports name them (交通: 高铁, 高速公路, 机场): measures of the field speak of them. */
  fields: terms.fields as Readonly<Record<string, readonly string[]>>,
  /** Words that name a quantity (产量, 总额, output), longest first. */
  quantities: [...terms.quantities].sort((left, right) => right.length - left.length) as readonly string[],
  /** What growth asked of nothing named is the growth of (the economy: 经济增长). */
  growthAlone: terms.growthAlone,
  /** The words a report names urban or rural residents by (城市低保, 农村居民). */
  residents: terms.residents as Readonly<Record<'urban' | 'rural', readonly string[]>>,
  /** The report terms the glossary and the lexicon name (数字经济, 跨国公司地区总部): each a thing of its own. */
  named: new Set([...Object.values(glossary), ...Object.values(terms.english)].flat().filter((term) => /^[\u4e00-\u9fff]{3,}$/.test(term))) as ReadonlySet<string>,
};

const generic = readJson('generic-words.json', z.object({ words: z.array(z.string()), english: z.array(z.string()), characters: z.string() }));
/** Single characters that are never a topic alone (上, 有, 的 …). */
export const GENERIC_CHARACTERS: ReadonlySet<string> = new Set([...generic.characters]);
export const GENERIC_WORDS: ReadonlySet<string> = new Set(generic.words);
/** English words of a question that carry no topic (lower case). */
export const GENERIC_ENGLISH: ReadonlySet<string> = new Set(generic.english);

const englishForms = readJson(
  'english-forms.json',
  z.object({
    suffixes: z.array(z.object({ from: z.string().min(1), to: z.string() })),
    spellings: z.array(z.object({ from: z.string().min(1), to: z.string() })),
    cases: z.array(z.tuple([z.string(), z.string()])),
  }),
);
/** How an English word is brought to a dictionary's form: regular inflections and British spellings (english-forms.json). */
export const ENGLISH_FORMS = englishForms;

// Units --------------------------------------------------------------------------------------------

const unitsSchema = z.object({
  scales: z.record(z.number()),
  units: z.array(z.object({ unit: z.string(), dimension: z.string(), factor: z.number(), english: z.string(), answers: z.array(z.string()).optional() })),
  qualifiers: z.array(z.object({ qualifier: z.string(), english: z.string(), position: z.enum(['before', 'after']) })),
  leads: ruleSchema,
  ranks: ruleSchema,
  scaleOnly: ruleSchema,
  counted: z.array(z.string()),
  valued: z.array(z.string()),
  askedInEnglish: z.array(ruleSchema.extend({ unit: z.string() })),
});
const units = readJson('units.json', unitsSchema);
export interface UnitEntry {
  unit: string;
  dimension: string;
  factor: number;
  english: string;
  /** The other dimensions a figure in this unit answers when a question asks in them (人次 for 多少人). */
  answers?: readonly string[];
}
export const UNITS = {
  scales: units.scales as Readonly<Record<string, number>>,
  /** Longest first, so that 个百分点 is read before 个 and 标准箱 before 箱. */
  units: [...units.units].sort((left, right) => right.unit.length - left.unit.length) as readonly UnitEntry[],
  qualifiers: units.qualifiers,
  leads: keep(compile(units.leads)),
  ranks: keep(compile(units.ranks)),
  /** A figure written as its scale alone (突破万亿元): the first group is the scale. */
  scaleOnly: keep(compile(units.scaleOnly)),
  /** The dimensions of things counted (个, 人, 户): a count asked is answered in one of them. */
  counted: new Set(units.counted) as ReadonlySet<string>,
  /** Words that ask a value in money (产值, 增加值): a count of things never answers them. */
  valued: units.valued as readonly string[],
  /** English ways of asking in a unit (how long → 公里). */
  askedInEnglish: units.askedInEnglish.map((raw) => ({ ...keep(compile(raw)), unit: raw.unit })),
};

// Report text --------------------------------------------------------------------------------------

const reportSchema = z.object({
  mention: z.array(ruleSchema.extend({ side: z.enum(['before', 'after']) })),
  sentence: z.array(ruleSchema),
  clause: z.array(ruleSchema),
  worded: z.array(ruleSchema.extend({ qualifier: z.string(), rate: z.boolean() })),
  residents: z.array(ruleSchema),
  head: ruleSchema,
});
const report = readJson('report.json', reportSchema);
const residentRules = Object.fromEntries(report.residents.map((raw) => [raw.name.replace('report.residents.', ''), keep(compile(raw))])) as Record<'urban' | 'rural' | 'both', Rule>;
for (const which of ['urban', 'rural', 'both'] as const) if (!residentRules[which]) missing('report.json', `report.residents.${which}`);
const byName = <T extends Rule>(rules: readonly T[]): Map<string, T> => new Map(rules.map((rule) => [rule.name, rule]));
const sentenceRules = byName(report.sentence.map((raw) => keep(compile(raw))));
const clauseRules = byName(report.clause.map((raw) => keep(compile(raw))));
const SENTENCE_RULES = ['sentence.heading_only', 'sentence.concrete_measure', 'sentence.doctrine', 'sentence.year_character', 'sentence.targets_statement', 'sentence.general_section', 'sentence.task_section', 'sentence.address', 'sentence.enumerated_item', 'sentence.list_lead', 'sentence.counted_lead', 'sentence.list_item', 'sentence.inline_item'] as const;
const CLAUSE_RULES = ['clause.added', 'clause.continues', 'clause.increment', 'clause.bare_figure', 'clause.own_measure', 'clause.growth_figure', 'clause.growth_by_times', 'clause.share', 'clause.rate_noun', 'clause.share_unnamed', 'clause.attributive', 'clause.counted', 'clause.per_unit', 'clause.capacity', 'clause.other_measure', 'clause.enumeration', 'clause.growth_label', 'clause.list_figures_tail', 'clause.noun_follows', 'clause.ratio_word', 'clause.portion', 'clause.general_classifier', 'clause.currency_scale', 'clause.running_total', 'clause.milestone', 'clause.change_before', 'clause.funded_purpose', 'clause.sold_abroad', 'clause.brand', 'clause.per_unit_after', 'clause.method_note', 'clause.stretch_target'] as const;
export type SentenceRuleName = (typeof SENTENCE_RULES)[number];
export type ClauseRuleName = (typeof CLAUSE_RULES)[number];
for (const name of SENTENCE_RULES) if (!sentenceRules.has(name)) missing('report.json', name);
for (const name of CLAUSE_RULES) if (!clauseRules.has(name)) missing('report.json', name);

export const REPORT = {
  /** Rules that make a mention of the topic not the region's own figure of it. */
  mention: report.mention.map((raw) => keep({ ...compile(raw), side: raw.side })),
  sentence: (name: SentenceRuleName): RegExp => sentenceRules.get(name)?.pattern ?? missing('report.json', name),
  clause: (name: ClauseRuleName): RegExp => clauseRules.get(name)?.pattern ?? missing('report.json', name),
  /** What may stand right before the head of a compound asked for the mention to be of it. */
  headUnqualified: keep(compile(report.head)).pattern,
  /** How a report names urban, rural or both residents (an income figure is theirs). */
  residents: (which: 'urban' | 'rural' | 'both'): RegExp => residentRules[which].pattern,
  /** Targets stated in words, with the qualifier each gives. */
  worded: report.worded.map((raw) => keep({ ...compile(raw), qualifier: raw.qualifier, rate: raw.rate })),
};

function missing(file: string, name: string): never {
  throw new Error(`lexicon/${file} has no rule "${name}"`);
}

/** Every named rule of the lexicon, with its cases. */
export function lexiconRules(): readonly Rule[] {
  return allRules;
}
