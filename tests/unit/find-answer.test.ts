// The answer step on the real reports: the clause that answers the question asked, from the right part of
// the right region's report — and, when there is none, one refusal with the closest statement (the near
// misses: a rate for a total, CPI for house prices, a 2024 target for a 2023 outcome, a year not covered).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chunkReport } from '../../src/chunking/chunk-report.ts';
import { hasReview } from '../../src/corpus/report-parts.ts';
import { composeFound, composeRefusal, type Numbering } from '../../src/answer/compose-answer.ts';
import { findAnswer, quoteOf, topicMatcher, topicAbsent, type Finding, type Pick } from '../../src/answer/find-answer.ts';
import { weighQuery } from '../../src/index/bm25.ts';
import { tokenize } from '../../src/index/tokenize.ts';
import { understandQuestion, type QuestionIntent } from '../../src/retrieval/question-intent.ts';
import type { Corpus } from '../../src/corpus/load-corpus.ts';
import type { Passage, Turn } from '../../src/types.ts';
import { loadRealCorpus } from './real-corpus.ts';

let corpus: Corpus;
const passagesByRegion = new Map<string, Passage[]>();

before(async () => {
  corpus = await loadRealCorpus();
  for (const report of corpus.reports) {
    if (report.id.endsWith('-pdf')) continue;
    passagesByRegion.set(report.region, [...(passagesByRegion.get(report.region) ?? []), ...chunkReport(report)]);
  }
});

/** The decision for the question's first subject region, over all of that region's passages. */
function find(question: string, history: Turn[] = [], region?: string): { intent: QuestionIntent; region: string; finding: Finding } {
  const intent = understandQuestion({ question, history, years: [2024] });
  const subject = region ?? intent.subjects[0]?.name ?? '全国';
  const report = corpus.reports.find((candidate) => candidate.region === subject && !candidate.id.endsWith('-pdf'))!;
  const weights = weighQuery([{ tokens: tokenize(intent.question), weight: 1 }, { tokens: intent.expansions.flatMap((term) => tokenize(term)), weight: 0.5 }]);
  const topic = topicMatcher(intent, report.text, () => 1);
  if (topicAbsent(intent, report.text)) return { intent, region: subject, finding: { refusal: { reason: 'topic_absent', region: subject, what: topic.what }, closest: [] } };
  const finding = findAnswer({ intent, region: subject, passages: (passagesByRegion.get(subject) ?? []).map((passage) => ({ passage, bonus: 0 })), weights, topic }, { hasReview: hasReview(report), year: report.year });
  return { intent, region: subject, finding };
}

const picksOf = (finding: Finding): Pick[] => {
  assert.ok('picks' in finding, `expected an answer, got the refusal ${JSON.stringify('refusal' in finding ? finding.refusal : undefined)}`);
  return finding.picks;
};
const quotes = (finding: Finding): string[] => picksOf(finding).map(quoteOf);
const refusalOf = (finding: Finding): Extract<Finding, { refusal: unknown }> => {
  assert.ok('refusal' in finding, `expected a refusal, got ${'picks' in finding ? finding.picks.map(quoteOf).join(' | ') : ''}`);
  return finding;
};

describe('the clause that answers', () => {
  test('a target: the clause with the figure, not the whole targets sentence', () => {
    const [quote] = quotes(find('江苏今年城镇调查失业率目标是多少？').finding);
    assert.match(quote!, /城镇调查失业率5%左右/);
    assert.doesNotMatch(quote!, /地区生产总值增长5%以上/, 'no unrelated figure from the same long sentence');
  });

  test('two indicators: one quote each', () => {
    const all = quotes(find('内蒙古今年GDP和新增就业目标是多少？').finding).join(' ');
    assert.match(all, /地区生产总值增长6%以上/);
    assert.match(all, /城镇新增就业18万人以上/);
  });

  test('a 2023 outcome comes from the review, a 2024 target from the plan', () => {
    const review = picksOf(find('江苏2023年一般公共预算收入是多少？').finding);
    assert.equal(review[0]!.passage.part, 'review');
    assert.match(quoteOf(review[0]!), /一般公共预算收入9930亿元/);
    const plan = picksOf(find('江苏今年财政收入目标是多少？').finding);
    assert.equal(plan[0]!.passage.part, 'plan');
    assert.match(quoteOf(plan[0]!), /一般公共预算收入增长4%左右/);
  });

  test('a topic named once with its figures after it (粮食稳产丰收，产量达到…)', () => {
    assert.match(quotes(find('湖北2023年粮食产量是多少').finding).join(' '), /产量达到555\.4亿斤/);
    assert.match(quotes(find('天津的天开园今年有什么发展目标？').finding).join(' '), /天开园|1500家/);
  });

  test('a subject named beside an object: the subject’s figure', () => {
    const picks = picksOf(find('天津今年承接北京非首都功能疏解有什么目标？').finding);
    assert.equal(picks[0]!.region, '天津市');
    assert.match(quoteOf(picks[0]!), /\d/);
  });

  test('measures quote concrete measures of the plan, not the targets statement or a heading', () => {
    const picks = picksOf(find('镇江今年打算怎么促消费？').finding);
    assert.ok(picks.length >= 2);
    for (const pick of picks) {
      assert.equal(pick.passage.part, 'plan');
      assert.doesNotMatch(quoteOf(pick), /地区生产总值增长5\.2%以上/, 'the targets statement is not a measure');
    }
    assert.ok(picks.some((pick) => /\d/.test(quoteOf(pick))), 'with their numbers');
  });
});

describe('refusals, with the closest statement', () => {
  test('house prices are not CPI', () => {
    const { refusal, closest } = refusalOf(find('上海今年房价涨幅控制在多少？').finding);
    assert.equal(refusal.reason, 'near_miss');
    for (const pick of closest) assert.doesNotMatch(quoteOf(pick), /居民消费价格涨幅3%左右/);
  });

  test('a total asked, only growth rates and per-capita figures given', () => {
    const { refusal, closest } = refusalOf(find('内蒙古2023年地区生产总值总量是多少？').finding);
    assert.equal(refusal.reason, 'near_miss');
    assert.match(quoteOf(closest[0]!), /地区生产总值增长7\.3%/, 'the closest is the 2023 growth rate');
  });

  test('last year asked of a report without a review: the plan’s target is offered as the closest', () => {
    const { refusal, closest } = refusalOf(find('镇江去年地区生产总值增长了多少？').finding);
    assert.deepEqual(refusal, { reason: 'year_not_covered', region: '镇江市', scope: 'no_review' });
    assert.match(quoteOf(closest[0]!), /地区生产总值增长5\.2%以上/);
  });

  test('a later year: refused, with the 2024 target the report does give', () => {
    const { refusal, closest } = refusalOf(find('2025年全国GDP目标').finding);
    assert.equal(refusal.reason, 'year_not_covered');
    assert.match(quoteOf(closest[0]!), /国内生产总值增长5%左右/);
  });

  test('an outcome of the plan year is not in a report written at its start', () => {
    assert.equal(refusalOf(find('四川2024年经济实际跑出了多少增速？').finding).refusal.reason, 'year_not_covered');
  });

  test('a target stated without a number (稳中提质) is not a figure', () => {
    const { refusal, closest } = refusalOf(find('南通今年外贸进出口增长目标定了多少？').finding);
    assert.equal(refusal.reason, 'near_miss');
    assert.match(quoteOf(closest[0]!), /稳中提质/);
  });

  test('a figure beside the indicator’s name but in another unit is not its figure: 粮食 and 万亩', () => {
    // 上海: `继续抓好粮食…稳产保供，建设4万亩高标准农田` and `新建3万亩粮食生产无人农场` set no grain output.
    const { refusal, closest } = refusalOf(find('上海市的粮食产量目标是多少？').finding);
    assert.equal(refusal.reason, 'near_miss');
    assert.doesNotMatch(quoteOf(closest[0]!), /万亩/);
    // 浙江 keeps its grain target in words only, after 78万亩 of farmland.
    assert.match(quoteOf(refusalOf(find('浙江粮食总产量目标').finding).closest[0]!), /^稳定粮食播种面积和产量$/);
    // The output follows the sown area in the next clause (江苏), or the area itself is asked.
    assert.match(quotes(find('江苏粮食产量目标').finding).join(' '), /产量750亿斤左右/);
    assert.match(quotes(find('江苏粮食播种面积目标是多少').finding).join(' '), /8100万亩以上/);
  });

  test('a figure of a statement in another unit is passed over, and a count is not an indicator’s', () => {
    // 新疆: `粮食种植面积4237.2万亩、新增586.3万亩，总产2119.2万吨` — the output is 总产, after the area.
    assert.match(quotes(find('新疆2023年粮食产量多少？').finding).join(' '), /总产2119\.2万吨/);
    // 江苏 plans no farmland figure; `确保粮食播种面积稳定在8100万亩以上` is the grain area.
    const farmland = refusalOf(find('江苏今年新建改造高标准农田多少亩？').finding);
    assert.doesNotMatch(quoteOf(farmland.closest[0]!), /8100万亩/);
    // 安徽 gives no 2023 R&D intensity: `企业研发投入…占全社会比重均超过80%` is another share.
    assert.equal(refusalOf(find('安徽2023年研发投入强度是多少？').finding).refusal.reason, 'near_miss');
    assert.match(quotes(find('苏州今年研发投入强度目标').finding).join(' '), /占地区生产总值比重4\.15%左右/);
  });

  test('a part’s or another place’s figure is not the region’s (山区26县, 县域, 数字经济, 呼和浩特市和包头市)', () => {
    const all = (question: string): string => {
      const finding = find(question).finding;
      return 'picks' in finding ? finding.picks.map(quoteOf).join(' ') : `refused: ${finding.closest.map(quoteOf).join(' ')}`;
    };
    assert.doesNotMatch(all('浙江2023年GDP是多少？'), /山区26县/);
    assert.match(all('陕西2023年GDP总量多少？'), /全年生产总值达到33786亿元/);
    assert.doesNotMatch(all('陕西2023年GDP总量多少？'), /县域/);
    // 湖南: `数字经济增长15%` is the digital economy's; the province's growth follows its amount.
    assert.match(all('湖南2023年GDP增长多少？'), /总量突破5万亿元，增长4\.6%/);
    assert.doesNotMatch(all('湖南2023年GDP增长多少？'), /数字经济/);
    assert.match(all('内蒙古2023年GDP增长多少'), /地区生产总值增长7\.3%/);
    // A digital-economy question is not a GDP question.
    assert.deepEqual(find('贵州今年数字经济增长目标是多少？').intent.indicators.map((indicator) => indicator.id), []);
    // Overlapping English triggers: energy consumption per unit of GDP is energy intensity, not GDP too.
    assert.deepEqual(find("What is Jiangsu's energy consumption per unit of GDP reduction target?").intent.indicators.map((indicator) => indicator.id), ['energy_intensity']);
  });

  test('last year’s target: the review gives the outcome, so it is refused with the outcome as the closest', () => {
    const { refusal, closest } = refusalOf(find('江苏去年GDP增长目标是多少？').finding);
    assert.deepEqual([refusal.reason, 'scope' in refusal ? refusal.scope : undefined], ['year_not_covered', 'review_target']);
    assert.match(quoteOf(closest[0]!), /增长5\.8%/);
    // Whether it was met is a question about the outcome.
    assert.match(quotes(find('江苏去年GDP增长目标完成了吗？').finding).join(' '), /增长5\.8%/);
  });

  test('topics named in Latin letters or as a zone of a named city are the topic (AI, PM2.5, 苏州工业园区)', () => {
    assert.match(quotes(find('上海今年AI产业有哪些举措').finding).join(' '), /人工智能/);
    assert.match(quoteOf(refusalOf(find('镇江今年PM2.5年均浓度目标是多少微克每立方米？').finding).closest[0]!), /PM2\.5年均浓度/);
    assert.match(quotes(find('江苏今年对苏州工业园区有什么安排？').finding).join(' '), /苏州工业园区/);
  });

  test('measures with no year come from the plan, without doctrine or a year’s characterization', () => {
    const picks = picksOf(find('海南自贸港建设有哪些举措').finding);
    assert.ok(picks.every((pick) => pick.passage.part === 'plan'));
    assert.ok(picks.every((pick) => !/总书记|^2023年，是/.test(quoteOf(pick))), picks.map(quoteOf).join(' | '));
  });

  test('an indicator counted in its own unit answers a question asking 多少个 (上海 城镇新增就业55万人以上)', () => {
    assert.match(quotes(find('上海今年新增就业岗位多少个？').finding).join(' '), /城镇新增就业55万人以上/);
  });

  test('a rate asked, only counts in the plan: 研发投入强度', () => {
    assert.equal(refusalOf(find('江苏今年全社会研发投入强度目标是多少？').finding).refusal.reason, 'near_miss');
  });

  test('a word the report never uses: 城镇化率', () => {
    assert.ok(['topic_absent', 'near_miss'].includes(refusalOf(find('四川今年常住人口城镇化率目标是多少？').finding).refusal.reason));
  });

  test('exports where foreign trade was asked: refused for trade, exports offered', () => {
    const { closest } = refusalOf(find('福建今年外贸进出口目标是多少？').finding);
    assert.match(quoteOf(closest[0]!), /出口增长5\.5%左右/);
  });
});

describe('answerable questions are answered', () => {
  for (const [question, figure] of [
    ['西藏就业方面有什么目标？', /\d/],
    ['青海2024年就业目标是多少？', /城镇新增就业6万人以上/],
    ['How fast did Heilongjiang’s high-tech manufacturing value added grow in 2023?', /高技术制造业增加值同比增长12\.3%/],
    ["How large was Fujian's digital economy in 2023?", /数字经济增加值达2\.9万亿元/],
    ['河南今年游客接待量力挣突破多少？', /游客接待量突破10亿人次/],
  ] as const) {
    test(question, () => assert.match(quotes(find(question).finding).join(' '), figure));
  }
});

describe('writing the answer', () => {
  const numbering = (picks: readonly Pick[]): Numbering => ({ n: (id) => picks.findIndex((pick) => pick.passage.id === id) + 1, titleFor: (region) => `2024年${region}政府工作报告` });

  test('two indicators asked: a figure for each, a rate only where the rate is asked, and a missing one said', () => {
    const compose = (question: string): string => {
      const { intent, region, finding } = find(question);
      const picks = picksOf(finding);
      return composeFound(intent, [{ region, picks }], numbering(picks), { noRegionNamed: false, missing: [] });
    };
    // 失业率 asks a rate; 新增就业 a count (both in one sentence of 江苏's targets).
    assert.match(compose('江苏今年城镇新增就业和失业率目标分别是多少？'), /城镇新增就业120万人以上，城镇调查失业率5%左右/);
    // 涨幅 is CPI's, not grain's (四川: `粮食产量保持在715亿斤以上`).
    assert.match(compose('四川今年居民消费价格涨幅和粮食目标？'), /居民消费价格涨幅3%左右[\s\S]*粮食产量保持在715亿斤以上/);
    // 固投 is 固定资产投资.
    assert.match(compose('河北今年规上工业增加值和固投增长目标？'), /固定资产投资增长6%左右/);
    // 浙江's report sets no new-jobs figure: the answer says so instead of dropping it.
    assert.match(compose('浙江今年新增就业和GDP目标'), /生产总值增长5\.5%左右[\s\S]*（报告未给出城镇新增就业的具体数字。）/);
  });

  test('of an amount and a rate in one quote, English gives the one asked, labelled for what it is', () => {
    const compose = (question: string): string => {
      const { intent, region, finding } = find(question);
      const picks = picksOf(finding);
      return composeFound(intent, [{ region, picks }], numbering(picks), { noRegionNamed: false, missing: [] });
    };
    // 广东: `地区生产总值达到13.57万亿元、增长4.8%`.
    assert.match(compose("What was Guangdong's GDP growth rate in 2023?"), /GDP growth in 2023: 4\.8% \(/);
    assert.match(compose('How large was Guangdong’s GDP in 2023?'), /GDP in 2023: 13\.57 trillion yuan \(/);
    assert.match(compose('How much did Jiangsu’s general public budget revenue grow in 2023?'), /revenue growth in 2023: 7\.3% \(/);
    // A bare figure after the kept clause is part of the statement: 北京 `增长5.2%、约4.4万亿元`.
    assert.match(compose('北京2023年地区生产总值是多少？'), /全市地区生产总值增长5\.2%、约4\.4万亿元 \[1\]/);
  });

  test('a `分别` list is quoted whole and the asked figure named, in Chinese and in English', () => {
    // 宁夏: `固定资产投资、社会消费品零售总额、进出口总额分别增长6%、5%、6%左右` — retail sales is the second, 5%左右.
    for (const [question, pattern] of [
      ['宁夏社会消费品零售总额增长目标', /分别增长6%、5%、6%左右（其中社会消费品零售总额增长：5%左右） \[1\]/],
      ["What is Ningxia's retail sales growth target?", /Retail sales growth target for 2024: about 5% \(固定资产投资、社会消费品零售总额、进出口总额分别增长6%、5%、6%左右\)/],
      // Not 进出口企业30家以上: a count of firms is no trade figure.
      ['宁夏外贸进出口目标', /（其中进出口总额：6%左右）/],
    ] as const) {
      const { intent, region, finding } = find(question);
      const picks = picksOf(finding);
      assert.match(composeFound(intent, [{ region, picks }], numbering(picks), { noRegionNamed: false, missing: [] }), pattern);
    }
  });

  test('urban or rural residents asked: their own figure, and no figure of everyone’s in its place', () => {
    const shaanxi = find('陕西农村居民人均可支配收入增长目标');
    const picks = picksOf(shaanxi.finding);
    assert.match(composeFound(shaanxi.intent, [{ region: shaanxi.region, picks }], numbering(picks), { noRegionNamed: false, missing: [] }), /城乡居民人均可支配收入分别增长5\.5%、6\.5%（其中农村居民人均可支配收入增长：6\.5%）/);
    const english = find("What is Shaanxi's rural income growth target?");
    assert.match(composeFound(english.intent, [{ region: english.region, picks: picksOf(english.finding) }], numbering(picksOf(english.finding)), { noRegionNamed: false, missing: [] }), /Rural per-capita disposable income growth target for 2024: 6\.5%/);
    // 宁夏 sets only everyone's (全体居民人均可支配收入增长6%以上): refused for the rural, everyone's offered as the closest.
    const { refusal, closest } = refusalOf(find('宁夏农村居民人均可支配收入增长目标').finding);
    assert.equal(refusal.reason, 'near_miss');
    assert.equal(quoteOf(closest[0]!), '全体居民人均可支配收入增长6%以上');
  });

  test('English: framing, indicator and qualifier in English, the Chinese quote verbatim beside them', () => {
    const { intent, region, finding } = find("What is Jiangsu's GDP growth target this year?");
    const picks = picksOf(finding);
    const text = composeFound(intent, [{ region, picks }], numbering(picks), { noRegionNamed: false, missing: [] });
    assert.match(text, /^According to 《2024年江苏省政府工作报告》 \(Jiangsu\): GDP growth target for 2024: 5% or more \(地区生产总值增长5%以上\) \[1\]\.$/);
  });

  test('a comparison states the verdict computed from the figures, each side cited', () => {
    const zhejiang = find('浙江和江苏今年GDP目标谁更高？');
    const jiangsu = find('浙江和江苏今年GDP目标谁更高？', [], '江苏省');
    const all = [...picksOf(zhejiang.finding), ...picksOf(jiangsu.finding)].slice(0, 2);
    const text = composeFound(zhejiang.intent, [{ region: '浙江省', picks: [all[0]!] }, { region: '江苏省', picks: [all[1]!] }], numbering(all), { noRegionNamed: false, missing: [] });
    assert.match(text, /结论：浙江省5\.5%左右，高于江苏省5%以上 \[1\]\[2\]/);
  });

  test('a typo read as a region says how it was read', () => {
    const { intent, region, finding } = find('苏洲今年GDP目标');
    const picks = picksOf(finding);
    assert.match(composeFound(intent, [{ region, picks }], numbering(picks), { noRegionNamed: false, missing: [] }), /^（按苏州市理解“苏洲”。）根据《2024年苏州市政府工作报告》/);
  });

  test('a refusal says what the report does say that comes closest, cited', () => {
    const { intent, finding } = find('镇江去年地区生产总值增长了多少？');
    const refused = refusalOf(finding);
    const text = composeRefusal({ ...refused.refusal, closest: refused.closest }, intent, numbering(refused.closest));
    assert.match(text, /^《2024年镇江市政府工作报告》只给出今年的目标和安排，没有上一年的实际数据。报告中最接近的表述是：2024年目标\/安排：.*地区生产总值增长5\.2%以上.* \[1\]。$/);
  });
});
