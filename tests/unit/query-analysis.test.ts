// Query analysis and follow-up rewriting: what a question asks about, for which year, and which region a
// follow-up inherits. Follow-up cases are the dev set's (eval/dev.json).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeQuery, detectYearIntent, findIndicators, isEnglish } from '../../src/retrieval/analyze-query.ts';
import { understandQuestion } from '../../src/retrieval/question-intent.ts';
import type { Turn } from '../../src/types.ts';

const indicatorIds = (question: string): string[] => findIndicators(question).map((indicator) => indicator.id);
const regionNames = (question: string): string[] => analyzeQuery(question).regions.map((entry) => entry.name);

describe('indicators a question asks about', () => {
  test('人均GDP is per-capita GDP, not GDP growth', () => {
    assert.deepEqual(indicatorIds('江苏人均GDP是多少？'), ['per_capita_gdp']);
    assert.deepEqual(indicatorIds('江苏人均地区生产总值是多少？'), ['per_capita_gdp']);
    assert.deepEqual(indicatorIds('江苏今年GDP增长目标是多少？'), ['gdp_growth']);
    assert.deepEqual(indicatorIds('江苏今年GDP和人均GDP分别是多少？'), ['per_capita_gdp', 'gdp_growth'], 'both, when both are asked');
  });

  test('CPI and 居民消费价格 are the same indicator', () => {
    assert.deepEqual(indicatorIds('CPI控制在多少？'), ['cpi']);
    assert.deepEqual(indicatorIds('江苏今年居民消费价格涨幅目标是多少？'), ['cpi']);
    assert.deepEqual(indicatorIds('What is the inflation target?'), ['cpi']);
  });

  test('失业率 and unemployment are the unemployment rate, not new jobs', () => {
    assert.deepEqual(indicatorIds('城镇调查失业率控制在多少？'), ['unemployment']);
    assert.deepEqual(indicatorIds('What is the surveyed urban unemployment rate target?'), ['unemployment']);
    assert.deepEqual(indicatorIds('How many new urban jobs does Hunan plan to create?'), ['urban_jobs']);
    assert.deepEqual(indicatorIds('新增就业呢？'), ['urban_jobs']);
  });

  test('other indicators of the dev set are recognised', () => {
    assert.deepEqual(indicatorIds('那规上工业增加值目标呢？'), ['industrial_output']);
    assert.deepEqual(indicatorIds('那地方政府专项债呢？'), ['special_bonds']);
    assert.deepEqual(indicatorIds('那今年财政收入目标呢？'), ['budget_revenue']);
    assert.deepEqual(indicatorIds('And how much foreign capital did it actually use?'), ['foreign_investment']);
  });

  test('a question about no indicator finds none', () => {
    assert.deepEqual(indicatorIds('老旧小区改造要完成多少个？'), []);
  });
});

describe('the year a question is about', () => {
  test('今年 and 目标 ask about the 2024 plan', () => {
    assert.equal(detectYearIntent('湖南今年进出口目标是多少？'), 'plan');
    assert.equal(detectYearIntent('江苏GDP增长目标是多少？'), 'plan');
    assert.equal(detectYearIntent('What is the target for this year?'), 'plan');
  });

  test('2023年 and 去年 ask about the 2023 review', () => {
    assert.equal(detectYearIntent('西藏2023年地区生产总值增长了多少？'), 'review');
    assert.equal(detectYearIntent('江苏去年居民消费价格涨了多少？'), 'review');
    assert.equal(detectYearIntent("What was Suzhou's total import and export value in 2023?"), 'review');
  });

  test('a question naming both years is about this year', () => {
    assert.equal(detectYearIntent('去年增长了多少，今年目标是多少？'), 'plan');
  });

  test('a question with no time words is about either year', () => {
    assert.equal(detectYearIntent('苏州地区生产总值是多少？'), 'any');
  });
});

describe('analyzing a whole question', () => {
  test('collects regions, indicators, year and the unit asked for', () => {
    const analysis = analyzeQuery('江苏今年城镇新增就业目标是多少万人？');
    assert.deepEqual(analysis.regions.map((entry) => entry.name), ['江苏省']);
    assert.deepEqual(analysis.indicators.map((indicator) => indicator.id), ['urban_jobs']);
    assert.equal(analysis.yearIntent, 'plan');
    assert.equal(analysis.askedUnit, '万人');
    assert.equal(analysis.english, false);
    assert.ok(analysis.expansions.includes('城镇新增就业'));
  });

  test('reads the years written in the question', () => {
    assert.deepEqual(analyzeQuery('西藏2023年地区生产总值增长了多少？').years, [2023]);
  });

  test('an English question is searched with the report’s Chinese terms', () => {
    const analysis = analyzeQuery('How much foreign capital did Suzhou actually use in 2023?');
    assert.equal(analysis.english, true);
    assert.deepEqual(analysis.regions.map((entry) => entry.name), ['苏州市']);
    assert.ok(analysis.expansions.includes('实际使用外资'), analysis.expansions.join(' '));
    const unemployment = analyzeQuery('What is the unemployment target?');
    assert.ok(unemployment.expansions.includes('城镇调查失业率'), unemployment.expansions.join(' '));
  });

  test('a request for key tasks is a summary; a question about one figure is not', () => {
    assert.equal(analyzeQuery('江苏今年重点工作有哪些？').intent, 'summary');
    assert.equal(analyzeQuery("What are Jiangsu's key tasks this year?").intent, 'summary');
    assert.equal(analyzeQuery('江苏今年重点工作中粮食产量目标是多少？').intent, 'specific');
  });

  test('a region chosen in the interface overrides the question', () => {
    assert.deepEqual(analyzeQuery('今年GDP增长目标是多少？', { region: '四川' }).regions.map((entry) => entry.name), ['四川省']);
  });

  test('tells English from Chinese questions', () => {
    assert.equal(isEnglish('And how much foreign capital did it actually use?'), true);
    assert.equal(isEnglish('江苏今年GDP增长目标是多少？'), false);
  });
});

describe('follow-ups understood with their conversation', () => {
  const turns = (...pairs: [question: string, answer: string][]): Turn[] =>
    pairs.flatMap(([question, answer]) => [
      { role: 'user' as const, content: question },
      { role: 'assistant' as const, content: answer },
    ]);
  const understand = (question: string, history: Turn[] = []) => understandQuestion({ question, history, years: [2024] });
  const subjectsOf = (question: string, history: Turn[] = []): string[] => understand(question, history).subjects.map((entry) => entry.name);

  test('d042: `新增就业呢？` after a question on Hunan’s trade asks about Hunan this year', () => {
    const intent = understand('新增就业呢？', turns(['湖南今年进出口目标是多少？', '湖南提出进出口总额增长6%。']));
    assert.deepEqual(intent.subjects.map((entry) => entry.name), ['湖南省']);
    assert.deepEqual(intent.indicators.map((indicator) => indicator.id), ['urban_jobs']);
    assert.equal(intent.yearScope, 'plan');
  });

  test('d009: `那今年财政收入目标呢？` after a Jiangsu CPI question asks about Jiangsu', () => {
    const intent = understand('那今年财政收入目标呢？', turns(['江苏今年居民消费价格涨幅目标是多少？', '江苏提出居民消费价格涨幅3%左右。']));
    assert.deepEqual(intent.subjects.map((entry) => entry.name), ['江苏省']);
    assert.deepEqual(intent.indicators.map((indicator) => indicator.id), ['budget_revenue']);
  });

  test('`那广东呢？` after a Jiangsu GDP question asks the GDP question about Guangdong', () => {
    const history = turns(['江苏今年GDP增长目标是多少？', '江苏提出地区生产总值增长5%以上。']);
    const intent = understand('那广东呢？', history);
    assert.deepEqual(intent.subjects.map((entry) => entry.name), ['广东省'], `${intent.question} is about Guangdong only`);
    assert.deepEqual(intent.indicators.map((indicator) => indicator.id), ['gdp_growth']);
    assert.equal(intent.yearScope, 'plan');
    assert.deepEqual(subjectsOf('What about Guangdong?', history), ['广东省']);
  });

  test('an elliptical follow-up keeps the year of the question before it', () => {
    const intent = understand('浙江呢？', turns(['江苏2023年粮食产量多少？', '粮食总产量759.5亿斤。']));
    assert.deepEqual(intent.subjects.map((entry) => entry.name), ['浙江省']);
    assert.equal(intent.yearScope, 'review');
    assert.deepEqual(intent.indicators.map((indicator) => indicator.id), ['grain']);
  });

  test('d020: `And how much foreign capital did it actually use?` after a Suzhou 2023 question asks about Suzhou in 2023', () => {
    const intent = understand('And how much foreign capital did it actually use?', turns(["What was Suzhou's total import and export value in 2023?", "Suzhou's total imports and exports reached 2.45 trillion yuan in 2023."]));
    assert.deepEqual(intent.subjects.map((entry) => entry.name), ['苏州市']);
    assert.equal(intent.yearScope, 'review');
    assert.deepEqual(intent.indicators.map((indicator) => indicator.id), ['foreign_investment']);
  });

  test('an English follow-up without time words takes the year from the question before', () => {
    const intent = understand('And the general public budget revenue?', turns(["What was Suzhou's total import and export value in 2023?", 'It reached 2.45 trillion yuan.']));
    assert.deepEqual(intent.subjects.map((entry) => entry.name), ['苏州市']);
    assert.equal(intent.yearScope, 'review');
  });

  test('the region of an earlier turn carries over when the last question named none', () => {
    const history: Turn[] = [
      ...turns(['南通今年城市更新有什么安排？', '南通将出台城市更新管理办法、技术导则。']),
      ...turns(['老旧小区改造要完成多少个？', '完成老旧小区改造47个。']),
    ];
    assert.deepEqual(subjectsOf('加装电梯呢？', history), ['南通市']);
  });

  test('a question that names its own region and topic is left as it is', () => {
    const intent = understand('浙江今年GDP增长目标是多少？', turns(['江苏今年GDP增长目标是多少？', '地区生产总值增长5%以上。']));
    assert.equal(intent.question, '浙江今年GDP增长目标是多少？');
    assert.deepEqual(intent.carried, { region: false, topic: false });
  });

  test('without history nothing is carried', () => {
    const intent = understand('新增就业呢？');
    assert.equal(intent.question, '新增就业呢？');
    assert.deepEqual(intent.subjects, []);
  });
});
