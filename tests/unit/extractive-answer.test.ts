// The offline answerer: which sentences of the numbered passages answer a question, how they are trimmed,
// and how the answer, the key-task summary and the refusals read. Passages are real report text.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { splitSentences } from '../../src/chunking/split-sentences.ts';
import { getRegion } from '../../src/corpus/regions.ts';
import { composeAnswer, composeRefusal, composeSummary, selectSentences, trimToClauses, type ExtractiveInput, type NumberedPassage } from '../../src/answer/extractive-answer.ts';
import { weighQuery } from '../../src/index/bm25.ts';
import { tokenize } from '../../src/index/tokenize.ts';
import { analyzeQuery } from '../../src/retrieval/analyze-query.ts';
import { INDICATORS } from '../../src/retrieval/lexicon.ts';

/** Matches clauses that hold any of the words. */
const containing = (words: readonly string[]) => (clause: string): boolean => words.some((word) => clause.includes(word));

const JIANGSU_TARGETS =
  '今年经济社会发展主要预期目标是：地区生产总值增长5%以上，一般公共预算收入增长4%左右，居民人均可支配收入与经济增长同步，城镇新增就业120万人以上，城镇调查失业率5%左右，社会消费品零售总额增长5.5%左右，外贸进出口总额实现正增长，实际使用外资稳中提质，单位地区生产总值能耗下降2%左右，粮食产量保持基本稳定，居民消费价格涨幅3%左右。确定以上目标，贯彻了中央“经济大省要真正挑起大梁”的重大要求，考虑了当前发展形势和全面完成“十四五”规划目标任务的需要，体现了推动经济实现质的有效提升和量的合理增长导向，实际工作中我们将全力以赴争取更好结果。';
const JIANGSU_REVIEW = '经济发展取得新成绩。地区生产总值达12.82万亿元、增长5.8%。地区生产总值万亿之城增至5座。一般公共预算收入9930亿元、增长7.3%。粮食总产量759.5亿斤、再创历史新高。进出口总额5.25万亿元，实际使用外资规模保持全国首位。';
const ZHEJIANG_TARGETS =
  '主要预期目标为：生产总值增长5.5%左右，规上工业增加值增长6%左右，固定资产投资增长6%左右，社会消费品零售总额增长5.5%左右，研发投入强度达到3.2%，一般公共预算收入、城乡居民收入与经济增长同步；居民消费价格涨幅3%左右；城镇调查失业率控制在5%以内。';
const ZHEJIANG_TASK_LEADS = [
  '（一）聚焦聚力提升政策引导保障成效。准确把握政策取向，加强政策工具创新和协调配合，进一步提高政策实施的精准度、实效性。\n迭代升级“8+4”经济政策体系。优化8个政策包和4张要素保障清单，安排省级财政资金1023.6亿元，支持经济高质量发展。',
  '（二）聚焦聚力扩大有效益的投资、激发有潜能的消费。深入实施扩大有效投资“千项万亿”工程，优化投资结构、提高投资效益。挖掘消费潜力，促进消费提质扩容、平稳增长。',
  '（三）聚焦聚力建设现代化产业体系。以深入实施数字经济创新提质“一号发展工程”为牵引，大力实施“415X”先进制造业集群培育和服务业高质量发展“百千万”工程，扎实推进新型工业化。',
];

const SLUGS: Record<string, string> = { 江苏省: 'jiangsu', 浙江省: 'zhejiang' };

function numbered(n: number, region: string, text: string, part: string): NumberedPassage {
  const slug = SLUGS[region] ?? 'region';
  return {
    n,
    passage: { id: `${slug}-2024#p${String(n).padStart(3, '0')}`, reportId: `${slug}-2024`, region, title: `2024年${region}政府工作报告`, sectionPath: [part], text, start: 0, end: text.length, ordinal: n, year: 2024, part: /回顾|2023/.test(part) ? 'review' : 'plan' },
  };
}

/** The input the pipeline builds: query terms (expansions at half weight) without the region's own names. */
function inputFor(question: string, regions: string[], sources: NumberedPassage[]): ExtractiveInput {
  const analysis = analyzeQuery(question);
  const weights = weighQuery([
    { tokens: tokenize(question), weight: 1 },
    { tokens: analysis.expansions.flatMap((term) => tokenize(term)), weight: 0.5 },
  ]);
  for (const entry of analysis.regions) for (const name of [entry.name, ...entry.aliases]) for (const token of tokenize(name)) weights.delete(token);
  return { analysis, regions, sources, weights };
}

function answer(input: ExtractiveInput): string {
  return composeAnswer(input, selectSentences(input));
}

const PLAN = '二、2024年工作总体要求和目标任务';
const REVIEW = '一、2023年工作回顾';

describe('a question about one target', () => {
  const input = inputFor('江苏今年城镇调查失业率目标是多少？', ['江苏省'], [numbered(1, '江苏省', JIANGSU_REVIEW, REVIEW), numbered(2, '江苏省', JIANGSU_TARGETS, PLAN)]);

  test('picks the clause with the figure from the targets sentence, not the whole list', () => {
    const picks = selectSentences(input);
    assert.deepEqual(
      picks.map((pick) => ({ n: pick.n, text: pick.text })),
      [{ n: 2, text: '今年经济社会发展主要预期目标是：城镇调查失业率5%左右' }],
    );
  });

  test('the answer names the report and ends its sentence with the marker of its passage', () => {
    assert.equal(answer(input), '根据《2024年江苏省政府工作报告》：今年经济社会发展主要预期目标是：城镇调查失业率5%左右 [2]。');
  });

  test('every line of a multi-sentence answer ends with a marker', () => {
    const gdp = inputFor('江苏地区生产总值增长多少？', ['江苏省'], [numbered(1, '江苏省', JIANGSU_TARGETS, PLAN), numbered(2, '江苏省', JIANGSU_REVIEW, REVIEW)]);
    const lines = answer(gdp).split('\n');
    assert.ok(lines.length >= 3, `expected a lead and at least two items, got ${JSON.stringify(lines)}`);
    assert.match(lines[0]!, /^根据《2024年江苏省政府工作报告》：$/);
    for (const line of lines.slice(1)) assert.match(line, /^- .+ \[[12]\]。$/);
    assert.ok(lines.some((line) => line.includes('地区生产总值增长5%以上')));
  });
});

describe('a comparison of two regions', () => {
  const input = inputFor('江苏和浙江的GDP增长目标分别是多少？', ['江苏省', '浙江省'], [
    numbered(1, '江苏省', JIANGSU_TARGETS, PLAN),
    numbered(2, '浙江省', ZHEJIANG_TARGETS, PLAN),
    numbered(3, '江苏省', JIANGSU_REVIEW, REVIEW),
  ]);
  const lines = answer(input).split('\n');

  test('gives one line per region, in the question’s order', () => {
    assert.equal(lines.length, 3);
    assert.equal(lines[0], '各地报告的表述如下：');
    assert.match(lines[1]!, /^- \*\*江苏省\*\*：/);
    assert.match(lines[2]!, /^- \*\*浙江省\*\*：/);
  });

  test('each region’s line quotes and cites its own report', () => {
    assert.ok(lines[1]!.includes('地区生产总值增长5%以上'), lines[1]);
    assert.deepEqual([...lines[1]!.matchAll(/\[(\d+)\]/g)].map((match) => match[1]), ['1']);
    assert.ok(lines[2]!.includes('生产总值增长5.5%左右'), lines[2]);
    assert.deepEqual([...lines[2]!.matchAll(/\[(\d+)\]/g)].map((match) => match[1]), ['2']);
  });
});

describe('an English question', () => {
  const input = inputFor("What is Jiangsu's GDP growth target for 2024?", ['江苏省'], [numbered(1, '江苏省', JIANGSU_TARGETS, PLAN)]);
  const text = answer(input);

  test('gets an English lead naming the region and the report', () => {
    assert.ok(text.startsWith('According to the 2024 government work report of Jiangsu (江苏省) 《2024年江苏省政府工作报告》:'), text);
  });

  test('quotes the figure in Chinese, as the report writes it, with its marker', () => {
    assert.match(text, /地区生产总值增长5%以上[^\n]* \[1\]。$/);
  });
});

describe('trimming a long sentence to its clauses', () => {
  const targets = splitSentences(JIANGSU_TARGETS)[0]!.text;

  test('keeps the lead-in clause and the clause with the word, figure and qualifier whole', () => {
    assert.equal(trimToClauses(targets, containing(['城镇调查失业率'])), '今年经济社会发展主要预期目标是：城镇调查失业率5%左右');
    assert.equal(trimToClauses(targets, containing(['社会消费品零售总额'])), '今年经济社会发展主要预期目标是：社会消费品零售总额增长5.5%左右');
    assert.equal(trimToClauses(targets, containing(['居民消费价格'])), '今年经济社会发展主要预期目标是：居民消费价格涨幅3%左右。');
  });

  test('keeps several matching clauses in report order', () => {
    assert.equal(trimToClauses(targets, containing(['一般公共预算收入', '城镇新增就业'])), '今年经济社会发展主要预期目标是：一般公共预算收入增长4%左右，城镇新增就业120万人以上');
  });

  test('leaves a short sentence, or one where no clause matches, as it is', () => {
    assert.equal(trimToClauses('地区生产总值达12.82万亿元、增长5.8%。', containing(['地区生产总值'])), '地区生产总值达12.82万亿元、增长5.8%。');
    assert.equal(trimToClauses(targets, containing(['跨境电商'])), targets);
  });
});

describe('the key-task summary', () => {
  const sources = ZHEJIANG_TASK_LEADS.map((text, position) => numbered(position + 1, '浙江省', text, '二、2024年重点工作'));

  test('lists the sub-section headings without their （一） numbering, each cited', () => {
    const summary = composeSummary(inputFor('浙江2024年的重点工作有哪些？', ['浙江省'], sources));
    assert.equal(
      summary,
      [
        '《2024年浙江省政府工作报告》部署的2024年重点工作主要包括：',
        '- 聚焦聚力提升政策引导保障成效 [1]。',
        '- 聚焦聚力扩大有效益的投资、激发有潜能的消费 [2]。',
        '- 聚焦聚力建设现代化产业体系 [3]。',
      ].join('\n'),
    );
  });

  test('in English, leads in English and keeps the Chinese headings', () => {
    const summary = composeSummary(inputFor("What are Zhejiang's key tasks for 2024?", ['浙江省'], sources));
    const lines = summary.split('\n');
    assert.equal(lines[0], 'Key tasks for 2024 in the government work report of Zhejiang (浙江省) 《2024年浙江省政府工作报告》:');
    assert.equal(lines[1], '- 聚焦聚力提升政策引导保障成效 [1]。');
    assert.doesNotMatch(summary, /（[一二三]）/);
  });
});

describe('refusals', () => {
  const titleFor = (region: string): string => `2024年${region}政府工作报告`;
  const shenzhen = getRegion('深圳市');
  const cpi = INDICATORS.find((indicator) => indicator.id === 'cpi');

  test('a region outside the corpus: Chinese says 现有报告中未找到 and names it', () => {
    assert.ok(shenzhen);
    const text = composeRefusal({ reason: 'region_not_in_corpus', regions: [shenzhen] }, false, titleFor);
    assert.ok(text.startsWith('现有报告中未找到深圳市的政府工作报告'), text);
  });

  test('a region outside the corpus: English names it in English and does not fall back to Chinese', () => {
    assert.ok(shenzhen);
    const text = composeRefusal({ reason: 'region_not_in_corpus', regions: [shenzhen] }, true, titleFor);
    assert.match(text, /Shenzhen \(深圳市\)/);
    assert.doesNotMatch(text, /现有报告/);
  });

  test('an indicator the report never mentions names the report and the indicator', () => {
    assert.ok(cpi);
    const text = composeRefusal({ reason: 'indicator_absent', region: '镇江市', indicators: [cpi] }, false, titleFor);
    assert.equal(text, '现有报告中未找到相关内容：《2024年镇江市政府工作报告》没有提及居民消费价格涨幅，无法给出该数字。');
  });

  test('a year the report does not cover and an amount given only as a rate', () => {
    assert.match(composeRefusal({ reason: 'year_absent', region: '北京市', year: 2035 }, false, titleFor), /^现有报告中未找到.*2035年/);
    assert.match(composeRefusal({ reason: 'amount_absent', region: '全国', unit: '元' }, false, titleFor), /^现有报告中未找到该数值.*“元”/);
  });
});
