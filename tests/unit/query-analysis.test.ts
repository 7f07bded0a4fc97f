// Query analysis and follow-up rewriting: what a question asks about, for which year, and which region a
// follow-up inherits. Follow-up cases are the dev set's (../shared/eval/dev.json).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeQuery, detectYearIntent, findIndicators, isEnglish } from '../../src/retrieval/analyze-query.ts';
import { rewriteFollowUp } from '../../src/retrieval/rewrite-followup.ts';
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

describe('rewriting a follow-up into a standalone question', () => {
  const turns = (...pairs: [question: string, answer: string][]): Turn[] =>
    pairs.flatMap(([question, answer]) => [
      { role: 'user' as const, content: question },
      { role: 'assistant' as const, content: answer },
    ]);

  test('d042: `新增就业呢？` after a question on Hunan’s trade asks about Hunan this year', () => {
    const history = turns(['湖南今年进出口目标是多少？', '湖南提出进出口总额增长6%。']);
    const { query, rewritten } = rewriteFollowUp('新增就业呢？', history);
    assert.equal(rewritten, true);
    assert.ok(query.includes('湖南省'), query);
    assert.ok(query.includes('今年'), query);
    assert.deepEqual(regionNames(query), ['湖南省']);
    assert.deepEqual(indicatorIds(query), ['urban_jobs']);
    assert.equal(detectYearIntent(query), 'plan');
  });

  test('d009: `那今年财政收入目标呢？` after a Jiangsu CPI question asks about Jiangsu', () => {
    const history = turns(['江苏今年居民消费价格涨幅目标是多少？', '江苏提出居民消费价格涨幅3%左右。']);
    const { query } = rewriteFollowUp('那今年财政收入目标呢？', history);
    assert.deepEqual(regionNames(query), ['江苏省']);
    assert.deepEqual(indicatorIds(query), ['budget_revenue']);
  });

  test('`那广东呢？` after a Jiangsu GDP question asks the GDP question about Guangdong', () => {
    const history = turns(['江苏今年GDP增长目标是多少？', '江苏提出地区生产总值增长5%以上。']);
    const { query, rewritten } = rewriteFollowUp('那广东呢？', history);
    assert.equal(rewritten, true);
    assert.deepEqual(regionNames(query), ['广东省'], `${query} is about Guangdong only`);
    assert.deepEqual(indicatorIds(query), ['gdp_growth']);
    assert.equal(detectYearIntent(query), 'plan');
    assert.deepEqual(regionNames(rewriteFollowUp('What about Guangdong?', history).query), ['广东省']);
  });

  test('an elliptical follow-up keeps the year of the question before it', () => {
    const history = turns(['江苏2023年粮食产量多少？', '粮食总产量759.5亿斤。']);
    const { query } = rewriteFollowUp('浙江呢？', history);
    assert.deepEqual(regionNames(query), ['浙江省']);
    assert.ok(query.includes('2023'), query);
    assert.deepEqual(indicatorIds(query), ['grain']);
  });

  test('d020: `And how much foreign capital did it actually use?` after a Suzhou 2023 question asks about Suzhou in 2023', () => {
    const history = turns(["What was Suzhou's total import and export value in 2023?", "Suzhou's total imports and exports reached 2.45 trillion yuan in 2023."]);
    const { query, rewritten } = rewriteFollowUp('And how much foreign capital did it actually use?', history);
    assert.equal(rewritten, true);
    assert.deepEqual(regionNames(query), ['苏州市']);
    assert.equal(detectYearIntent(query), 'review', `${query} is about the 2023 review`);
    assert.deepEqual(indicatorIds(query), ['foreign_investment']);
  });

  test('an English follow-up without time words takes the year from the question before', () => {
    const history = turns(["What was Suzhou's total import and export value in 2023?", 'It reached 2.45 trillion yuan.']);
    const { query } = rewriteFollowUp('And the general public budget revenue?', history);
    assert.deepEqual(regionNames(query), ['苏州市']);
    assert.ok(query.includes('2023'), query);
  });

  test('the region of an earlier turn carries over when the last question named none', () => {
    const history: Turn[] = [
      ...turns(['南通今年城市更新有什么安排？', '南通将出台城市更新管理办法、技术导则。']),
      ...turns(['老旧小区改造要完成多少个？', '完成老旧小区改造47个。']),
    ];
    assert.deepEqual(regionNames(rewriteFollowUp('加装电梯呢？', history).query), ['南通市']);
  });

  test('a question that names its own region and topic is left as it is', () => {
    const history = turns(['江苏今年GDP增长目标是多少？', '地区生产总值增长5%以上。']);
    assert.deepEqual(rewriteFollowUp('浙江今年GDP增长目标是多少？', history), { query: '浙江今年GDP增长目标是多少？', rewritten: false });
  });

  test('without history nothing is rewritten', () => {
    assert.deepEqual(rewriteFollowUp('新增就业呢？', []), { query: '新增就业呢？', rewritten: false });
    assert.deepEqual(rewriteFollowUp('新增就业呢？'), { query: '新增就业呢？', rewritten: false });
  });
});
