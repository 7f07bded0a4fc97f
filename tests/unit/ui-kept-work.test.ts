// The page's pure helpers for kept work: placing quoted spans, answer, share and report links, section names.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quotedPassage, quotedSentences, uniqueNumbers } from '../../ui/src/answer-types.ts';
import { setLanguage } from '../../ui/src/i18n.ts';
import { locateQuotes } from '../../ui/src/quote-spans.ts';
import { splitRefusal } from '../../ui/src/refusal-parts.ts';
import { linkHash, parseRoute, reportHash, routeHash } from '../../ui/src/router.ts';
import { displaySection } from '../../ui/src/section-names.ts';

const jiangsu =
  '今年经济社会发展主要预期目标是：地区生产总值增长5%以上，一般公共预算收入增长4%左右，居民人均可支配收入与经济增长同步，城镇新增就业120万人以上。确定以上目标，贯彻了中央“经济大省要真正挑起大梁”的重大要求。';
const firstSentence = jiangsu.slice(0, jiangsu.indexOf('。') + 1);

test('quoted spans apply as given when the panel shows the same text', () => {
  assert.deepEqual(locateQuotes(jiangsu, jiangsu, [{ start: 0, end: firstSentence.length }]), [{ start: 0, end: firstSentence.length }]);
});

test('quoted spans are found again in a passage text that differs (the panel fetched it with other whitespace)', () => {
  const shown = `\n${jiangsu.replace('。确定', '。\n确定')}`;
  const second = jiangsu.indexOf('确定');
  const spans = locateQuotes(shown, jiangsu, [{ start: second, end: jiangsu.length }, { start: 0, end: firstSentence.length }]);
  assert.deepEqual(spans.map((span) => shown.slice(span.start, span.end)), [firstSentence, jiangsu.slice(second)]);
});

test('spans past the text are clipped, empty or absent ones dropped, overlapping ones merged', () => {
  assert.deepEqual(locateQuotes(jiangsu, jiangsu, [{ start: 5, end: 5 }]), []);
  assert.deepEqual(locateQuotes(jiangsu, jiangsu, [{ start: 0, end: 20 }, { start: 10, end: 30 }]), [{ start: 0, end: 30 }]);
  assert.deepEqual(locateQuotes(jiangsu, jiangsu, [{ start: jiangsu.length - 3, end: jiangsu.length + 50 }]), [{ start: jiangsu.length - 3, end: jiangsu.length }]);
  assert.deepEqual(locateQuotes('另一段文字。', jiangsu, [{ start: 0, end: firstSentence.length }]), []);
  assert.deepEqual(locateQuotes(jiangsu, jiangsu, undefined), []);
});

test('an export quotes the marked sentences, or the whole passage when none is marked', () => {
  const source = { n: 1, id: 'jiangsu-2024#p027', region: '江苏省', title: '2024年江苏省政府工作报告', section: '二、2024年工作总体要求和目标任务', text: jiangsu, score: 1 };
  assert.equal(quotedPassage({ ...source, quotes: [{ start: 16, end: firstSentence.length }] }), '地区生产总值增长5%以上，一般公共预算收入增长4%左右，居民人均可支配收入与经济增长同步，城镇新增就业120万人以上。');
  assert.equal(quotedPassage(source), jiangsu);
  // A quoted clause comes with its whole sentence; a quoted whole sentence does not repeat itself.
  assert.equal(quotedSentences({ ...source, quotes: [{ start: 16, end: 28 }] }), firstSentence);
  assert.equal(quotedSentences({ ...source, quotes: [{ start: 0, end: firstSentence.length }] }), '');
  assert.equal(quotedSentences(source), '');
  assert.deepEqual(uniqueNumbers([6, 6, 2, 6]), [6, 2]);
});

test('share and report links round-trip: a shared answer, a passage with its quoted spans', () => {
  assert.deepEqual(parseRoute('#/s/AbCdEfGhIjKlMnOpQrStUvWx/a12'), { view: 'shared', token: 'AbCdEfGhIjKlMnOpQrStUvWx', exchange: 'a12' });
  assert.deepEqual(parseRoute('#/reports/jiangsu-2024#p027'), { view: 'report', id: 'jiangsu-2024', anchor: { passage: 'p027' } });
  const route = parseRoute(reportHash('jiangsu-2024#p027', [{ start: 16, end: 28 }, { start: 40, end: 52 }]));
  assert.deepEqual(route, { view: 'report', id: 'jiangsu-2024', anchor: { passage: 'p027', quotes: [{ start: 16, end: 28 }, { start: 40, end: 52 }] } });
  assert.equal(routeHash(route), '#/reports/jiangsu-2024#p027:16-28,40-52');
  assert.deepEqual(parseRoute('#/reports/hubei-2024'), { view: 'report', id: 'hubei-2024' });
  assert.deepEqual(parseRoute('#/reports'), { view: 'reports' });
});

test('an answer link round-trips its conversation, answer, question and earlier questions', () => {
  const link = { conversation: 'cabc', exchange: 'a12', question: '那苏州呢？', earlier: ['2024年江苏省地区生产总值增长目标是多少？'] };
  assert.deepEqual(parseRoute(linkHash(link)), { view: 'chat', link });
  assert.deepEqual(parseRoute('#/c/cabc'), { view: 'chat', link: { conversation: 'cabc' } });
  assert.deepEqual(parseRoute('#/'), { view: 'chat' });
  assert.deepEqual(parseRoute('#/priorities/%E6%B1%9F%E8%8B%8F%E7%9C%81'), { view: 'priorities', region: '江苏省' });
});

test('section headings read in English where the report part is known, and stay as written otherwise', () => {
  setLanguage('en');
  try {
    assert.equal(displaySection('二、2024年工作总体要求和目标任务'), 'Overall requirements and main targets for 2024');
    assert.equal(displaySection('三、2024年重点工作 › （一）坚持创新引领'), 'Work plan for 2024 › （一）坚持创新引领');
    assert.equal(displaySection('一、2023年工作回顾'), 'Review of work in 2023');
    assert.equal(displaySection('附件：名词解释'), '附件：名词解释');
  } finally {
    setLanguage('zh');
  }
  assert.equal(displaySection('二、2024年工作总体要求和目标任务'), '二、2024年工作总体要求和目标任务');
});

test('a refusal splits into its statement and what comes closest, by the server\'s message or its lead phrase', () => {
  const text = '现有报告中未找到该数据：《2024年江苏省政府工作报告》没有给出所问的内容。报告中最接近的表述是：地区生产总值增长5%以上 [1]。';
  assert.deepEqual(splitRefusal(text), {
    statement: '现有报告中未找到该数据：《2024年江苏省政府工作报告》没有给出所问的内容。',
    closest: '地区生产总值增长5%以上 [1]。',
  });
  const english = '《2024年江苏省政府工作报告》 does not give what was asked. The closest it says: GDP growth of over 5% [1].';
  assert.deepEqual(splitRefusal(english), { statement: '《2024年江苏省政府工作报告》 does not give what was asked.', closest: 'GDP growth of over 5% [1].' });
  const plain = '现有报告中未找到香港特别行政区的政府工作报告，无法回答。';
  assert.deepEqual(splitRefusal(plain), { statement: plain, closest: '' });
  assert.deepEqual(splitRefusal(`${plain}\n\n另见 [1]。`, plain), { statement: plain, closest: '另见 [1]。' });
});
