// When the reports cannot answer: questions about regions outside the corpus, indicators or years a
// region's report never mentions, and amounts a report gives only as a rate — held against the real
// report texts in data/. Questions the reports do answer must not be refused.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { splitSentences } from '../../src/chunking/split-sentences.ts';
import type { Corpus } from '../../src/corpus/load-corpus.ts';
import { findRefusal, type Refusal } from '../../src/answer/grounding.ts';
import { analyzeQuery } from '../../src/retrieval/analyze-query.ts';
import { loadRealCorpus } from './real-corpus.ts';

let corpus: Corpus;

before(async () => {
  corpus = await loadRealCorpus();
});

function reportText(region: string): string {
  return corpus.reports
    .filter((report) => report.region === region)
    .map((report) => report.text)
    .join('\n');
}

/** The refusal for a question, with the region split the pipeline makes and the region's whole report as candidates. */
function refusalFor(question: string): Refusal | undefined {
  const analysis = analyzeQuery(question);
  const inCorpus = new Set(corpus.reports.map((report) => report.region));
  const regions = analysis.regions.filter((entry) => inCorpus.has(entry.name)).map((entry) => entry.name);
  const missingRegions = analysis.regions.filter((entry) => !inCorpus.has(entry.name));
  return findRefusal({
    analysis,
    regions,
    missingRegions,
    reportText,
    candidateSentences: regions.flatMap((region) => splitSentences(reportText(region)).map((span) => span.text)),
  });
}

/** A refusal in a form that compares plainly: indicator ids and region names instead of table entries. */
function describeRefusal(refusal: Refusal | undefined): Record<string, unknown> | undefined {
  if (!refusal) return undefined;
  switch (refusal.reason) {
    case 'region_not_in_corpus':
      return { reason: refusal.reason, regions: refusal.regions.map((entry) => entry.name) };
    case 'indicator_absent':
      return { reason: refusal.reason, region: refusal.region, indicators: refusal.indicators.map((indicator) => indicator.id) };
    case 'year_absent':
      return { reason: refusal.reason, region: refusal.region, year: refusal.year };
    case 'amount_absent':
      return { reason: refusal.reason, region: refusal.region, unit: refusal.unit, indicator: refusal.indicator?.id };
    case 'nothing_relevant':
      return { reason: refusal.reason };
  }
}

describe('regions outside the corpus', () => {
  for (const [question, region] of [
    ['深圳2024年GDP增长目标是多少？', '深圳市'],
    ['香港特别行政区今年的经济增长目标是多少？', '香港特别行政区'],
    ['无锡市2024年GDP目标是多少？', '无锡市'],
  ] as const) {
    test(`${question} is refused: no report for ${region}`, () => {
      assert.deepEqual(describeRefusal(refusalFor(question)), { reason: 'region_not_in_corpus', regions: [region] });
    });
  }

  test('a city whose report is in the corpus (镇江) is not refused for its region', () => {
    assert.equal(refusalFor('镇江2024年地区生产总值增长目标是多少？'), undefined);
  });
});

describe('indicators a region’s report never mentions', () => {
  test('镇江 CPI: the Zhenjiang report has no 居民消费价格', () => {
    assert.equal(reportText('镇江市').includes('居民消费价格'), false);
    assert.deepEqual(describeRefusal(refusalFor('镇江2024年CPI涨幅目标是多少？')), { reason: 'indicator_absent', region: '镇江市', indicators: ['cpi'] });
  });

  test('西藏 城镇新增就业: Xizang reports 转移就业 and 就业率, never 新增就业', () => {
    assert.deepEqual(describeRefusal(refusalFor('西藏2024年城镇新增就业目标是多少？')), {
      reason: 'indicator_absent',
      region: '西藏自治区',
      indicators: ['urban_jobs'],
    });
  });

  test('江苏 per-capita GDP in US dollars: the Jiangsu report gives no per-capita GDP', () => {
    assert.deepEqual(describeRefusal(refusalFor('What is Jiangsu per capita GDP in US dollars?')), {
      reason: 'indicator_absent',
      region: '江苏省',
      indicators: ['per_capita_gdp'],
    });
    assert.deepEqual(describeRefusal(refusalFor('江苏人均GDP是多少美元？')), { reason: 'indicator_absent', region: '江苏省', indicators: ['per_capita_gdp'] });
  });
});

describe('years other than 2023 and 2024', () => {
  test('北京 2035年: the Beijing report names no 2035', () => {
    assert.deepEqual(describeRefusal(refusalFor('北京市到2035年的目标是什么？')), { reason: 'year_absent', region: '北京市', year: 2035 });
  });

  test('上海 2035年 is not refused: the Shanghai report mentions its 2035 master plan', () => {
    assert.equal(refusalFor('上海市到2035年的目标是什么？'), undefined);
  });
});

describe('amounts a report gives only as a rate', () => {
  test('全国 人均可支配收入具体是多少元: the national report gives only a growth rate', () => {
    assert.deepEqual(describeRefusal(refusalFor('国家的居民人均可支配收入具体是多少元？')), {
      reason: 'amount_absent',
      region: '全国',
      unit: '元',
      indicator: 'income',
    });
  });

  test('江苏 人均可支配收入是多少元 is answered: Jiangsu gives 6.32万元 and 3.05万元', () => {
    assert.equal(refusalFor('江苏城乡居民人均可支配收入是多少元？'), undefined);
  });
});

describe('answerable questions are not refused', () => {
  for (const question of [
    '江苏2024年GDP增长目标是多少？',
    '西藏就业方面有什么目标？',
    '青海2024年就业目标是多少？',
    '国家今年GDP增长目标定的是多少？',
    '苏州今年有哪些重点工作？',
  ]) {
    test(question, () => {
      assert.equal(refusalFor(question), undefined);
    });
  }
});
