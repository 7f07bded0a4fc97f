// Questions across regions about one target, answered from the targets table with a citation per region.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { answerAcross } from '../../src/answer/compare-targets.ts';
import { checkAnswer } from '../../src/answer/check-citations.ts';
import { understand } from '../../src/understand/understand.ts';
import { realContext } from './understand-context.ts';
import type { Passage, RegionTargets } from '../../src/types.ts';

const passage = (id: string, region: string, text: string): Passage => ({ id, reportId: id.split('#')[0]!, region, title: `2024年${region}政府工作报告`, sectionPath: ['二、2024年工作安排'], text, start: 0, end: text.length, ordinal: 0, year: 2024, part: "plan" });

// Real target statements from the reports.
const PASSAGES = [
  passage('jilin-2024#p030', '吉林省', '2024年全省经济社会发展的主要预期目标是：地区生产总值增长6%左右，城镇调查失业率5.5%左右。'),
  passage('anhui-2024#p031', '安徽省', '今年全省经济社会发展的主要预期目标是：地区生产总值增长6%左右，居民消费价格涨幅3%左右。'),
  passage('jiangsu-2024#p027', '江苏省', '今年经济社会发展主要预期目标是：地区生产总值增长5%以上，居民消费价格涨幅3%左右。'),
  passage('nantong-2024#p028', '南通市', '地区生产总值增长6%左右，一般公共预算收入增长4%。'),
  passage('china-2024#p018', '全国', '今年发展主要预期目标是：国内生产总值增长5%左右。'),
];
const byId = new Map(PASSAGES.map((item) => [item.id, item]));
const row = (region: string, passageId: string, value: string): RegionTargets => ({ region, targets: [{ indicator: 'gdp_growth', label: '地区生产总值增长', value, passageId }] });
const TABLE: RegionTargets[] = [
  row('全国', 'china-2024#p018', '5%左右'),
  row('吉林省', 'jilin-2024#p030', '6%左右'),
  row('江苏省', 'jiangsu-2024#p027', '5%以上'),
  row('安徽省', 'anhui-2024#p031', '6%左右'),
  row('南通市', 'nantong-2024#p028', '6%左右'),
];

describe('which regions set a target', () => {
  test('lists the provinces with that value, each cited to its own target passage, and nothing the passages do not hold', async () => {
    const result = answerAcross(understand({ question: '今年哪些省份GDP目标是6%左右？' }, await realContext()), TABLE, (id) => byId.get(id));
    assert.ok(result);
    assert.deepEqual(result.sources.map((source) => source.passage.region), ['吉林省', '安徽省']);
    assert.match(result.answer, /\*\*吉林省\*\*：地区生产总值增长6%左右 \[1\]。/);
    assert.match(result.answer, /\*\*安徽省\*\*：地区生产总值增长6%左右 \[2\]。/);
    assert.doesNotMatch(result.answer, /南通|江苏|全国/);
    const checked = checkAnswer(result.answer, result.sources.map((source) => source.passage), { repair: false, given: ['6'] });
    assert.deepEqual(checked.flagged, []);
    assert.deepEqual(checked.citations, [1, 2]);
  });

  test('"regions" also covers the cities', async () => {
    const result = answerAcross(understand({ question: '哪些地区GDP目标是6%左右？' }, await realContext()), TABLE, (id) => byId.get(id));
    assert.deepEqual(result?.sources.map((source) => source.passage.region), ['吉林省', '安徽省', '南通市']);
  });

  test('a value no region sets gets a plain statement and no sources', async () => {
    const result = answerAcross(understand({ question: '哪些省份GDP目标是9%？' }, await realContext()), TABLE, (id) => byId.get(id));
    assert.deepEqual(result?.sources, []);
    assert.match(result?.answer ?? '', /现有报告中未找到/);
  });

  test('a question naming a region, or not asking which regions, is left to retrieval', async () => {
    assert.equal(answerAcross(understand({ question: '江苏今年GDP目标是多少？' }, await realContext()), TABLE, (id) => byId.get(id)), undefined);
    assert.equal(answerAcross(understand({ question: '今年GDP目标是多少？' }, await realContext()), TABLE, (id) => byId.get(id)), undefined);
  });
});
