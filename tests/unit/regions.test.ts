// Which regions a question names: short forms, English names, several regions, and regions not in the corpus.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { detectRegions, resolveRegion } from '../../src/corpus/regions.ts';
import { understand, type UnderstandContext } from '../../src/understand/understand.ts';
import { realContext } from './understand-context.ts';

let context: UnderstandContext;
before(async () => {
  context = await realContext();
});

/** The regions a question is understood to ask about. */
const regionsOf = (question: string): { name: string }[] => understand({ question }, context).subjects;

const namesIn = (question: string): string[] => detectRegions(question).map((mention) => mention.entry.name);

describe('short forms and full names', () => {
  test('resolve to the canonical name of the report', () => {
    const cases: [string, string][] = [
      ['江苏', '江苏省'],
      ['广西', '广西壮族自治区'],
      ['广西自治区', '广西壮族自治区'],
      ['内蒙古', '内蒙古自治区'],
      ['内蒙', '内蒙古自治区'],
      ['新疆', '新疆维吾尔自治区'],
      ['宁夏', '宁夏回族自治区'],
      ['西藏', '西藏自治区'],
      ['重庆', '重庆市'],
      ['苏州', '苏州市'],
      [' 江苏省 ', '江苏省'],
    ];
    for (const [input, name] of cases) assert.equal(resolveRegion(input)?.name, name, input);
  });

  test('are found inside real questions', () => {
    assert.deepEqual(namesIn('广西今年粮食产量目标是多少？'), ['广西壮族自治区']);
    assert.deepEqual(namesIn('内蒙古今年地区生产总值增长目标是多少？'), ['内蒙古自治区']);
    assert.deepEqual(namesIn('新疆和宁夏的城镇新增就业目标分别是多少？'), ['新疆维吾尔自治区', '宁夏回族自治区']);
    assert.deepEqual(namesIn('西藏2023年地区生产总值增长了多少？'), ['西藏自治区']);
  });

  test('an English name ending in s with its possessive apostrophe (Mars’, Atlantis’) is a place the corpus lacks, not a topic word', () => {
    assert.deepEqual(understand({ question: "What is Mars' GDP target?" }, context).unknownPlaces, ['Mars']);
    assert.deepEqual(understand({ question: 'What is Atlantis’ GDP target?' }, context).unknownPlaces, ['Atlantis']);
  });

  test('a city named with its port or airport is that city, however jieba cuts the words (唐/山港)', () => {
    const intent = understand({ question: '唐山港的货物吞吐量在世界上排第几？' }, context);
    assert.deepEqual(intent.within.map((entry) => [entry.place, entry.region.name]), [['唐山市', '河北省']]);
    assert.deepEqual(understand({ question: '宁波舟山港去年货物吞吐量多少？' }, context).within.map((entry) => entry.region.name), ['浙江省']);
  });

  test('a full name counts once, not also as its short form', () => {
    assert.deepEqual(namesIn('内蒙古自治区今年的目标'), ['内蒙古自治区']);
    assert.deepEqual(namesIn('南通市的研发投入'), ['南通市']);
    assert.equal(detectRegions('内蒙古自治区今年的目标').length, 1);
  });

  test('nothing is resolved from an empty or unknown name', () => {
    assert.equal(resolveRegion(''), undefined);
    assert.equal(resolveRegion('   '), undefined);
    assert.equal(resolveRegion('火星'), undefined);
  });
});

describe('English names', () => {
  test('resolve case-insensitively', () => {
    assert.equal(resolveRegion('Jiangsu')?.name, '江苏省');
    assert.equal(resolveRegion('jiangsu')?.name, '江苏省');
    assert.equal(resolveRegion('Guangxi')?.name, '广西壮族自治区');
    assert.equal(resolveRegion('Inner Mongolia')?.name, '内蒙古自治区');
    assert.equal(resolveRegion('TIBET')?.name, '西藏自治区');
  });

  test('Tibet and Xizang are the same region', () => {
    assert.deepEqual(namesIn('What is the GDP growth target of Tibet?'), ['西藏自治区']);
    assert.deepEqual(namesIn('What is the GDP growth target of Xizang?'), ['西藏自治区']);
  });

  test('Shanxi and Shaanxi are two different provinces', () => {
    assert.deepEqual(namesIn('Compare the grain targets of Shanxi and Shaanxi'), ['山西省', '陕西省']);
    assert.deepEqual(namesIn('What does Shaanxi plan for 2024?'), ['陕西省']);
    assert.deepEqual(namesIn('What does Shanxi plan for 2024?'), ['山西省']);
  });

  test('are matched as whole words in questions', () => {
    assert.deepEqual(namesIn('What is the GDP growth target of Jiangsu?'), ['江苏省']);
    assert.deepEqual(namesIn('How much grain does Inner Mongolia plan to produce?'), ['内蒙古自治区']);
    assert.deepEqual(namesIn("What is Guangxi's target for foreign trade?"), ['广西壮族自治区']);
    assert.deepEqual(namesIn('What is the international trade target of Jiangsu?'), ['江苏省'], '`national` inside `international` is not the nation');
  });
});

describe('several regions in one question', () => {
  test('are all found, in the order the question names them', () => {
    assert.deepEqual(namesIn('辽宁和吉林今年GDP增长目标各是多少？'), ['辽宁省', '吉林省']);
    assert.deepEqual(namesIn('吉林和辽宁今年GDP增长目标各是多少？'), ['吉林省', '辽宁省']);
    assert.deepEqual(namesIn('Guangdong and Guangxi: which has the higher growth target?'), ['广东省', '广西壮族自治区']);
  });

  test('a region named twice is listed once, at its first mention', () => {
    assert.deepEqual(namesIn('江苏和浙江，江苏的目标更高吗？'), ['江苏省', '浙江省']);
    assert.equal(detectRegions('江苏和浙江，江苏的目标更高吗？')[0]?.index, 0);
  });
});

describe('regions whose reports are not in the corpus', () => {
  test('are recognised and marked as missing', () => {
    const cases: [string, string][] = [
      ['香港今年的经济增长目标是多少？', '香港特别行政区'],
      ['澳门特别行政区的施政报告', '澳门特别行政区'],
      ['台湾', '台湾省'],
      ['深圳今年GDP目标', '深圳市'],
      ['无锡市今年的目标', '无锡市'],
    ];
    for (const [question, name] of cases) {
      const mentions = detectRegions(question);
      assert.equal(mentions.length, 1, question);
      assert.equal(mentions[0]?.entry.name, name);
      assert.equal(mentions[0]?.entry.inCorpus, false, `${name} is not in the corpus`);
    }
  });

  test('regions with a report are marked as in the corpus', () => {
    for (const name of ['全国', '江苏省', '新疆维吾尔自治区', '苏州市', '南通市', '镇江市']) {
      assert.equal(resolveRegion(name)?.inCorpus, true, name);
    }
  });
});

describe('the national level', () => {
  test('is named by 全国, 国家 and national', () => {
    assert.deepEqual(regionsOf('全国今年GDP增长目标是多少？').map((entry) => entry.name), ['全国']);
    assert.deepEqual(regionsOf('国家今年安排多少超长期特别国债？').map((entry) => entry.name), ['全国']);
    assert.deepEqual(regionsOf('What is the national GDP growth target?').map((entry) => entry.name), ['全国']);
  });

  test('is kept beside a province only when the question names it explicitly', () => {
    assert.deepEqual(regionsOf('江苏和全国的GDP增长目标').map((entry) => entry.name), ['江苏省', '全国']);
    assert.deepEqual(regionsOf('江苏落实国家战略有哪些举措？').map((entry) => entry.name), ['江苏省'], '国家战略 is not a question about the national report');
  });
});

describe('cities and provinces', () => {
  test('苏州 is Suzhou, not Jiangsu', () => {
    assert.deepEqual(namesIn('苏州今年GDP增长目标是多少？'), ['苏州市']);
    assert.deepEqual(namesIn('How much foreign capital did Suzhou actually use in 2023?'), ['苏州市']);
    assert.equal(resolveRegion('苏州')?.parent, '江苏省');
  });

  test('a question naming both a province and its city gets both', () => {
    assert.deepEqual(namesIn('江苏省和苏州市的增长目标'), ['江苏省', '苏州市']);
  });
});

describe('a question naming no region', () => {
  test('gets none', () => {
    assert.deepEqual(detectRegions('今年的经济增长目标是多少？'), []);
    assert.deepEqual(regionsOf('城镇调查失业率控制在多少？'), []);
    assert.deepEqual(regionsOf('What is the unemployment target?'), []);
  });
});
