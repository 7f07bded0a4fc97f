// Question understanding: each part of the intent the answer step reads, on questions as users write
// them (traditional characters, invisible and full-width characters, typos, groups, places named as
// objects, places the corpus lacks, years and parts, the kind of answer wanted, follow-ups).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeQuestionText } from '../../src/corpus/normalize-text.ts';
import { understandQuestion, type QuestionIntent } from '../../src/retrieval/question-intent.ts';
import type { Turn } from '../../src/types.ts';

const intentOf = (question: string, history: Turn[] = [], region?: string): QuestionIntent => understandQuestion({ question, history, ...(region ? { region } : {}), years: [2024] });
const subjects = (question: string, history: Turn[] = [], region?: string): string[] => intentOf(question, history, region).subjects.map((entry) => entry.name);
const turns = (question: string, answer: string): Turn[] => [
  { role: 'user', content: question },
  { role: 'assistant', content: answer },
];

describe('normalizing the text', () => {
  test('traditional characters become simplified, the region with them', () => {
    assert.equal(normalizeQuestionText('廣東今年經濟增長目標是多少'), '广东今年经济增长目标是多少');
    assert.deepEqual(subjects('廣東今年經濟增長目標是多少'), ['广东省']);
    assert.deepEqual(intentOf('湖北2024年糧食實際產量是多少？').indicators.map((indicator) => indicator.id), ['grain']);
  });

  test('zero-width and direction marks are removed', () => {
    assert.equal(normalizeQuestionText('江\u200b苏\u200e今年'), '江苏今年');
    assert.deepEqual(subjects('江\u200b苏今年GDP增长目标'), ['江苏省']);
  });

  test('full-width letters and digits fold, Chinese punctuation stays', () => {
    assert.equal(normalizeQuestionText('Ｊｉａｎｇｓｕ　２０２４年？'), 'Jiangsu 2024年？');
    assert.deepEqual(subjects('Ｊｉａｎｇｓｕ GDP growth target'), ['江苏省']);
  });
});

describe('the subject region', () => {
  test('a name one character off is read as the region it fits, and said so', () => {
    const intent = intentOf('苏洲今年GDP目标');
    assert.deepEqual(intent.subjects.map((entry) => entry.name), ['苏州市']);
    assert.deepEqual(intent.approximations, [{ written: '苏洲', region: '苏州市' }]);
    assert.deepEqual(subjects('四州今年GDP目标'), ['四川省']);
  });

  test('a name one character off several regions is read as the one that sounds the same, else not guessed', () => {
    // 河楠 is one character off 河南 and 河北; 楠 is read nan, as 南.
    for (const [question, region] of [['河楠今年GDP增长目标是多少？', '河南省'], ['湖被今年城镇新增就业目标？', '湖北省'], ['山冻今年GDP增长目标？', '山东省'], ['江酥今年GDP目标', '江苏省'], ['廣洲今年GDP目标', '广州市']] as const) {
      const intent = intentOf(question);
      assert.deepEqual(intent.subjects.map((entry) => entry.name), [region], question);
      assert.equal(intent.approximations[0]?.region, region, 'and the answer says how it was read');
    }
    // 广米: 广州, 广东 and 广西 all fit, none by sound — a place, but not one to guess, never the national report.
    const intent = intentOf('广米今年GDP目标');
    assert.deepEqual(intent.subjects, []);
    assert.deepEqual(intent.unknownPlaces, ['广米']);
  });

  test('a place abroad is a place the corpus lacks, never a question about China; as an object it is the topic', () => {
    for (const [question, place] of [
      ['美国2024年GDP增长目标是多少？', '美国'],
      ['纽约今年GDP增长目标？', '纽约'],
      ['What is the US GDP growth target?', 'US'],
      ['What is the GDP target of the United States?', 'United States'],
    ] as const) {
      const intent = intentOf(question);
      assert.deepEqual(intent.subjects, [], question);
      assert.deepEqual(intent.unknownPlaces, [place], question);
    }
    const exports = intentOf('全国对美国出口增长多少');
    assert.deepEqual(exports.subjects.map((entry) => entry.name), ['全国']);
    assert.ok(exports.topicTerms.includes('美国'), 'the US is what the exports are to');
    // Not in words that hold a country's name (增加纳税: 加纳; 中非合作, 内蒙古), nor `us` in English.
    assert.deepEqual(intentOf('江苏今年增加纳税人服务有哪些举措').unknownPlaces, []);
    assert.deepEqual(intentOf('湖南中非经贸博览会有什么安排').unknownPlaces, []);
    assert.deepEqual(intentOf("Tell us Jiangsu's GDP target").unknownPlaces, []);
  });

  test('names of groups and places written unusually: 河楠省, 沪苏浙皖, 长三角三省一市, 欧盟, GPD', () => {
    assert.deepEqual(intentOf('河楠省今年GDP增长目标是多少？').subjects.map((entry) => entry.name), ['河南省']);
    assert.equal(intentOf('沪苏浙皖今年GDP增长目标分别是多少？').group?.name, '长三角');
    assert.equal(intentOf('长三角三省一市今年城镇调查失业率目标？').group?.name, '长三角');
    assert.deepEqual(intentOf('欧盟今年经济增长目标？').unknownPlaces, ['欧盟']);
    assert.deepEqual(intentOf('四川今年GPD增长目标？').indicators.map((indicator) => indicator.id), ['gdp_growth']);
    // A region the corpus lacks named as an object is the topic (全国…对台湾), and 表述 is no topic word.
    assert.deepEqual(intentOf('全国今年对台湾有什么政策表述？').topicTerms, ['台湾']);
  });

  test('ordinary words one character off a name are not corrected (上年, 干成了)', () => {
    assert.deepEqual(subjects('上年粮食产量多少'), []);
    assert.deepEqual(intentOf('上一年实际干成了多少？').approximations, []);
  });

  test('a group expands to its members', () => {
    const intent = intentOf('东北三省今年GDP增长目标分别是多少');
    assert.equal(intent.group?.name, '东北三省');
    assert.deepEqual(intent.subjects.map((entry) => entry.name), ['辽宁省', '吉林省', '黑龙江省']);
    assert.deepEqual(subjects('京津冀今年GDP目标'), ['北京市', '天津市', '河北省']);
  });

  test('places mentioned as objects are not subjects', () => {
    const tianjin = intentOf('天津今年承接北京非首都功能疏解有什么目标？');
    assert.deepEqual(tianjin.subjects.map((entry) => entry.name), ['天津市']);
    assert.deepEqual(tianjin.objects.map((entry) => entry.name), ['北京市']);
    assert.deepEqual(subjects('广东今年与香港、澳门合作有哪些举措'), ['广东省']);
    assert.deepEqual(subjects('内蒙古2023年粮食产量多少，在全国排第几？'), ['内蒙古自治区']);
  });

  test('coordinated regions and comparisons name every region', () => {
    assert.deepEqual(subjects('浙江和江苏今年GDP目标谁更高？'), ['浙江省', '江苏省']);
    assert.deepEqual(subjects('Which has the higher 2024 general public budget revenue growth target, Xinjiang or Jilin?'), ['新疆维吾尔自治区', '吉林省']);
  });

  test('places the corpus lacks are kept as such, never replaced by another region', () => {
    assert.deepEqual(intentOf('吉林市今年GDP增长目标是多少').unknownPlaces, ['吉林市']);
    assert.deepEqual(subjects('吉林市今年GDP增长目标是多少'), []);
    assert.deepEqual(intentOf('火星省今年GDP增长目标').unknownPlaces, ['火星省']);
    assert.deepEqual(intentOf("What is Atlantis's GDP growth target?").unknownPlaces, ['Atlantis']);
    assert.deepEqual(subjects('臺灣今年GDP增長目標'), ['台湾省'], 'Taiwan is in the region table, outside the corpus');
    assert.deepEqual(subjects('成都今年GDP增长目标'), ['成都市']);
  });

  test('a place named in the question wins over the region hint, which is marked overridden', () => {
    const intent = intentOf('广东今年GDP增长目标？', [], '镇江市');
    assert.deepEqual(intent.subjects.map((entry) => entry.name), ['广东省']);
    assert.deepEqual(intent.hint, { region: '镇江市', overridden: true });
    assert.deepEqual(intentOf('今年GDP增长目标？', [], '镇江').hint, { region: '镇江市', overridden: false });
    assert.deepEqual(subjects('今年GDP增长目标？', [], '镇江'), ['镇江市']);
  });
});

describe('the year and the part of the report', () => {
  test('2023, 去年 and 上一年 point to the review; 今年 and targets to the plan', () => {
    assert.equal(intentOf('江苏2023年一般公共预算收入是多少？').yearScope, 'review');
    assert.equal(intentOf('苏州去年全社会研发投入多少？').yearScope, 'review');
    assert.equal(intentOf('湖北今年城镇新增就业目标是多少？').yearScope, 'plan');
  });

  test('outcomes of the plan year and later years are outside the reports', () => {
    assert.equal(intentOf('四川2024年经济实际跑出了多少增速？').yearScope, 'plan_year_outcome');
    assert.equal(intentOf('2025年全国GDP目标').yearScope, 'future');
    assert.equal(intentOf("What is China's GDP growth target for 2025?").yearScope, 'future');
  });
});

describe('the kind of answer wanted', () => {
  test('figures, totals, ranks, measures, verdicts and key tasks', () => {
    assert.equal(intentOf('江苏今年GDP增长目标是多少？').wanted, 'figure');
    assert.equal(intentOf('内蒙古2023年地区生产总值总量是多少？').wanted, 'amount');
    assert.equal(intentOf('甘肃新能源装机占总装机比重多少，全国排第几？').wanted, 'rank');
    assert.equal(intentOf('镇江今年打算怎么促消费？').wanted, 'measures');
    assert.equal(intentOf('浙江和江苏今年GDP目标谁更高？').wanted, 'verdict');
    assert.equal(intentOf('江苏今年GDP增长目标比浙江高吗？').wanted, 'verdict');
    assert.equal(intentOf('北京2024年重点工作主要包括哪些方面？').wanted, 'tasks');
  });

  test('a retail-sales total (社会消费品零售总额) is a figure, not an amount', () => {
    assert.equal(intentOf('苏州今年社会消费品零售总额增长目标是多少？').wanted, 'figure');
  });

  test('questions the reports never cover are marked', () => {
    assert.equal(intentOf('江苏省长许昆林是哪里人？什么学历？').outOfScope, 'biography');
    assert.equal(intentOf('南京明天天气怎么样？').outOfScope, 'weather');
    // Who holds an office is not what a report is about (and `省长是谁` left no topic but the garbled 长是).
    assert.equal(intentOf('湖北省长是谁').outOfScope, 'people');
    assert.equal(intentOf('Who is the governor of Hubei?').outOfScope, 'people');
    assert.equal(intentOf('湖北省长在报告中提出了哪些重点工作').outOfScope, undefined);
    // Requests that are no question about the reports; a birth-rate target is (a topic a report may lack).
    assert.equal(intentOf('帮我写一首关于春天的诗').outOfScope, 'request');
    assert.equal(intentOf('Tell me a joke about economists.').outOfScope, 'request');
    assert.equal(intentOf('广东今年出生人口目标是多少？').outOfScope, undefined);
    assert.equal(intentOf('江苏今年GDP增长目标是多少？').outOfScope, undefined);
  });
});

describe('the topic', () => {
  test('is what is left once the region, the year and the question words are gone', () => {
    assert.deepEqual(intentOf('上海今年房价涨幅控制在多少？').topicTerms, ['房价', '涨幅']);
    assert.ok(intentOf('四川今年常住人口城镇化率目标是多少？').topicTerms.includes('城镇化率'));
  });

  test('English questions take the report terms of the lexicon', () => {
    assert.deepEqual(intentOf("How large was Fujian's digital economy in 2023?").topicTerms, ['数字经济']);
    assert.equal(intentOf("How large was Fujian's digital economy in 2023?").indicators.length, 0, 'a digital economy is not GDP');
  });

  test('a broad field (就业方面) is a topic, not the new-urban-jobs indicator', () => {
    const intent = intentOf('西藏就业方面有什么目标？');
    assert.deepEqual(intent.indicators, []);
    assert.ok(intent.topicTerms.includes('就业'));
    assert.deepEqual(intentOf('西藏2024年城镇新增就业目标是多少？').indicators.map((indicator) => indicator.id), ['urban_jobs']);
  });
});

describe('follow-ups', () => {
  test('carry the region and the topic when the new question has neither', () => {
    const intent = intentOf('今年的目标呢？', turns('北京2023年一般公共预算收入增长了多少？', '2023年北京一般公共预算收入增长8.2%。'));
    assert.deepEqual(intent.subjects.map((entry) => entry.name), ['北京市']);
    assert.deepEqual(intent.indicators.map((indicator) => indicator.id), ['budget_revenue']);
    assert.equal(intent.yearScope, 'plan', 'the new question’s year wins');
    assert.deepEqual(intent.carried, { region: true, topic: true });
  });

  test('a review question after a target question points to the review', () => {
    const intent = intentOf('上一年实际干成了多少？', turns('河南今年城镇新增就业目标是多少？', '河南提出2024年城镇新增就业110万人以上。'));
    assert.deepEqual(intent.subjects.map((entry) => entry.name), ['河南省']);
    assert.equal(intent.yearScope, 'review');
  });

  test('a newly named place replaces the old region; the year travels with the topic', () => {
    const history = turns('湖北2023年粮食产量是多少', '粮食产量达到555.4亿斤。');
    const intent = intentOf('那湖南呢？', history);
    assert.deepEqual(intent.subjects.map((entry) => entry.name), ['湖南省']);
    assert.equal(intent.yearScope, 'review');
    assert.deepEqual(intentOf('那吉林市呢？', history).unknownPlaces, ['吉林市']);
  });

  test('a follow-up comparing with a new place keeps the region before it (和重庆比哪个高？)', () => {
    const history = turns('四川今年GDP增长目标是多少？', '地区生产总值增长6%左右。');
    const intent = intentOf('和重庆比哪个高？', history);
    assert.deepEqual(intent.subjects.map((entry) => entry.name), ['四川省', '重庆市']);
    assert.deepEqual(intent.indicators.map((indicator) => indicator.id), ['gdp_growth']);
    assert.deepEqual(intentOf('那重庆呢？', history).subjects.map((entry) => entry.name), ['重庆市'], 'not a comparison: the place replaces');
  });

  test('a follow-up naming a part of the previous topic keeps the topic (去年实际产量呢？ after 粮食产量)', () => {
    const history = [...turns('河南今年粮食产量目标', '粮食产量1300亿斤以上。'), ...turns('去年实际产量呢？', '粮食产量1324.9亿斤。')];
    assert.deepEqual(intentOf('去年实际产量呢？', history.slice(0, 2)).indicators.map((indicator) => indicator.id), ['grain']);
    const intent = intentOf('和山东比呢？', history);
    assert.deepEqual(intent.subjects.map((entry) => entry.name), ['河南省', '山东省']);
    assert.deepEqual(intent.indicators.map((indicator) => indicator.id), ['grain']);
  });

  test('a comparison naming no place is between the last two regions asked about', () => {
    const history = [...turns('河北今年GDP增长目标', '地区生产总值增长5.5%左右。'), ...turns('山西呢？', '地区生产总值增长5%左右。')];
    assert.deepEqual(intentOf('哪个更高？', history).subjects.map((entry) => entry.name), ['河北省', '山西省']);
    const english = [...turns('What is the unemployment target of Sichuan this year?', 'About 5.5%.'), ...turns('And Chongqing?', 'About 5.5%.')];
    assert.deepEqual(intentOf('Which one is lower?', english).subjects.map((entry) => entry.name), ['四川省', '重庆市']);
  });

  test('an English follow-up keeps English and the region of the conversation', () => {
    const intent = intentOf('How much is it supposed to rise this year?', turns("What was Ningxia's local general public budget revenue in 2023?", 'It reached 50.2 billion yuan.'));
    assert.equal(intent.english, true);
    assert.deepEqual(intent.subjects.map((entry) => entry.name), ['宁夏回族自治区']);
    assert.equal(intent.yearScope, 'plan');
  });

  test('with no history, a question naming no region names none', () => {
    assert.deepEqual(subjects('那CPI呢？'), []);
  });
});
