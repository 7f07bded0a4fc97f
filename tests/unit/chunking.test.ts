// Chunking real reports into passages: what a user sees when a passage is cited must be whole sentences
// from one section of one report, with figures intact.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chunkReport, indexedText, type ChunkOptions } from '../../src/chunking/chunk-report.ts';
import { splitLongSentence, splitSentences } from '../../src/chunking/split-sentences.ts';
import { PREAMBLE_HEADING, listParagraphs, sectionPathAt } from '../../src/corpus/parse-report.ts';
import { chunkCorpus } from '../../src/index/index-store.ts';
import type { Passage, Report } from '../../src/types.ts';
import { findReport, loadRealCorpus, offsetOf } from './real-corpus.ts';

const corpus = await loadRealCorpus();
const chunked = corpus.reports.map((report) => ({ report, passages: chunkReport(report) }));

/** A budget far below the default, so long sentences have to be split at commas. */
const TIGHT: ChunkOptions = { targetChars: 80, maxChars: 120, minChars: 20 };
const tightReports = ['china-2024', 'jiangsu-2024', 'jiangsu-2024-pdf', 'zhenjiang-2024', 'suzhou-2024', 'gansu-2024'].map((id) => findReport(corpus, id));
const tightChunked = tightReports.map((report) => ({ report, passages: chunkReport(report, TIGHT) }));

const FIGURE = /\d+(?:\.\d+)?(?:%|万亿元|亿元|万元|万亿斤|亿斤|万人|万亩|亿美元|万户)(?:左右|以上)?/g;
const STARTS_WITH_NOISE = /^[\s，,、。；;：:！!？?）)”’]/;
const ENDS_SENTENCE = /[。！？!?；;：:][”’」』）)]*$/;

function paragraphEnds(report: Report): Set<number> {
  return new Set(listParagraphs(report.text).map((paragraph) => paragraph.end));
}

function isPartHeading(report: Report, start: number): boolean {
  return report.sections.some((section) => section.level === 1 && section.start === start);
}

function checkShape(report: Report, passages: readonly Passage[], maxChars: number): void {
  for (const passage of passages) {
    const where = `${passage.id} “${passage.text.slice(0, 30)}…${passage.text.slice(-15)}”`;
    assert.ok(passage.text.length > 0 && passage.text.length <= maxChars, `${where} has ${passage.text.length} characters`);
    assert.ok(!STARTS_WITH_NOISE.test(passage.text), `${where} starts with punctuation or whitespace`);
    assert.equal(passage.text, report.text.slice(passage.start, passage.end), `${where} is the report text at its offsets`);
    assert.equal(passage.reportId, report.id);
    assert.equal(passage.region, report.region);
    assert.equal(passage.title, report.title);
  }
  for (let index = 1; index < passages.length; index++) {
    assert.ok(passages[index - 1]!.end <= passages[index]!.start, `${passages[index]!.id} does not overlap the passage before`);
  }
}

describe('passages of every real report (default budget)', () => {
  test('the corpus gives passages for every report', () => {
    for (const { report, passages } of chunked) assert.ok(passages.length > 0, report.id);
    assert.ok(chunked.reduce((sum, { passages }) => sum + passages.length, 0) > 2000);
  });

  test('no passage is over 800 characters, starts with punctuation, or differs from the report text at its offsets', () => {
    for (const { report, passages } of chunked) checkShape(report, passages, 800);
  });

  test('every passage ends a sentence or a paragraph', () => {
    for (const { report, passages } of chunked) {
      const ends = paragraphEnds(report);
      for (const passage of passages) {
        assert.ok(ENDS_SENTENCE.test(passage.text) || ends.has(passage.end), `${passage.id} ends mid-sentence: …${passage.text.slice(-20)}`);
      }
    }
  });

  test('a passage never spans two sections, leaves part headings to its section path, and has the path of its start and end', () => {
    for (const { report, passages } of chunked) {
      for (const passage of passages) {
        for (const section of report.sections) {
          assert.ok(!(passage.start < section.start && section.start < passage.end), `${passage.id} crosses into ${section.heading}`);
          if (section.level === 1) {
            assert.ok(!(passage.start <= section.start && section.start < passage.end), `${passage.id} repeats the part heading ${section.heading}`);
          }
        }
        assert.deepEqual(passage.sectionPath, sectionPathAt(report, passage.start), passage.id);
        assert.deepEqual(passage.sectionPath, sectionPathAt(report, passage.end - 1), passage.id);
      }
    }
  });

  test('nothing a report says is lost: every character outside part headings is in some passage', () => {
    for (const { report, passages } of chunked) {
      const covered = new Uint8Array(report.text.length);
      for (const passage of passages) covered.fill(1, passage.start, passage.end);
      for (const paragraph of listParagraphs(report.text)) {
        if (isPartHeading(report, paragraph.start) || paragraph.text === '政府工作报告') continue;
        for (let offset = paragraph.start; offset < paragraph.end; offset++) {
          if (/[\u3400-\u9fff0-9A-Za-z]/.test(report.text[offset]!)) {
            assert.equal(covered[offset], 1, `${report.id}: “${report.text.slice(offset, offset + 20)}” is in no passage`);
          }
        }
      }
    }
  });

  test('figures like `5%左右` are never split between two passages', () => {
    for (const { report, passages } of chunked) checkFiguresWhole(report, passages);
  });

  test('short paragraphs of one section share a passage: Jiangsu’s opening is one passage', () => {
    const opening = chunkReport(findReport(corpus, 'jiangsu-2024'))[0]!;
    assert.equal(
      opening.text,
      '——2024年1月23日在江苏省第十四届人民代表大会第二次会议上\n省长 许昆林\n各位代表：\n现在，我代表江苏省人民政府向大会报告工作，请予审议，并请各位政协委员提出意见。',
    );
    const all = chunked.flatMap(({ passages }) => passages);
    const fragments = all.filter((passage) => passage.text.length < 40);
    assert.ok(fragments.length < all.length / 100, `${fragments.length} of ${all.length} passages are under 40 characters`);
  });

  test('a target sentence is cited whole: Jiangsu’s grain target is in one passage of sub-section four', () => {
    const jiangsu = findReport(corpus, 'jiangsu-2024');
    const sentence = '确保粮食播种面积稳定在8100万亩以上、产量750亿斤左右。';
    const passage = chunkReport(jiangsu).find((candidate) => candidate.text.includes(sentence));
    assert.ok(passage, 'some passage holds the whole sentence');
    assert.deepEqual(passage.sectionPath, ['三、2024年重点工作', '（四）高水平建设农业强省。']);
  });
});

describe('passages under a tight budget (long sentences split at commas)', () => {
  test('no passage is over the budget or starts with punctuation', () => {
    for (const { report, passages } of tightChunked) checkShape(report, passages, TIGHT.maxChars);
  });

  test('a passage that ends inside a sentence ends after a comma or enumeration mark', () => {
    for (const { report, passages } of tightChunked) {
      const ends = paragraphEnds(report);
      for (const passage of passages) {
        if (ENDS_SENTENCE.test(passage.text) || ends.has(passage.end)) continue;
        assert.match(passage.text, /[，、,：]$/, `${passage.id} is cut inside a clause: …${passage.text.slice(-15)}`);
      }
    }
  });

  test('figures stay whole even when sentences are split', () => {
    for (const { report, passages } of tightChunked) checkFiguresWhole(report, passages);
  });
});

function checkFiguresWhole(report: Report, passages: readonly Passage[]): void {
  let checked = 0;
  for (const paragraph of listParagraphs(report.text)) {
    if (isPartHeading(report, paragraph.start)) continue;
    for (const match of paragraph.text.matchAll(FIGURE)) {
      const start = paragraph.start + match.index;
      const end = start + match[0].length;
      checked++;
      assert.ok(
        passages.some((passage) => passage.start <= start && end <= passage.end),
        `${report.id}: ${match[0]} (“${report.text.slice(start - 10, end + 5)}”) is split or lost`,
      );
    }
  }
  if (report.id !== 'zhenjiang-2024') assert.ok(checked > 10, `${report.id} has figures to check (${checked})`);
}

describe('passage ids', () => {
  test('are the report id and a zero-padded ordinal, in order', () => {
    for (const { report, passages } of chunked) {
      passages.forEach((passage, ordinal) => {
        assert.equal(passage.ordinal, ordinal);
        assert.equal(passage.id, `${report.id}#p${String(ordinal).padStart(3, '0')}`);
      });
    }
    assert.equal(chunkReport(findReport(corpus, 'jiangsu-2024'))[0]?.id, 'jiangsu-2024#p000');
  });

  test('are stable: chunking the same report again gives the same passages', () => {
    const jiangsu = findReport(corpus, 'jiangsu-2024');
    assert.deepEqual(chunkReport(jiangsu), chunkReport(jiangsu));
  });

  test('are unique across the indexed corpus, the Jiangsu PDF copy included', () => {
    const { passages } = chunkCorpus(corpus);
    const ids = passages.map((passage) => passage.id);
    assert.equal(new Set(ids).size, ids.length);
  });
});

describe('the indexed text of a passage', () => {
  const jiangsu = findReport(corpus, 'jiangsu-2024');
  const passages = chunkReport(jiangsu);

  test('carries the region, the report title and the section path before the passage', () => {
    const grain = passages.find((passage) => passage.start <= offsetOf(jiangsu, '确保粮食播种面积') && offsetOf(jiangsu, '确保粮食播种面积') < passage.end);
    assert.ok(grain);
    assert.equal(indexedText(grain), `江苏省｜2024年江苏省政府工作报告｜三、2024年重点工作 › （四）高水平建设农业强省。\n${grain.text}`);
  });

  test('leaves out the section for the opening address', () => {
    const opening = passages[0]!;
    assert.deepEqual(opening.sectionPath, [PREAMBLE_HEADING]);
    assert.equal(indexedText(opening), `江苏省｜2024年江苏省政府工作报告\n${opening.text}`);
  });
});

describe('sentence splitting', () => {
  const targets =
    '今年发展主要预期目标是：国内生产总值增长5%左右；城镇新增就业1200万人以上，城镇调查失业率5.5%左右；居民消费价格涨幅3%左右；居民收入增长和经济增长同步；国际收支保持基本平衡；粮食产量1.3万亿斤以上；单位国内生产总值能耗降低2.5%左右，生态环境质量持续改善。';

  test('splits the national targets at semicolons with exact offsets', () => {
    const spans = splitSentences(targets, 100);
    assert.deepEqual(
      spans.map((span) => span.text),
      [
        '今年发展主要预期目标是：国内生产总值增长5%左右；',
        '城镇新增就业1200万人以上，城镇调查失业率5.5%左右；',
        '居民消费价格涨幅3%左右；',
        '居民收入增长和经济增长同步；',
        '国际收支保持基本平衡；',
        '粮食产量1.3万亿斤以上；',
        '单位国内生产总值能耗降低2.5%左右，生态环境质量持续改善。',
      ],
    );
    for (const span of spans) assert.equal(targets.slice(span.start - 100, span.end - 100), span.text);
  });

  test('a long sentence is split at commas into clauses that keep their figures', () => {
    const sentence =
      '今年经济社会发展主要预期目标是：地区生产总值增长5%以上，一般公共预算收入增长4%左右，居民人均可支配收入与经济增长同步，城镇新增就业120万人以上，城镇调查失业率5%左右，社会消费品零售总额增长5.5%左右，外贸进出口总额实现正增长，实际使用外资稳中提质，单位地区生产总值能耗下降2%左右，粮食产量保持基本稳定，居民消费价格涨幅3%左右。';
    const pieces = splitLongSentence({ text: sentence, start: 0, end: sentence.length }, 40);
    assert.ok(pieces.length > 3);
    for (const piece of pieces) {
      assert.ok(piece.text.length <= 40, piece.text);
      assert.equal(sentence.slice(piece.start, piece.end), piece.text);
      assert.match(piece.text, /[，。]$/, `cut after a comma: ${piece.text}`);
    }
    assert.equal(pieces.map((piece) => piece.text).join(''), sentence);
    for (const figure of ['5%以上', '4%左右', '120万人以上', '5.5%左右', '3%左右']) {
      assert.ok(pieces.some((piece) => piece.text.includes(figure)), figure);
    }
  });
});
