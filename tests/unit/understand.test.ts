// Understanding a request, once: each part of the intent everything downstream reads, on questions as
// users write them (traditional characters, invisible and full-width characters, typos, groups, places named
// as objects, places the corpus lacks, years against the corpus's years, the asks and their kinds, the topic
// with its report forms, follow-ups that carry the intent before them and questions that stand alone).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeQuestionText } from '../../src/corpus/normalize-text.ts';
import type { Intent } from '../../src/understand/intent.ts';
import { isEnglish, understand, type UnderstandContext } from '../../src/understand/understand.ts';
import type { Turn } from '../../src/types.ts';
import { realContext } from './understand-context.ts';

let context: UnderstandContext;
before(async () => {
  context = await realContext();
});

const intentOf = (question: string, history: Turn[] = [], region?: string): Intent => understand({ question, history, ...(region ? { region } : {}) }, context);
const subjects = (question: string, history: Turn[] = [], region?: string): string[] => intentOf(question, history, region).subjects.map((entry) => entry.name);
const indicators = (question: string, history: Turn[] = []): string[] => intentOf(question, history).asks.flatMap((ask) => (ask.indicator ? [ask.indicator.id] : []));
const words = (intent: Intent): string[] => intent.asks.flatMap((ask) => ask.concepts.map((concept) => concept.written));
const forms = (intent: Intent): string[] => intent.asks.flatMap((ask) => ask.concepts.flatMap((concept) => concept.forms.map((form) => form.text)));
const turns = (...pairs: [question: string, answer: string][]): Turn[] =>
  pairs.flatMap(([question, answer]) => [
    { role: 'user' as const, content: question },
    { role: 'assistant' as const, content: answer },
  ]);

describe('normalizing the text', () => {
  test('traditional characters become simplified, the region with them', () => {
    assert.equal(normalizeQuestionText('廣東今年經濟增長目標是多少'), '广东今年经济增长目标是多少');
    assert.deepEqual(subjects('廣東今年經濟增長目標是多少'), ['广东省']);
    assert.deepEqual(indicators('湖北2024年糧食實際產量是多少？'), ['grain']);
    assert.equal(intentOf('廣東今年經濟增長目標是多少').traditional, true);
  });

  test('zero-width and direction marks are removed; full-width letters and digits fold', () => {
    assert.equal(normalizeQuestionText('江\u200b苏\u200e今年'), '江苏今年');
    assert.deepEqual(subjects('江\u200b苏今年GDP增长目标'), ['江苏省']);
    assert.equal(normalizeQuestionText('Ｊｉａｎｇｓｕ　２０２４年？'), 'Jiangsu 2024年？');
    assert.deepEqual(subjects('Ｊｉａｎｇｓｕ GDP growth target'), ['江苏省']);
  });

  test('tells English from Chinese questions', () => {
    assert.equal(isEnglish('And how much foreign capital did it actually use?'), true);
    assert.equal(isEnglish('江苏今年GDP增长目标是多少？'), false);
    assert.equal(intentOf('What is the unemployment target?').language, 'en');
  });
});

describe('the subject region', () => {
  test('a name one character off is read as the region it fits, and said so', () => {
    const intent = intentOf('苏洲今年GDP目标');
    assert.deepEqual(intent.subjects.map((entry) => entry.name), ['苏州市']);
    assert.deepEqual(intent.approximations, [{ written: '苏洲', region: '苏州市' }]);
    assert.deepEqual(subjects('四州今年GDP目标'), ['四川省']);
    // In English too: a region's name one letter off.
    assert.deepEqual(subjects("What was Guangdon's GDP in 2023?"), ['广东省']);
  });

  test('a name one character off several regions is read as the one that sounds the same, else not guessed', () => {
    for (const [question, region] of [['河楠今年GDP增长目标是多少？', '河南省'], ['湖被今年城镇新增就业目标？', '湖北省'], ['江酥今年GDP目标', '江苏省']] as const) {
      const intent = intentOf(question);
      assert.deepEqual(intent.subjects.map((entry) => entry.name), [region], question);
      assert.equal(intent.approximations[0]?.region, region, 'and the answer says how it was read');
    }
    const intent = intentOf('广米今年GDP目标');
    assert.deepEqual(intent.subjects, []);
    assert.deepEqual(intent.unknownPlaces, ['广米']);
  });

  test('a place abroad is a place the corpus lacks, never a question about China; as an object it is the topic', () => {
    for (const [question, place] of [
      ['美国2024年GDP增长目标是多少？', '美国'],
      ['What is the US GDP growth target?', 'US'],
    ] as const) {
      const intent = intentOf(question);
      assert.deepEqual(intent.subjects, [], question);
      assert.deepEqual(intent.unknownPlaces, [place], question);
      assert.deepEqual(intent.within, [], 'a place abroad is inside no region of the corpus');
    }
    const exports = intentOf('全国对美国出口增长多少');
    assert.deepEqual(exports.subjects.map((entry) => entry.name), ['全国']);
    assert.ok(words(exports).includes('美国'), 'the US is what the exports are to');
    assert.deepEqual(intentOf('江苏今年增加纳税人服务有哪些举措').unknownPlaces, []);
    assert.deepEqual(intentOf("Tell us Jiangsu's GDP target").unknownPlaces, []);
  });

  test('a group expands to its members; unusual names of groups are groups', () => {
    const intent = intentOf('东北三省今年GDP增长目标分别是多少');
    assert.equal(intent.group?.name, '东北三省');
    assert.deepEqual(intent.subjects.map((entry) => entry.name), ['辽宁省', '吉林省', '黑龙江省']);
    assert.equal(intentOf('沪苏浙皖今年GDP增长目标分别是多少？').group?.name, '长三角');
    assert.deepEqual(indicators('四川今年GPD增长目标？'), ['gdp_growth']);
  });

  test('places mentioned as objects are not subjects', () => {
    const tianjin = intentOf('天津今年承接北京非首都功能疏解有什么目标？');
    assert.deepEqual(tianjin.subjects.map((entry) => entry.name), ['天津市']);
    assert.deepEqual(tianjin.objects.map((entry) => entry.name), ['北京市']);
    assert.deepEqual(subjects('内蒙古2023年粮食产量多少，在全国排第几？'), ['内蒙古自治区']);
  });

  test('coordinated regions and comparisons name every region', () => {
    assert.deepEqual(subjects('浙江和江苏今年GDP目标谁更高？'), ['浙江省', '江苏省']);
    assert.deepEqual(subjects('Which has the higher 2024 general public budget revenue growth target, Xinjiang or Jilin?'), ['新疆维吾尔自治区', '吉林省']);
  });

  test('places the corpus lacks are kept as such; those inside a region it holds are noted with that region', () => {
    assert.deepEqual(intentOf('火星省今年GDP增长目标').unknownPlaces, ['火星省']);
    assert.deepEqual(intentOf("What is Atlantis's GDP growth target?").unknownPlaces, ['Atlantis']);
    assert.deepEqual(subjects('臺灣今年GDP增長目標'), ['台湾省'], 'Taiwan is in the region table, outside the corpus');
    // 成都 is a region of the table without a report; 沈阳 and 昆山 are places of the gazetteer.
    assert.deepEqual(intentOf('成都今年GDP增长目标').within.map((entry) => [entry.place, entry.region.name]), [['成都市', '四川省']]);
    assert.deepEqual(intentOf('沈阳去年GDP增长了多少？').within.map((entry) => [entry.place, entry.region.name]), [['沈阳市', '辽宁省']]);
    assert.deepEqual(intentOf('昆山2024年地区生产总值增长目标是多少？').within.map((entry) => [entry.place, entry.region.name]), [['昆山市', '苏州市']]);
    // A county's short name counts only where jieba reads it as a name (朝阳产业 names no place).
    assert.deepEqual(intentOf('朝阳产业发展').unknownPlaces, []);
  });

  test('a place named in the question wins over the region hint, which is marked overridden', () => {
    const intent = intentOf('广东今年GDP增长目标？', [], '镇江市');
    assert.deepEqual(intent.subjects.map((entry) => entry.name), ['广东省']);
    assert.deepEqual(intent.hint, { region: '镇江市', overridden: true });
    assert.deepEqual(intentOf('今年GDP增长目标？', [], '镇江').hint, { region: '镇江市', overridden: false });
    assert.deepEqual(subjects('今年GDP增长目标？', [], '镇江'), ['镇江市']);
  });

  test('全国 and 国家 name the national report; a province beside 国家战略 is the subject', () => {
    assert.deepEqual(subjects('全国今年GDP增长目标是多少？'), ['全国']);
    assert.deepEqual(subjects('江苏落实国家战略有哪些举措？'), ['江苏省']);
    assert.deepEqual(subjects('What is the unemployment target?'), []);
  });
});

describe('the year, against the years the corpus holds', () => {
  test('the year before a report is its review; its own year and targets its plan', () => {
    assert.equal(intentOf('江苏2023年一般公共预算收入是多少？').time.scope, 'review');
    assert.equal(intentOf('苏州去年全社会研发投入多少？').time.scope, 'review');
    assert.equal(intentOf('湖北今年城镇新增就业目标是多少？').time.scope, 'plan');
    assert.equal(intentOf('江苏GDP增长目标是多少？').time.scope, 'plan');
    assert.deepEqual(intentOf('西藏2023年地区生产总值增长了多少？').time.written, [2023]);
    assert.deepEqual(intentOf('湖南今年进出口目标是多少？').time.relative, [0]);
  });

  test('outcomes of the plan year and later years are outside the reports', () => {
    assert.equal(intentOf('四川2024年经济实际跑出了多少增速？').time.scope, 'plan_year_outcome');
    assert.equal(intentOf('2025年全国GDP目标').time.scope, 'future');
    assert.equal(intentOf("What is China's GDP growth target for 2025?").time.scope, 'future');
    assert.equal(intentOf('苏州前年地区生产总值多少？').time.scope, 'other', 'the year before the review is neither part');
  });

  test('years come from the corpus: a corpus of other years moves the scope with it', () => {
    const later: UnderstandContext = { ...context, years: [2025], yearsOf: () => [2025] };
    assert.equal(understand({ question: '江苏2024年一般公共预算收入是多少？' }, later).time.scope, 'review');
    assert.equal(understand({ question: '江苏2025年GDP目标' }, later).time.scope, 'plan');
  });
});

describe('the asks and the kind of answer each wants', () => {
  test('figures, totals, ranks, measures, verdicts and key tasks', () => {
    const kind = (question: string): string => intentOf(question).asks[0]!.kind;
    assert.equal(kind('江苏今年GDP增长目标是多少？'), 'figure');
    assert.equal(kind('内蒙古2023年地区生产总值总量是多少？'), 'amount');
    assert.equal(kind('镇江今年打算怎么促消费？'), 'measures');
    assert.equal(kind('天津的天开园今年有什么发展目标？'), 'measures', 'a goal question is answered with the plan’s statements');
    assert.equal(kind('江苏今年GDP增长目标比浙江高吗？'), 'verdict');
    assert.equal(kind('北京2024年重点工作主要包括哪些方面？'), 'tasks');
    assert.equal(kind('苏州今年社会消费品零售总额增长目标是多少？'), 'figure', 'a retail-sales total is a figure, not an amount');
    assert.equal(kind('山西今年打算挖多少煤？'), 'figure', 'a number planned is a figure, not measures');
    assert.equal(kind('西藏今年社零要突破多少？'), 'amount');
  });

  test('a question with two asks gets both: two indicators, two sub-questions, two clauses that each ask', () => {
    assert.deepEqual(indicators('内蒙古今年GDP和新增就业目标是多少？'), ['gdp_growth', 'urban_jobs']);
    const shanghai = intentOf('上海港2023年集装箱吞吐量是多少？在世界排第几？');
    assert.deepEqual(shanghai.asks.map((ask) => ask.kind), ['figure', 'rank']);
    assert.deepEqual(shanghai.asks[1]!.concepts.map((concept) => concept.written), shanghai.asks[0]!.concepts.map((concept) => concept.written), 'the rank is of the same topic');
    const sichuan = intentOf('四川今年要新开工改造多少个老旧小区，加装多少部电梯？');
    assert.equal(sichuan.asks.length, 2);
    assert.equal(sichuan.asks[0]!.unit, '个');
    assert.equal(sichuan.asks[1]!.unit, '部');
    const zhejiang = intentOf('浙江“千项万亿”工程今年安排多少个项目、完成多少投资？');
    assert.equal(zhejiang.asks.length, 2);
    assert.equal(zhejiang.asks[1]!.unit, undefined, 'the second asks in its own unit, not the first one’s');
  });

  test('a rate is asked by its words, not by a rate word inside the topic', () => {
    assert.equal(intentOf('江苏今年GDP增长目标是多少？').asks[0]!.rate, true);
    assert.equal(intentOf('安徽今年全员劳动生产率目标是多少？').asks[0]!.rate, false, '劳动生产率 is a topic');
    assert.equal(intentOf('福建全社会研发投入强度是多少？').asks[0]!.rate, true);
    const both = intentOf('江苏今年城镇新增就业和失业率目标是多少？');
    assert.deepEqual(both.asks.map((ask) => [ask.indicator?.id, ask.rate]), [['urban_jobs', false], ['unemployment', true]]);
  });

  test('a share asked reads the whole as part of the topic, named by its part', () => {
    const share = intentOf("What share of Beijing's GDP did the digital economy account for in 2023?");
    assert.equal(share.asks[0]!.share, true);
    assert.match(share.asks[0]!.label, /digital economy/);
  });

  test('questions the reports never cover are marked, and carry nothing', () => {
    assert.equal(intentOf('江苏省长许昆林是哪里人？什么学历？').outOfScope, 'biography');
    assert.equal(intentOf('南京明天天气怎么样？').outOfScope, 'weather');
    assert.equal(intentOf('湖北省长是谁').outOfScope, 'people');
    assert.equal(intentOf('Who is the governor of Hubei?').outOfScope, 'people');
    assert.equal(intentOf('湖北省长在报告中提出了哪些重点工作').outOfScope, undefined);
    assert.equal(intentOf('帮我写一首关于春天的诗').outOfScope, 'request');
    assert.equal(intentOf('贵州茅台今天的股价是多少啊？').outOfScope, 'markets');
    assert.equal(intentOf('重庆哪家火锅最好吃？').outOfScope, 'consumer');
    assert.equal(intentOf('广东今年出生人口目标是多少？').outOfScope, undefined);
  });

  test('greetings, thanks and noise are out of scope, not follow-ups', () => {
    const history = turns(['江苏今年GDP增长目标是多少？', '地区生产总值增长5%以上。']);
    for (const [question, reason] of [['你好', 'greeting'], ['hello!', 'greeting'], ['谢谢', 'thanks'], ['thanks', 'thanks'], ['asdfghjkl', 'noise'], ['？？？', 'noise']] as const) {
      const intent = intentOf(question, history);
      assert.equal(intent.outOfScope, reason, question);
      assert.deepEqual(intent.subjects, [], `${question} carries no region`);
      assert.equal(intent.carried.topic, false, `${question} carries no topic`);
    }
  });
});

describe('the topic', () => {
  test('is what is left once the region, the year and the question words are gone', () => {
    assert.deepEqual(words(intentOf('上海今年房价涨幅控制在多少？')), ['房价']);
    assert.deepEqual(words(intentOf('四川今年常住人口城镇化率目标是多少？')), ['常住人口城镇化率']);
  });

  test('indicators bring their report terms; a part’s figure in the question is no indicator', () => {
    assert.deepEqual(indicators('江苏人均GDP是多少？'), ['per_capita_gdp']);
    assert.deepEqual(indicators('CPI控制在多少？'), ['cpi']);
    assert.deepEqual(indicators('What is the inflation target?'), ['cpi']);
    assert.deepEqual(indicators('城镇调查失业率控制在多少？'), ['unemployment']);
    assert.deepEqual(indicators('How many new urban jobs does Hunan plan to create?'), ['urban_jobs']);
    assert.deepEqual(indicators('那规上工业增加值目标呢？'), ['industrial_output']);
    assert.deepEqual(indicators('And how much foreign capital did it actually use?'), ['foreign_investment']);
    assert.deepEqual(indicators('老旧小区改造要完成多少个？'), []);
    assert.deepEqual(indicators('海南今年海洋生产总值要突破多少？'), [], 'marine GDP is not the region’s GDP');
    assert.deepEqual(indicators("How large was Fujian's digital economy in 2023?"), [], 'a digital economy is not GDP');
    assert.ok(forms(intentOf('江苏今年GDP增长目标是多少？')).includes('地区生产总值'));
  });

  test('abbreviations reach what the reports spell out, and the reports’ abbreviations are reached', () => {
    assert.ok(forms(intentOf('陕西今年打算怎么发展文化旅游？')).includes('文旅'), '文化旅游 is written 文旅');
    assert.ok(forms(intentOf('贵州今年文旅方面定了什么增长目标？')).includes('旅游'));
    assert.ok(intentOf('天津今年固投有增长目标吗？').asks[0]!.indicator?.id === 'fixed_investment');
    assert.ok(forms(intentOf('吉林省今年有没有提出旅游业的目标？')).includes('旅游'), 'the words a longer word is made of');
    assert.ok(!forms(intentOf('廣東高新技術企業有多少家？')).includes('高技术'), 'no abbreviation of one word alone');
  });

  test('English questions take report terms from the lexicon and the bilingual dictionary', () => {
    const tianjin = intentOf('What was Tianjin’s port cargo throughput in 2023?');
    assert.ok(forms(tianjin).includes('货物吞吐量'));
    assert.ok(forms(intentOf("What is Jiangsu's 2024 target for new-energy vehicles?")).includes('新能源汽车'), 'hyphens read as spaces');
    assert.ok(forms(intentOf('What does Jilin plan for tourism revenue in 2024?')).includes('旅游收入'));
    assert.equal(intentOf('What does Jilin plan for tourism revenue in 2024?').asks[0]!.indicator?.id, 'tourism_revenue', 'tourism revenue is its own indicator, no budget revenue');
  });

  test('the whole of a share asked is no ask of its own, and an indicator asked with What was is a figure', () => {
    const asks = (question: string): string[] => intentOf(question).asks.map((ask) => `${ask.kind}:${ask.indicator?.id ?? ''}:${ask.share}`);
    assert.deepEqual(asks("What was Hubei's R&D spending as a share of GDP last year?"), ['figure:rd_intensity:true']);
    assert.deepEqual(asks("What share of Hubei's GDP did R&D spending account for last year?"), ['figure:rd_intensity:true']);
    assert.deepEqual(asks("How large is Guangdong's ocean economy relative to its GDP?"), ['figure:gdp_growth:true'], 'alone, the whole stays: the part is no indicator');
    assert.deepEqual(asks("What was Beijing's R&D intensity in 2023?"), ['figure:rd_intensity:false']);
    assert.deepEqual(asks('城镇新增就业和失业率目标是多少？').length, 2, 'two indicators coordinated are two asks');
  });

  test('adjacent words jieba cuts apart that are a lexicon term are read as it, with its synonyms', () => {
    const concept = intentOf('甘肃今年要办的10件民生实事主要有哪些？').asks[0]!.concepts;
    assert.deepEqual(concept.map((one) => one.written), ['民生实事']);
    assert.ok(concept[0]!.forms.some((form) => form.text === '为民实事'));
  });

  test('what a question word asks in is no topic', () => {
    const written = (question: string): string[] => intentOf(question).asks.flatMap((ask) => ask.concepts.map((concept) => concept.written));
    assert.deepEqual(written('安徽去年造了多少辆车？'), ['造', '车'], '多少辆车 is no topic 辆车');
    assert.deepEqual(written('内蒙古今年外贸要做到多大规模？'), ['外贸'], '多大规模 is no topic 大规模');
    assert.equal(intentOf('福建今年招商引资要拉来多少大项目？').asks[0]!.label, '招商引资要拉来多少大项目', 'a refusal names the topic as written');
  });

  test('a follow-up of verbs only asks on about the topic before it', () => {
    const history = [
      { role: 'user' as const, content: '吉林去年有多少高校毕业生留在省内？' },
      { role: 'assistant' as const, content: '根据《2024年吉林省政府工作报告》：高校毕业生留吉13.3万人 [1]。' },
    ];
    const intent = intentOf('那今年想留住多少？', history);
    assert.equal(intent.carried.topic, true);
    assert.deepEqual(words(intent), ['高校', '毕业生', '留在', '省内', '留住']);
    assert.equal(intent.asks[0]!.concepts.at(-1)!.verb, true, 'the verb weighs as one');
    assert.equal(intentOf('谢谢', history).outOfScope !== undefined || intentOf('谢谢', history).asks.every((ask) => ask.concepts.length === 0), true, 'thanks carries nothing');
  });

  test('a pronoun of an English follow-up is no topic: the topic before it is carried', () => {
    const history = [
      { role: 'user' as const, content: "What was Tianjin's technology-contract turnover in 2023?" },
      { role: 'assistant' as const, content: 'According to 《2024年天津市政府工作报告》: “全市技术合同成交额突破1900亿元” [1].' },
    ];
    const intent = intentOf('Is there a number for where they want it to be this year?', history);
    assert.equal(intent.carried.topic, true);
    assert.ok(intent.asks[0]!.concepts.some((concept) => concept.forms.some((form) => form.text === '技术合同')));
  });

  test('an English phrase’s compound term keeps its qualifying word as a fallback, never its head nor a word of a longer one', () => {
    const fallbacks = (question: string): string[] => intentOf(question).asks.flatMap((ask) => ask.concepts.flatMap((concept) => concept.forms.filter((form) => form.fallback).map((form) => form.text)));
    assert.deepEqual(fallbacks('How will Heilongjiang develop its ice and snow economy?'), ['冰雪']);
    assert.deepEqual(fallbacks('What surveyed urban unemployment rate is Suzhou targeting for 2024?'), [], '调查 alone names too little of 城镇调查失业率');
    assert.deepEqual(fallbacks("How large is Guangdong's ocean economy relative to its GDP?"), [], 'the lexicon gives its several terms');
    assert.deepEqual(intentOf('How will Heilongjiang develop its ice and snow economy?').search.terms.includes('冰雪'), false, 'a fallback is not searched');
  });

  test('a broad field (就业方面) is the field, not only the new-urban-jobs indicator', () => {
    const intent = intentOf('青海今年就业方面的目标是多少？');
    assert.equal(intent.asks[0]!.concepts[0]!.broad, true);
    assert.equal(intent.asks[0]!.label, '就业');
    assert.equal(intentOf('西藏2024年城镇新增就业目标是多少？').asks[0]!.concepts[0]!.broad, undefined);
  });

  test('verbs and measures weigh less than the topic: they are marked', () => {
    const intent = intentOf('辽宁今年打算怎么扶持民营经济？');
    const fuchi = intent.asks[0]!.concepts.find((concept) => concept.written === '扶持');
    assert.equal(fuchi?.verb, true);
    const coal = intentOf('山西去年挖了多少煤？');
    assert.ok(coal.asks[0]!.concepts.some((concept) => concept.written === '煤'), 'a single character is the topic when it is the noun asked about');
  });

  test('a word made of framing words only is framing (控制目标), one with a topic piece stays whole (行动计划)', () => {
    assert.deepEqual(words(intentOf('上海今年PM2.5控制目标是多少？')), ['PM2.5']);
    assert.ok(words(intentOf('江西的“1269”行动计划是什么？')).includes('行动计划'));
  });
});

describe('follow-ups carry the intent before them; questions that stand alone carry nothing', () => {
  test('the region and the topic when the new question has neither, with its own year', () => {
    const intent = intentOf('今年的目标呢？', turns(['北京2023年一般公共预算收入增长了多少？', '2023年北京一般公共预算收入增长8.2%。']));
    assert.deepEqual(intent.subjects.map((entry) => entry.name), ['北京市']);
    assert.deepEqual(intent.asks.map((ask) => ask.indicator?.id), ['budget_revenue']);
    assert.equal(intent.time.scope, 'plan', 'the new question’s year wins');
    assert.deepEqual(intent.carried, { regions: true, topic: true, year: false });
  });

  test('a new indicator keeps the region and the year (新增就业呢？, 那今年财政收入目标呢？)', () => {
    const hunan = intentOf('新增就业呢？', turns(['湖南今年进出口目标是多少？', '湖南提出进出口总额增长6%。']));
    assert.deepEqual(hunan.subjects.map((entry) => entry.name), ['湖南省']);
    assert.deepEqual(hunan.asks.map((ask) => ask.indicator?.id), ['urban_jobs']);
    assert.equal(hunan.time.scope, 'plan');
    const jiangsu = intentOf('那今年财政收入目标呢？', turns(['江苏今年居民消费价格涨幅目标是多少？', '江苏提出居民消费价格涨幅3%左右。']));
    assert.deepEqual(jiangsu.subjects.map((entry) => entry.name), ['江苏省']);
    assert.deepEqual(jiangsu.asks.map((ask) => ask.indicator?.id), ['budget_revenue']);
  });

  test('a newly named place replaces the old region; the year travels with the topic', () => {
    const history = turns(['湖北2023年粮食产量是多少', '粮食产量达到555.4亿斤。']);
    const intent = intentOf('那湖南呢？', history);
    assert.deepEqual(intent.subjects.map((entry) => entry.name), ['湖南省']);
    assert.equal(intent.time.scope, 'review');
    assert.deepEqual(intent.asks.map((ask) => ask.indicator?.id), ['grain']);
    assert.deepEqual(subjects('What about Guangdong?', turns(['江苏今年GDP增长目标是多少？', '地区生产总值增长5%以上。'])), ['广东省']);
  });

  test('a follow-up comparing with a new place keeps the region before it (和重庆比哪个高？)', () => {
    const history = turns(['四川今年GDP增长目标是多少？', '地区生产总值增长6%左右。']);
    const intent = intentOf('和重庆比哪个高？', history);
    assert.deepEqual(intent.subjects.map((entry) => entry.name), ['四川省', '重庆市']);
    assert.deepEqual(intent.asks.map((ask) => ask.indicator?.id), ['gdp_growth']);
    assert.deepEqual(subjects('那重庆呢？', history), ['重庆市'], 'not a comparison: the place replaces');
  });

  test('a follow-up naming part of the previous topic keeps it; a word that modifies it makes another indicator', () => {
    const history = [...turns(['河南今年粮食产量目标', '粮食产量1300亿斤以上。']), ...turns(['去年实际产量呢？', '粮食产量1324.9亿斤。'])];
    assert.deepEqual(indicators('去年实际产量呢？', history.slice(0, 2)), ['grain']);
    const intent = intentOf('和山东比呢？', history);
    assert.deepEqual(intent.subjects.map((entry) => entry.name), ['河南省', '山东省']);
    assert.deepEqual(intent.asks.map((ask) => ask.indicator?.id), ['grain']);
    assert.deepEqual(indicators('人均呢？', turns(['宁夏去年地区生产总值多少？', '5315亿元。'])), ['per_capita_gdp']);
  });

  test('a question pointing back (这里面…) continues the topic with its own words', () => {
    const intent = intentOf('这里面有没有单独列出的子目标？', turns(['镇江今年数字经济有什么目标？', '数字经济核心产业…']));
    assert.deepEqual(intent.subjects.map((entry) => entry.name), ['镇江市']);
    assert.ok(words(intent).includes('数字') && words(intent).includes('经济'), words(intent).join(' '));
    assert.ok(words(intent).includes('子目标'), 'with its own words');
    assert.equal(intent.carried.topic, true);
  });

  test('a comparison naming no place is between the last two regions asked about', () => {
    const history = [...turns(['河北今年GDP增长目标', '地区生产总值增长5.5%左右。']), ...turns(['山西呢？', '地区生产总值增长5%左右。'])];
    assert.deepEqual(subjects('哪个更高？', history), ['河北省', '山西省']);
    const english = [...turns(['What is the unemployment target of Sichuan this year?', 'About 5.5%.']), ...turns(['And Chongqing?', 'About 5.5%.'])];
    assert.deepEqual(subjects('Which one is lower?', english), ['四川省', '重庆市']);
  });

  test('an English follow-up keeps English and the region; its own year wins, the old aim does not travel', () => {
    const intent = intentOf('How much is it supposed to rise this year?', turns(["What was Ningxia's local general public budget revenue in 2023?", 'It reached 50.2 billion yuan.']));
    assert.equal(intent.language, 'en');
    assert.deepEqual(intent.subjects.map((entry) => entry.name), ['宁夏回族自治区']);
    assert.equal(intent.time.scope, 'plan');
    const suzhou = intentOf('And how much foreign capital did it actually use?', turns(["What was Suzhou's total import and export value in 2023?", 'It reached 2.45 trillion yuan.']));
    assert.deepEqual(suzhou.subjects.map((entry) => entry.name), ['苏州市']);
    assert.equal(suzhou.time.scope, 'review', 'the year of the question before');
  });

  test('a ranking across regions stands alone, whatever came before', () => {
    const intent = intentOf('哪个省今年GDP增长目标最高？', turns(['四川省2024年的重点工作有哪些？', '……']));
    assert.equal(intent.shape, 'across');
    assert.deepEqual(intent.subjects, []);
    assert.deepEqual(intent.across?.ask, { kind: 'rank', order: 'desc', count: 1 });
    assert.equal(intent.across?.population, 'provinces');
  });

  test('a question with its own region and topic is left as it is; without history nothing is carried', () => {
    const intent = intentOf('浙江今年GDP增长目标是多少？', turns(['江苏今年GDP增长目标是多少？', '地区生产总值增长5%以上。']));
    assert.deepEqual(intent.carried, { regions: false, topic: false, year: false });
    assert.deepEqual(subjects('新增就业呢？'), []);
    assert.deepEqual(subjects('那CPI呢？'), []);
  });
});

describe('across regions, read once', () => {
  test('rankings, thresholds, listings and comparisons', () => {
    assert.deepEqual(intentOf('GDP增长目标在6%及以上的有哪些省份？').across?.ask, { kind: 'threshold', operator: '>=', number: 6 });
    assert.deepEqual(intentOf('Which provinces target GDP growth above 5.5%?').across?.ask, { kind: 'threshold', operator: '>', number: 5.5 });
    assert.deepEqual(intentOf('粮食产量目标最高的三个省').across?.ask, { kind: 'rank', order: 'desc', count: 3 });
    assert.equal(intentOf('东北三省今年外贸目标分别是多少？').across?.ask.kind, 'list');
    assert.equal(intentOf('江苏和浙江今年GDP目标谁高？').across?.ask.kind, 'compare');
    assert.equal(intentOf('福建今年出口增长目标').shape, 'single');
    assert.equal(intentOf('哪个省去年GDP增速最高').shape, 'ranking', 'an outcome ranking is read from each report, not the targets table');
    assert.equal(intentOf('哪个省去年GDP增速最高').across, undefined);
    assert.equal(intentOf('全国哪个省今年粮食产量最多？').across?.ask.kind, 'rank', 'a target ranking is the targets table’s, 全国 only its frame');
  });
});
