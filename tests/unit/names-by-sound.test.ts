// Names an English question spells in pinyin, found as the reports write them in characters.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NamesBySound } from '../../src/index/names-by-sound.ts';

// Sentences of the reports (浙江, 青海, 湖北, and one of many that write 深化和).
const TEXTS = [
  '高水平建设义乌国际陆港，“义新欧”中欧班列开行2380列、增长4.9%。',
  '编制实施国家公园示范省建设总体规划，建设管理好三江源国家公园，推动设立祁连山国家公园。',
  '鄂州花湖国际机场开通国际货运航线。',
  '全面深化和扩大开放，持续优化营商环境。',
];

describe('names by sound', () => {
  const names = new NamesBySound(() => TEXTS);

  test('a name is the run of characters its syllables read', () => {
    assert.deepEqual(names.find('Yixinou'), ['义新欧']);
    assert.deepEqual(names.find('Sanjiangyuan'), ['三江源']);
    assert.deepEqual(names.find('Qilianshan'), ['祁连山']);
    assert.deepEqual(names.find('Huahu'), ['花湖']);
  });

  test('a run that starts or ends inside a word is no name (化和 of 深化和)', () => {
    assert.deepEqual(names.find('Huahe'), []);
  });

  test('short words and words no cut into syllables reads are no names', () => {
    assert.deepEqual(names.find('Tell'), []);
    assert.deepEqual(names.find('Summarise'), []);
    assert.deepEqual(names.find('Hulunbuir'), []);
  });
});
