// Cleaning raw report text: what a reader of a cited passage sees must be the sentence the report printed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cleanReportText,
  isJunkLine,
  joinBrokenLines,
  normalizeDigits,
  removeSpacesAroundDigits,
  stripMarkdown,
} from '../../src/corpus/clean-text.ts';
import { RAW_FILES, countOccurrences, findReport, loadRealCorpus, readRawFile } from './real-corpus.ts';

const corpus = await loadRealCorpus();
const jiangsu = findReport(corpus, 'jiangsu-2024');
const jiangsuPdf = findReport(corpus, 'jiangsu-2024-pdf');
const cleanedPdf = cleanReportText(readRawFile(RAW_FILES.jiangsuPdf), 'pdf-lines');

/** Lines 15–29 of file 000, verbatim: one paragraph broken into eight lines with blank lines between. */
const PDF_REVIEW_OPENING = [
  '过去一年是全面贯彻党的二十大精神的开局之年，是三年新冠疫情防控转段',
  '',
  '后经济恢复发展的一年，也是江苏发展史上具有重要意义的一年。让全省人民备',
  '',
  '受鼓舞的是，习近平总书记年初在江苏全票当选全国人大代表，全国两会期间参',
  '',
  '加江苏代表团审议，7 月、12月两次亲临江苏考察，三次对江苏工作发表重要讲',
  '',
  '话、作出重要指示。江苏发展每到关键时期、每逢重要节点，总书记都亲自为我',
  '',
  '们把脉定向、指路引航，总书记的巨大关怀进一步激发了全省上下奋进新征程、',
  '',
  '建功新时代的磅礴力量，引领我们以更加昂扬的精神状态牢记嘱托、感恩奋进、',
  '',
  '走在前列！',
].join('\n');

/** The same paragraph as the compilation (file 001) prints it. */
const COMPILATION_REVIEW_OPENING =
  '过去一年是全面贯彻党的二十大精神的开局之年，是三年新冠疫情防控转段后经济恢复发展的一年，也是江苏发展史上具有重要意义的一年。让全省人民备受鼓舞的是，习近平总书记年初在江苏全票当选全国人大代表，全国两会期间参加江苏代表团审议，7月、12月两次亲临江苏考察，三次对江苏工作发表重要讲话、作出重要指示。江苏发展每到关键时期、每逢重要节点，总书记都亲自为我们把脉定向、指路引航，总书记的巨大关怀进一步激发了全省上下奋进新征程、建功新时代的磅礴力量，引领我们以更加昂扬的精神状态牢记嘱托、感恩奋进、走在前列！';

/** Lines 372–385 of file 000: the 2024 targets, with `120` and `万人以上` on different lines. */
const PDF_TARGETS = [
  '今年经济社会发展主要预期目标是：地区生产总值增长 5%以上，一般公共',
  '',
  '预算收入增长 4%左右，居民人均可支配收入与经济增长同步，城镇新增就业 120',
  ' 万人以上，城镇调查失业率 5%左右，社会消费品零售总额增长 5.5%左右，外贸',
  '',
  '进出口总额实现正增长，实际使用外资稳中提质，单位地区生产总值能耗下降',
  '',
  '2%左右，粮食产量保持基本稳定，居民消费价格涨幅 3%左右。确定以上目标，',
  '',
  '贯彻了中央“经济大省要真正挑起大梁”的重大要求，考虑了当前发展形势和全面',
  '',
  '完成“十四五”规划目标任务的需要，体现了推动经济实现质的有效提升和量的合',
  '',
  '理增长导向，实际工作中我们将全力以赴争取更好结果。',
].join('\n');

const COMPILATION_TARGETS =
  '今年经济社会发展主要预期目标是：地区生产总值增长5%以上，一般公共预算收入增长4%左右，居民人均可支配收入与经济增长同步，城镇新增就业120万人以上，城镇调查失业率5%左右，社会消费品零售总额增长5.5%左右，外贸进出口总额实现正增长，实际使用外资稳中提质，单位地区生产总值能耗下降2%左右，粮食产量保持基本稳定，居民消费价格涨幅3%左右。确定以上目标，贯彻了中央“经济大省要真正挑起大梁”的重大要求，考虑了当前发展形势和全面完成“十四五”规划目标任务的需要，体现了推动经济实现质的有效提升和量的合理增长导向，实际工作中我们将全力以赴争取更好结果。';

describe('a report extracted from a PDF (Jiangsu, file 000)', () => {
  test('a sentence broken across two lines becomes one sentence again', () => {
    const raw = '现在，我代表江苏省人民政府向大会报告工作，请予审议，并请各位政协委\n\n员提出意见。';
    assert.equal(cleanReportText(raw, 'pdf-lines'), '现在，我代表江苏省人民政府向大会报告工作，请予审议，并请各位政协委员提出意见。');
  });

  test('a subscript written with an underscore (PM_2.5) reads as the reports print the name (PM2.5), in either format', () => {
    assert.equal(cleanReportText('全省PM_2.5浓度33微克/立方米，优良天数比率82.4%。', 'markdown'), '全省PM2.5浓度33微克/立方米，优良天数比率82.4%。');
    assert.equal(cleanReportText('PM_2.5 浓度 33微克/立方米。', 'pdf-lines'), 'PM2.5浓度33微克/立方米。');
  });

  test('a paragraph broken into eight lines reads exactly as the compilation prints it', () => {
    assert.equal(cleanReportText(PDF_REVIEW_OPENING, 'pdf-lines'), COMPILATION_REVIEW_OPENING);
  });

  test('the 2024 targets come out whole, with every figure next to its unit', () => {
    const cleaned = cleanReportText(PDF_TARGETS, 'pdf-lines');
    assert.equal(cleaned, COMPILATION_TARGETS);
    assert.ok(cleaned.includes('城镇新增就业120万人以上'), 'the number at a line end joins the unit on the next line');
    assert.ok(cleaned.includes('能耗下降2%左右'), 'a line starting with a figure continues the line before');
  });

  test('spaces PDF extraction put around digits are gone (`2023 年` → `2023年`)', () => {
    assert.equal(removeSpacesAroundDigits('一、2023 年工作回顾'), '一、2023年工作回顾');
    assert.equal(removeSpacesAroundDigits('加江苏代表团审议，7 月、12月两次亲临江苏考察'), '加江苏代表团审议，7月、12月两次亲临江苏考察');
    assert.equal(
      cleanReportText('——2024 年 1月 23 日在江苏省第十四届人民代表大会第二次会议上', 'pdf-lines'),
      '——2024年1月23日在江苏省第十四届人民代表大会第二次会议上',
    );
    assert.equal(
      cleanReportText('经济发展取得新成绩。地区生产总值达 12.82万亿元、增长 5.8%。地区生产\n\n总值万亿之城增至 5座。', 'pdf-lines'),
      '经济发展取得新成绩。地区生产总值达12.82万亿元、增长5.8%。地区生产总值万亿之城增至5座。',
    );
    assert.ok(!/\d [年月日万亿%]/.test(cleanedPdf), 'no space is left between a figure and its unit anywhere in file 000');
  });

  test('part headings and the greeting stay paragraphs of their own', () => {
    const paragraphs = cleanedPdf.split('\n');
    for (const heading of ['一、2023年工作回顾', '二、2024年工作总体要求和目标任务', '三、2024年重点工作', '各位代表：']) {
      assert.ok(paragraphs.includes(heading), `${heading} is a paragraph by itself`);
    }
    const review = paragraphs.indexOf('一、2023年工作回顾');
    assert.ok(paragraphs[review + 1]?.startsWith('过去一年是全面贯彻党的二十大精神的开局之年'), 'the heading is not glued to the next paragraph');
    const joined = joinBrokenLines(['一、2023 年工作回顾', '过去一年是全面贯彻党的二十大精神的开局之年，是三年新冠疫情防控转段', '后经济恢复发展的一年。']);
    assert.deepEqual(joined, ['一、2023 年工作回顾', '过去一年是全面贯彻党的二十大精神的开局之年，是三年新冠疫情防控转段后经济恢复发展的一年。']);
  });

  test('title, date, speaker and greeting at the top of the PDF stay four lines', () => {
    const raw = ['', '政府工作报告', '', '——2024 年 1月 23 日在江苏省第十四届人民代表大会第二次会议上', '', '省长 许昆林', '', '各位代表：', ''].join('\n');
    const lines = cleanReportText(raw, 'pdf-lines').split('\n');
    assert.equal(lines.length, 4, lines.join(' | '));
    assert.equal(lines[0], '政府工作报告');
    assert.equal(lines[1], '——2024年1月23日在江苏省第十四届人民代表大会第二次会议上', 'the speaker line is not glued to the date line');
    assert.match(lines[2] ?? '', /^省长 ?许昆林$/);
    assert.equal(lines[3], '各位代表：');
  });

  test('a line that ends a sentence is not continued by the next one', () => {
    assert.deepEqual(
      joinBrokenLines([
        '走在前列！',
        '一年来，我们在以习近平同志为核心的党中央坚强领导下，坚持以习近平新',
        '时代中国特色社会主义思想为指导。',
      ]),
      ['走在前列！', '一年来，我们在以习近平同志为核心的党中央坚强领导下，坚持以习近平新时代中国特色社会主义思想为指导。'],
    );
  });

  test('the trailing disclaimer of the collection site is dropped', () => {
    assert.ok(readRawFile(RAW_FILES.jiangsuPdf).includes('本文内容来自网络，由EESIA搜集整理'), 'the raw file has the disclaimer');
    assert.ok(!cleanedPdf.includes('EESIA'));
    assert.ok(!cleanedPdf.includes('本文内容来自网络'));
    assert.ok(cleanedPdf.endsWith('为强国建设、民族复兴作出江苏新的更大贡献！'), 'the report ends with its own last sentence');
  });

  test('the PDF copy says word for word what the compilation says about Jiangsu', () => {
    const withoutWhitespace = (text: string): string => text.replace(/\s+/g, '');
    assert.equal(withoutWhitespace(jiangsuPdf.text), `政府工作报告${withoutWhitespace(jiangsu.text)}`);
  });

  test('sentences that the PDF broke over several lines are found whole in the cleaned copy', () => {
    for (const sentence of [
      '一般公共预算收入9930亿元、增长7.3%。',
      '粮食总产量759.5亿斤、再创历史新高。',
      '全社会研发投入强度3.2%左右，万人发明专利拥有量达62.1件、连续8年保持全国省区第一，我省太湖实验室牵头研发的“奋斗者”号完成极限深潜，高效率全钙钛矿叠层电池入选中国科学十大进展。',
      '一定能够完成今年各项目标任务，交出让总书记和党中央放心、让全省人民满意的新时代答卷！',
      '确保粮食播种面积稳定在8100万亩以上、产量750亿斤左右。',
    ]) {
      assert.ok(jiangsu.text.includes(sentence), `the compilation has ${sentence}`);
      assert.ok(jiangsuPdf.text.includes(sentence), `the PDF copy has ${sentence}`);
    }
  });
});

describe('watermarks and disclaimers', () => {
  test('the watermark lines at the top of Suzhou’s report (file 004) are dropped', () => {
    const raw = [
      '更多数据尽在数据皮皮侠（http://www.ppmandata.cn/trade/list）',
      '',
      '更多数据尽在数据皮皮侠（http://www.ppmandata.cn/trade/list）',
      '',
      '更多数据尽在数据皮皮侠（http://www.ppmandata.cn/trade/list）',
      '',
      '政府工作报告',
      '',
      '——2024年1月16日在市十七届人大三次会议上',
      '',
      '市长 吴庆文',
      '',
      '各位代表：',
    ].join('\n');
    assert.equal(cleanReportText(raw, 'plain'), '政府工作报告\n——2024年1月16日在市十七届人大三次会议上\n市长 吴庆文\n各位代表：');
  });

  test('no cleaned report carries a watermark or disclaimer, though the raw files do', () => {
    assert.equal(countOccurrences(readRawFile(RAW_FILES.suzhou), '更多数据尽在数据皮皮侠'), 3);
    for (const report of corpus.reports) {
      for (const junk of ['皮皮侠', 'ppmandata', 'EESIA', '本文内容来自网络']) {
        assert.ok(!report.text.includes(junk), `${report.id} contains ${junk}`);
      }
    }
  });

  test('a junk line is told apart from report sentences about data and networks', () => {
    assert.equal(isJunkLine('更多数据尽在数据皮皮侠（http://www.ppmandata.cn/trade/list）'), true);
    assert.equal(isJunkLine('本文内容来自网络，由EESIA搜集整理，如有任何异议请联系我们，我们将酌情处理！'), true);
    assert.equal(isJunkLine('- 12 -'), true, 'a PDF page number');
    assert.equal(isJunkLine('打造数据安全保障体系。'), false);
    assert.equal(isJunkLine('推行数据得地、数字征信等改革举措。'), false);
    assert.equal(isJunkLine('2024年重点工作'), false);
  });
});

describe('markdown (Zhenjiang, file 002)', () => {
  test('bold figures lose their asterisks and keep their units', () => {
    const raw = '地区生产总值增长**5.2%**以上,一般公共预算收入增长**4%**,居民人均可支配收入与经济增长同步,城镇新增就业**2.4万**人以上,社会消费品零售总额增长**6%**';
    assert.equal(
      cleanReportText(raw, 'markdown'),
      '地区生产总值增长5.2%以上,一般公共预算收入增长4%,居民人均可支配收入与经济增长同步,城镇新增就业2.4万人以上,社会消费品零售总额增长6%',
    );
  });

  test('list markers are dropped and the item keeps its words and figures', () => {
    assert.equal(
      stripMarkdown('- 引导金融机构加大对中小微企业金融支持力度,普惠型小微企业贷款余额达到**1300亿元**。'),
      '引导金融机构加大对中小微企业金融支持力度,普惠型小微企业贷款余额达到1300亿元。',
    );
  });

  test('a two-part heading keeps the space between its halves', () => {
    assert.equal(cleanReportText('用力扩大有效供给 厚植实体经济优势', 'markdown'), '用力扩大有效供给 厚植实体经济优势');
  });

  test('the cleaned Zhenjiang report has no markdown left', () => {
    const zhenjiang = findReport(corpus, 'zhenjiang-2024');
    assert.ok(readRawFile(RAW_FILES.zhenjiang).includes('**5.2%**以上'));
    assert.ok(zhenjiang.text.includes('地区生产总值增长5.2%以上'));
    assert.ok(!zhenjiang.text.includes('**'));
    assert.ok(!zhenjiang.text.split('\n').some((line) => line.startsWith('- ')));
  });
});

describe('numbers keep their units', () => {
  test('figures quoted in answers are in the cleaned reports exactly as printed', () => {
    const expectations: [figure: string, reportIds: string[]][] = [
      ['12.82万亿元', ['jiangsu-2024', 'jiangsu-2024-pdf']],
      ['5%左右', ['china-2024', 'jiangsu-2024', 'jiangsu-2024-pdf', 'suzhou-2024']],
      ['5.5%以上', ['nantong-2024']],
      ['1.39万亿斤', ['china-2024']],
      ['5.2%以上', ['zhenjiang-2024']],
      ['759.5亿斤', ['jiangsu-2024', 'jiangsu-2024-pdf']],
    ];
    for (const [figure, reportIds] of expectations) {
      for (const id of reportIds) assert.ok(findReport(corpus, id).text.includes(figure), `${id} states ${figure}`);
    }
  });

  test('every figure with a unit in every raw file is in the cleaned corpus as often as in the file', () => {
    const figure = /\d+(?:\.\d+)?(?:%|万亿元|亿元|万元|万亿斤|亿斤|万人|万亩|亿美元)(?:左右|以上)?/g;
    // The oracle: the raw file with whitespace, bold markers and full-width digits taken out by hand.
    const asPrinted = (raw: string): string =>
      raw
        .replace(/[０-９]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0))
        .replace(/％/g, '%')
        .replace(/．/g, '.')
        .replace(/\*\*/g, '')
        .replace(/\s+/g, '');
    const tally = (text: string): Map<string, number> => {
      const counts = new Map<string, number>();
      for (const match of text.match(figure) ?? []) counts.set(match, (counts.get(match) ?? 0) + 1);
      return counts;
    };
    for (const file of Object.values(RAW_FILES)) {
      const expected = tally(asPrinted(readRawFile(file)));
      const actual = tally(corpus.reports.filter((report) => report.sourceFile === file).map((report) => report.text).join('\n'));
      assert.ok(expected.size > 10, `${file} has figures to compare`);
      assert.deepEqual(actual, expected, `figures of ${file}`);
    }
  });

  test('full-width digits and percent signs become ASCII, so `45.8％` is found as `45.8%`', () => {
    assert.equal(normalizeDigits('新能源和清洁能源装机占比达到45.8％。'), '新能源和清洁能源装机占比达到45.8%。');
    assert.equal(normalizeDigits('增长５．５％左右'), '增长5.5%左右');
    assert.ok(findReport(corpus, 'shanxi-2024').text.includes('新能源和清洁能源装机占比达到45.8%'));
  });
});
