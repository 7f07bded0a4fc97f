// Citation checking: what survives of an answer's [n] markers and figures once they are held against
// the numbered sources. Fixtures are sentences from the 2024 Jiangsu and national reports.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkAnswer, checkSentence, citationsIn, splitAnswerSentences } from '../../src/answer/check-citations.ts';
import { containsNumber } from '../../src/answer/numbers.ts';

/** Jiangsu, review of 2023. */
const JIANGSU_REVIEW = '经济发展取得新成绩。地区生产总值达12.82万亿元、增长5.8%。地区生产总值万亿之城增至5座。一般公共预算收入9930亿元、增长7.3%。';
/** Jiangsu, targets for 2024. */
const JIANGSU_TARGETS =
  '今年经济社会发展主要预期目标是：地区生产总值增长5%以上，一般公共预算收入增长4%左右，居民人均可支配收入与经济增长同步，城镇新增就业120万人以上，城镇调查失业率5%左右。';
/** The national report, targets for 2024. */
const NATIONAL_TARGETS = '今年发展主要预期目标是：国内生产总值增长5%左右；城镇新增就业1200万人以上，城镇调查失业率5.5%左右；居民消费价格涨幅3%左右。';

// Sources as the pipeline gives them: their text and the report each is of (its year and the one it reviews are context).
const sources = [
  { text: JIANGSU_TARGETS, title: '2024年江苏省政府工作报告' },
  { text: JIANGSU_REVIEW, title: '2024年江苏省政府工作报告' },
  { text: NATIONAL_TARGETS, title: '2024年国务院政府工作报告' },
];

describe('invalid markers', () => {
  test('a marker naming a source that does not exist is removed, the valid ones stay', () => {
    const answer = '2024年江苏地区生产总值预期增长5%以上 [1][7]。2023年地区生产总值达12.82万亿元 [2]。全国城镇新增就业目标是1200万人以上 [3][0]。';
    const checked = checkAnswer(answer, sources, { repair: false });
    assert.equal(checked.answer, '2024年江苏地区生产总值预期增长5%以上 [1]。2023年地区生产总值达12.82万亿元 [2]。全国城镇新增就业目标是1200万人以上 [3]。');
    assert.deepEqual(checked.citations, [1, 2, 3]);
    assert.deepEqual(checked.flagged, []);
  });

  test('the citations list exactly the markers left in the answer, in order of first use', () => {
    const checked = checkAnswer('城镇调查失业率5%左右 [1][9]。国内生产总值增长5%左右 [3]。一般公共预算收入增长4%左右 [1]。', sources, { repair: true });
    assert.deepEqual(checked.citations, [1, 3]);
    assert.deepEqual(checked.citations, citationsIn(checked.answer));
    assert.doesNotMatch(checked.answer, /\[9\]/);
  });

  test('citationsIn counts each marker once, in order of first use', () => {
    assert.deepEqual(citationsIn('国内生产总值增长5%左右 [3]。地区生产总值增长5%以上 [1][3]。'), [3, 1]);
    assert.deepEqual(citationsIn('现有报告中未找到相关内容。'), []);
  });
});

describe('figures the cited passage does not hold', () => {
  const misCited = '江苏地区生产总值达12.82万亿元 [1]。';

  test('without repair, the sentence is kept and flagged with the unsupported figure', () => {
    const checked = checkAnswer(misCited, sources, { repair: false });
    assert.equal(checked.answer, '江苏地区生产总值达12.82万亿元 [1]。');
    assert.deepEqual(checked.flagged, [{ sentence: '江苏地区生产总值达12.82万亿元 [1]。', numbers: ['12.82'] }]);
  });

  test('with repair, the sentence is re-cited to the source that holds the figure', () => {
    const checked = checkAnswer(misCited, sources, { repair: true });
    assert.equal(checked.answer, '江苏地区生产总值达12.82万亿元 [2]。');
    assert.deepEqual(checked.citations, [2]);
  });

  test('with repair, a sentence whose figure is in no source is dropped and reported', () => {
    const answer = '江苏地区生产总值达13.5万亿元 [2]。一般公共预算收入增长4%左右 [1]。';
    const checked = checkAnswer(answer, sources, { repair: true });
    assert.equal(checked.answer, '一般公共预算收入增长4%左右 [1]。');
    assert.deepEqual(checked.citations, [1]);
    assert.deepEqual(checked.flagged, [{ sentence: '江苏地区生产总值达13.5万亿元 [2]。', numbers: ['13.5'] }]);
  });

  test('a sentence that cites nothing but states a figure is re-cited with repair', () => {
    const checked = checkAnswer('全国城镇调查失业率目标为5.5%左右。', sources, { repair: true });
    assert.equal(checked.answer, '全国城镇调查失业率目标为5.5%左右 [3]。');
  });

  test('the years of the sources’ reports (and those they review) are context, other years are claims', () => {
    const titled = sources;
    assert.deepEqual(checkSentence('2023年江苏地区生产总值达12.82万亿元 [2]。', titled).unsupported, []);
    assert.deepEqual(checkSentence('2024年江苏一般公共预算收入增长4%左右 [1]。', titled).unsupported, []);
    assert.deepEqual(checkSentence('到2035年江苏地区生产总值达12.82万亿元 [2]。', titled).unsupported, ['2035']);
  });

  test('a figure is supported by any one of the sentence’s markers', () => {
    const checked = checkSentence('江苏地区生产总值达12.82万亿元，今年目标增长5%以上 [1][2]。', sources);
    assert.deepEqual(checked.citations, [1, 2]);
    assert.deepEqual(checked.unsupported, []);
  });
});

describe('whole numbers only', () => {
  test('12.82万亿元 in a passage does not support 12.8, nor 2.82', () => {
    assert.equal(containsNumber(JIANGSU_REVIEW, '12.82'), true);
    assert.equal(containsNumber(JIANGSU_REVIEW, '12.8'), false);
    assert.equal(containsNumber(JIANGSU_REVIEW, '2.82'), false);
  });

  test('增长5.8% does not support 5 or 8, while 增长5%以上 does support 5', () => {
    assert.equal(containsNumber('地区生产总值达12.82万亿元、增长5.8%', '5'), false);
    assert.equal(containsNumber('地区生产总值达12.82万亿元、增长5.8%', '8'), false);
    assert.equal(containsNumber('地区生产总值增长5%以上，一般公共预算收入增长4%左右', '5'), true);
  });

  test('a rounded figure cited to the passage with the exact one is flagged', () => {
    const checked = checkAnswer('江苏地区生产总值达12.8万亿元 [2]。', sources, { repair: false });
    assert.deepEqual(checked.flagged, [{ sentence: '江苏地区生产总值达12.8万亿元 [2]。', numbers: ['12.8'] }]);
  });

  test('the national 1200万人 jobs target does not support Jiangsu’s 120万人', () => {
    assert.deepEqual(checkSentence('江苏城镇新增就业120万人以上 [3]。', sources).unsupported, ['120']);
    assert.deepEqual(checkSentence('江苏城镇新增就业120万人以上 [1]。', sources).unsupported, []);
  });
});

describe('markers written after the full stop', () => {
  test('`。[1]` stays with the sentence before it', () => {
    assert.deepEqual(splitAnswerSentences('地区生产总值增长5%以上。[1]一般公共预算收入增长4%左右。[1][2]城镇调查失业率5%左右'), [
      '地区生产总值增长5%以上。[1]',
      '一般公共预算收入增长4%左右。[1][2]',
      '城镇调查失业率5%左右',
    ]);
  });

  test('a quotation is one sentence with the marker after it, whatever full stops it holds (no cry of wolf)', () => {
    const answer = 'According to the Jiangsu report: “地区生产总值增长5%以上，一般公共预算收入增长4%左右。城镇新增就业120万人以上” [1].';
    assert.deepEqual(splitAnswerSentences(answer), [answer]);
    assert.deepEqual(checkAnswer(answer, sources, { repair: false }).flagged, []);
  });

  test('a trailing marker counts for its own sentence when checking figures', () => {
    const checked = checkAnswer('地区生产总值增长5%以上。[1]地区生产总值达12.82万亿元。[2]', sources, { repair: false });
    assert.deepEqual(checked.flagged, []);
    assert.deepEqual(checked.citations, [1, 2]);
  });

  test('re-citing a sentence with a trailing marker keeps the next sentence’s marker', () => {
    const checked = checkAnswer('地区生产总值达12.82万亿元。[1]一般公共预算收入增长4%左右。[1]', sources, { repair: true });
    assert.equal(checked.answer, '地区生产总值达12.82万亿元 [2]。一般公共预算收入增长4%左右。[1]');
    assert.deepEqual(checked.citations, [2, 1]);
  });

  test('list items are sentences of their own', () => {
    const answer = '根据《2024年江苏省政府工作报告》：\n- 地区生产总值增长5%以上 [1]。\n- 地区生产总值达12.82万亿元 [1]。';
    const checked = checkAnswer(answer, sources, { repair: true });
    assert.equal(checked.answer, '根据《2024年江苏省政府工作报告》：\n- 地区生产总值增长5%以上 [1]。\n- 地区生产总值达12.82万亿元 [2]。');
  });
});

describe('figures written by a model in other forms', () => {
  test('a thousands separator does not hide a figure the passage holds', () => {
    const checked = checkAnswer('全国城镇新增就业目标为1,200万人以上 [1]。', [{ text: '城镇新增就业1200万人以上，城镇调查失业率5.5%左右。' }], { repair: true });
    assert.equal(checked.answer, '全国城镇新增就业目标为1,200万人以上 [1]。');
    assert.deepEqual(checked.flagged, []);
  });

  test('a grouped marker [1,2] cites both sources', () => {
    const sources = [{ text: '地区生产总值增长5%以上。' }, { text: '一般公共预算收入增长4%左右。' }];
    const checked = checkAnswer('地区生产总值增长5%以上，一般公共预算收入增长4%左右 [1,2]。', sources, { repair: false });
    assert.deepEqual(checked.citations, [1, 2]);
    assert.deepEqual(checked.flagged, []);
  });
});
