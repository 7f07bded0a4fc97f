// Questions across regions answered from the targets table of the real index: rankings, thresholds,
// groups, listings, comparisons, English. Every expected answer is derived from the hand-verified fixture
// (tests/fixtures/targets-verified.json), never from the extractor.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkAnswer } from '../../src/answer/check-citations.ts';
import { answerAcross, type TargetComparison } from '../../src/answer/compare-targets.ts';
import { extractTargets, verifiedTargetsSchema } from '../../src/answer/extract-targets.ts';
import { findNumbers } from '../../src/answer/numbers.ts';
import { openIndex } from '../../src/compose.ts';
import { readConfig } from '../../src/config.ts';
import { getRegion } from '../../src/corpus/regions.ts';
import type { PassageIndex } from '../../src/index/passage-index.ts';
import { HybridRetriever } from '../../src/retrieval/hybrid-search.ts';
import type { RegionTargets } from '../../src/types.ts';

const DATA_DIR = fileURLToPath(new URL('../../data', import.meta.url));
const INDEX_DIR = fileURLToPath(new URL('../../vectorstore', import.meta.url));
const fixture = verifiedTargetsSchema.parse(JSON.parse(readFileSync(new URL('../fixtures/targets-verified.json', import.meta.url), 'utf8')));

const isProvince = (region: string): boolean => getRegion(region)?.level === 'province';
/** The fixture's value of an indicator per region (scope all), as written. */
function fixtureValues(indicator: string, scope = 'all'): Map<string, string> {
  const values = new Map<string, string>();
  for (const entry of fixture.regions) {
    const target = entry.targets.find((candidate) => candidate.indicator === indicator && candidate.scope === scope);
    if (target) values.set(entry.region, target.value);
  }
  return values;
}
/** The leading number of a value written in the fixture; 亿斤 and 万亿斤 in 万吨 (1 斤 = 0.5 kg). */
function numberOf(value: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(万亿斤|亿斤|万吨)?/.exec(value);
  if (!match) return undefined;
  const factor = match[2] === '亿斤' ? 5 : match[2] === '万亿斤' ? 50_000 : 1;
  return Number(match[1]) * factor;
}

interface Line {
  region: string;
  text: string;
  citations: number[];
}
/** The answer's `- **region**：value [n]` lines. */
function linesOf(answer: string): Line[] {
  return [...answer.matchAll(/^- \*\*(.+?)\*\*[：:]\s*(.*)$/gm)].map((match) => ({
    region: match[1]!.replace(/^.*\((.+)\)$/, '$1'),
    text: match[2]!,
    citations: [...match[2]!.matchAll(/\[(\d+)\]/g)].map((marker) => Number(marker[1])),
  }));
}

describe('questions across regions, answered from the targets table', () => {
  let index: PassageIndex;
  let table: RegionTargets[];
  let retriever: HybridRetriever;
  /** The answer across regions from the table, for a question understood as the server understands it. */
  const across = (question: string): TargetComparison | undefined => answerAcross(retriever.understand({ question }), table, (id) => index.passages[index.byId.get(id) ?? -1]);
  const ask = (question: string): TargetComparison => {
    const result = across(question);
    assert.ok(result, `${question} is answered from the table`);
    return result;
  };
  /** Each line quotes the fixture's value and cites a passage of its region that holds the value; no figure goes unsupported. */
  function assertCitedLines(question: string, result: TargetComparison, expected: Map<string, string>): Line[] {
    const lines = linesOf(result.answer);
    for (const line of lines) {
      const value = expected.get(line.region);
      assert.ok(value, `${line.region} is expected in the answer to ${question}`);
      assert.ok(line.text.includes(value), `${line.region}: “${line.text}” quotes ${value}`);
      assert.equal(line.citations.length, 1, `${line.region} cites one passage`);
      const source = result.sources[line.citations[0]! - 1]!;
      assert.equal(source.passage.region, line.region);
      assert.ok(source.passage.text.includes(value.replace(/(左右|以上|以内|以下)$/, '')), `${source.passage.id} holds ${value}`);
      // The clause quoted from the source (Source.quotes) is where the value is written.
      const quoted = (result.quotes.get(line.citations[0]!) ?? []).map((span) => source.passage.text.slice(span.start, span.end));
      assert.ok(quoted.some((clause) => clause.includes(value.replace(/(左右|以上|以内|以下)$/, ''))), `${source.passage.id} quotes the clause of ${value}: ${quoted.join(' / ')}`);
    }
    const checked = checkAnswer(result.answer, result.sources.map((source) => source.passage), { repair: false, given: findNumbers(question) });
    assert.deepEqual(checked.flagged, [], 'every figure is in a passage its line cites');
    return lines;
  }

  before(async () => {
    index = await openIndex(readConfig({ DATA_DIR, INDEX_DIR }));
    table = extractTargets(index);
    retriever = new HybridRetriever(index);
  });

  test('哪个省今年GDP增长目标最高？ names every province tied at the highest number, and says how qualifiers count', () => {
    const gdp = new Map([...fixtureValues('gdp_growth')].filter(([region]) => isProvince(region)));
    const top = Math.max(...[...gdp.values()].map((value) => numberOf(value)!));
    const expected = new Map([...gdp].filter(([, value]) => numberOf(value) === top));
    assert.ok(expected.size >= 1);
    const result = ask('哪个省今年GDP增长目标最高？');
    assert.equal(result.ask.kind, 'rank');
    const lines = assertCitedLines('哪个省今年GDP增长目标最高？', result, expected);
    assert.deepEqual(lines.map((line) => line.region).sort(), [...expected.keys()].sort());
    assert.match(result.answer, /限定词不改变名次/);
  });

  test('GDP增长目标在6%及以上的有哪些省份？ lists exactly the provinces at 6 or more, highest first', () => {
    const expected = new Map([...fixtureValues('gdp_growth')].filter(([region, value]) => isProvince(region) && numberOf(value)! >= 6));
    const result = ask('GDP增长目标在6%及以上的有哪些省份？');
    assert.deepEqual(result.ask, { kind: 'threshold', operator: '>=', number: 6 });
    const lines = assertCitedLines('GDP增长目标在6%及以上的有哪些省份？', result, expected);
    assert.deepEqual(lines.map((line) => line.region).sort(), [...expected.keys()].sort());
    const numbers = lines.map((line) => numberOf(expected.get(line.region)!)!);
    assert.deepEqual(numbers, [...numbers].sort((left, right) => right - left));
  });

  test('a threshold with its unit (在50万人以上) or in millions (more than 1 million) is a threshold, not a listing', () => {
    assert.deepEqual(ask('哪些省份今年城镇新增就业目标在50万人以上？').ask, { kind: 'threshold', operator: '>=', number: 50 });
    assert.deepEqual(ask('Which provinces aim to create more than 1 million new urban jobs this year?').ask, { kind: 'threshold', operator: '>', number: 100 });
  });

  test('Which provinces target GDP growth above 5.5%? — strictly above, in English, provinces only', () => {
    const expected = new Map([...fixtureValues('gdp_growth')].filter(([region, value]) => isProvince(region) && numberOf(value)! > 5.5));
    const result = ask('Which provinces target GDP growth above 5.5%?');
    const lines = assertCitedLines('Which provinces target GDP growth above 5.5%?', result, expected);
    assert.deepEqual(lines.map((line) => line.region).sort(), [...expected.keys()].sort());
    assert.match(result.answer, /^Regions whose 2024 GDP growth target is above 5\.5%/);
    assert.doesNotMatch(result.answer.replace(/\([^)]*\)/g, ''), /[\u4e00-\u9fff]{6,}/, 'no Chinese sentences in the English answer beyond names and values');
  });

  test('东北三省今年外贸目标分别是多少？ gives the three provinces in the group, each with its value as written', () => {
    const trade = fixtureValues('trade');
    const members = ['辽宁省', '吉林省', '黑龙江省'];
    const result = ask('东北三省今年外贸目标分别是多少？');
    assert.equal(result.ask.kind, 'list');
    const lines = assertCitedLines('东北三省今年外贸目标分别是多少？', result, trade);
    assert.deepEqual(lines.map((line) => line.region), members.filter((region) => trade.has(region)));
    for (const region of members.filter((name) => !trade.has(name))) assert.match(result.answer, new RegExp(`未设.*${region}`));
  });

  test('各省CPI目标一览 lists every province the fixture gives a CPI target and names those that set none', () => {
    const cpi = new Map([...fixtureValues('cpi')].filter(([region]) => isProvince(region)));
    const none = fixture.regions.filter((entry) => isProvince(entry.region) && entry.absent?.includes('cpi')).map((entry) => entry.region);
    const result = ask('各省CPI目标一览');
    const lines = assertCitedLines('各省CPI目标一览', result, cpi);
    assert.deepEqual(lines.map((line) => line.region).sort(), [...cpi.keys()].sort());
    assert.ok(none.length > 0, 'the fixture has a province without a CPI target');
    const absentLine = result.answer.split('\n').find((line) => line.startsWith('主要预期目标中未设'));
    for (const region of none) assert.ok(absentLine?.includes(region), `${region} is named as setting no CPI target`);
  });

  test('urban unemployment: the lowest targets tie, all named', () => {
    const rates = new Map([...fixtureValues('unemployment')].filter(([region]) => isProvince(region)));
    const low = Math.min(...[...rates.values()].map((value) => numberOf(value)!));
    const expected = new Map([...rates].filter(([, value]) => numberOf(value) === low));
    const result = ask('城镇调查失业率目标最低的省份是哪些？');
    const lines = assertCitedLines('城镇调查失业率目标最低的省份是哪些？', result, expected);
    assert.deepEqual(lines.map((line) => line.region).sort(), [...expected.keys()].sort());
  });

  test('grain: the top three compare 亿斤 with 万吨 after conversion; worded targets are shown apart, not ranked', () => {
    const grain = new Map([...fixtureValues('grain')].filter(([region]) => isProvince(region)));
    const ranked = [...grain].filter(([, value]) => numberOf(value) !== undefined).sort((left, right) => numberOf(right[1])! - numberOf(left[1])!);
    const result = ask('粮食产量目标最高的三个省');
    const lines = linesOf(result.answer);
    assert.deepEqual(lines.slice(0, 3).map((line) => line.region), ranked.slice(0, 3).map(([region]) => region));
    const worded = [...grain].filter(([, value]) => numberOf(value) === undefined).map(([region]) => region);
    assert.deepEqual(lines.slice(3).map((line) => line.region).sort(), worded.sort());
    assertCitedLines('粮食产量目标最高的三个省', result, grain);
    assert.match(result.answer, /折算为万吨/);
  });

  test('a comparison of two regions gives a verdict by the number', () => {
    const gdp = fixtureValues('gdp_growth');
    const [higher, lower] = numberOf(gdp.get('浙江省')!)! > numberOf(gdp.get('江苏省')!)! ? ['浙江省', '江苏省'] : ['江苏省', '浙江省'];
    const result = ask('江苏和浙江今年GDP目标谁高？');
    assert.equal(result.ask.kind, 'compare');
    assertCitedLines('江苏和浙江今年GDP目标谁高？', result, gdp);
    assert.match(result.answer, new RegExp(`结论：按数字比较，${higher}（${gdp.get(higher)}） \\[\\d\\]的地区生产总值增长目标高于${lower}（${gdp.get(lower)}）`));
    const english = ask('Compare the 2024 GDP growth targets of Jiangsu and Zhejiang');
    assert.match(english.answer, /Verdict: Zhejiang \(浙江省\)（5\.5%左右）/);
  });

  test('rural income asked for the provinces uses the rural rows of the split clauses', () => {
    const rural = new Map([...fixtureValues('income', 'rural')].filter(([region]) => isProvince(region)));
    const expected = new Map([...rural].filter(([, value]) => numberOf(value)! >= 7));
    const result = ask('哪些省份农村居民收入增长目标在7%及以上？');
    const [ranked = '', worded = ''] = result.answer.split('未设单一数值目标');
    assert.deepEqual(linesOf(ranked).map((line) => line.region).sort(), [...expected.keys()].sort());
    // Rural targets in words (山西 高于经济增长水平) are shown apart with their words.
    const inWords = [...rural].filter(([, value]) => numberOf(value) === undefined);
    assert.ok(inWords.length > 0);
    for (const [region, value] of inWords) assert.ok(linesOf(worded).some((line) => line.region === region && line.text.includes(value)), region);
    assertCitedLines('哪些省份农村居民收入增长目标在7%及以上？', result, rural);
  });

  test('the same answers through question understanding (QuestionIntent): a group, English, a comparison', () => {
    for (const question of ['东北三省今年外贸目标分别是多少？', 'Which provinces target GDP growth above 5.5%?', '江苏和浙江今年GDP目标谁高？', '長三角各地今年GDP增長目標']) {
      const viaIntent = across(question);
      assert.ok(viaIntent, question);
      if (!question.startsWith('長')) assert.equal(viaIntent.answer, ask(question).answer, question);
    }
    const traditional = across('長三角各地今年GDP增長目標');
    const gdp = fixtureValues('gdp_growth');
    assert.deepEqual(linesOf(traditional!.answer).map((line) => line.region), ['上海市', '江苏省', '浙江省', '安徽省']);
    assertCitedLines('長三角各地今年GDP增長目標', traditional!, gdp);
  });

  test('高于全国 / above the national target: the national value is cited and the provinces above it are listed', () => {
    const gdp = fixtureValues('gdp_growth');
    const national = numberOf(gdp.get('全国')!)!;
    const expected = new Map([...gdp].filter(([region, value]) => isProvince(region) && numberOf(value)! > national));
    for (const question of ['哪些省份GDP增长目标高于全国？', 'Which provinces set GDP growth targets above the national target?']) {
      const result = ask(question);
      assert.deepEqual(result.ask, { kind: 'threshold', operator: '>', number: national, versusNational: true });
      assert.ok(result.answer.split('\n')[0]!.includes(`${gdp.get('全国')} [1]`), 'the lead quotes and cites the national target');
      assert.equal(result.sources[0]?.passage.region, '全国');
      const lines = assertCitedLines(question, result, expected);
      assert.deepEqual(lines.map((line) => line.region).sort(), [...expected.keys()].sort());
    }
  });

  test('top five: ties at the cut are kept', () => {
    const gdp = [...fixtureValues('gdp_growth')].filter(([region]) => isProvince(region)).sort((left, right) => numberOf(right[1])! - numberOf(left[1])!);
    const cut = numberOf(gdp[4]![1])!;
    const expected = gdp.filter(([, value]) => numberOf(value)! >= cut).map(([region]) => region);
    const result = ask('GDP增长目标前五的省份');
    assert.deepEqual(result.ask, { kind: 'rank', order: 'desc', count: 5 });
    assert.deepEqual(linesOf(result.answer).map((line) => line.region).sort(), expected.sort());
  });

  test('questions that are not about targets across regions are left to retrieval', () => {
    for (const question of ['哪个省去年GDP增速最高？', '江苏今年GDP目标是多少？', '今年哪些省份重视粮食生产', '哪个省今年GDP总量目标最高', '各省的重点工作有哪些？']) {
      assert.equal(across(question), undefined, question);
    }
  });

  test('outcomes of last year and one region\'s target are left to retrieval', () => {
    for (const question of ['哪个省去年GDP增速最高？', '江苏今年GDP目标是多少？']) {
      assert.equal(across(question), undefined, question);
    }
  });
});
