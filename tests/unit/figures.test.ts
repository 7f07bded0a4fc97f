// Reading figures from report text: numbers keep their scale, unit and qualifier as written (5%左右, 12.82万亿元,
// 3%以内), and a figure "more than" a number (6600多万, 2000余家) is one figure, not a bare number.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { answersDimension, readFigures } from '../../src/answer/figures.ts';

const read = (text: string): [string, string, number][] => readFigures(text).map((figure) => [figure.text, figure.dimension, figure.value]);

describe('figures as the reports write them', () => {
  test('scale, unit and qualifier stay with the number', () => {
    assert.deepEqual(read('地区生产总值达12.82万亿元、增长5.8%'), [
      ['12.82万亿元', 'currency', 12.82e12],
      ['5.8%', 'rate', 5.8],
    ]);
    assert.deepEqual(read('国内生产总值增长5%左右'), [['5%左右', 'rate', 5]]);
    assert.deepEqual(read('中欧班列（武汉）开行突破1000列'), [['1000列', 'count', 1000]]);
  });

  test('多 and 余 between a number and its scale or unit are part of the figure (6600多万纳税人, 2000余家)', () => {
    assert.deepEqual(read('提高“一老一小”个人所得税专项附加扣除标准，6600多万纳税人受益'), [['6600多万', 'count', 6.6e7]]);
    assert.deepEqual(read('推动2000余家商贸企业上限升规'), [['2000余家', 'count', 2000]]);
  });

  test('a unit answers its own dimension, and the others units.json says it answers (人次 for 多少人)', () => {
    assert.equal(answersDimension('人次', 'visits'), true);
    assert.equal(answersDimension('人次', 'people'), true);
    assert.equal(answersDimension('人', 'visits'), false, 'a count of people is no count of visits');
    assert.equal(answersDimension('吨', 'currency'), false);
  });

  test('years and ranks are not amounts', () => {
    assert.deepEqual(read('2023年'), []);
    assert.equal(readFigures('居全国第1位')[0]?.dimension, 'rank');
  });
});
