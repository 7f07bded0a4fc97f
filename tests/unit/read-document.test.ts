// Reading the documents users bring: each format comes back as the report's own sentences, with its
// region and year read from the opening lines, and each way a file can fail is refused by name.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DocumentError } from '../../src/corpus/document-error.ts';
import { detectMetadata, detectParent } from '../../src/corpus/detect-metadata.ts';
import { readDocument } from '../../src/corpus/read-document.ts';
import { buildUserReport } from '../../src/corpus/user-report.ts';
import { encodeGb18030, encodeUtf16WithoutBom, printPdf, printScan, skipWithoutChromium, writeDocx } from '../helpers/make-documents.ts';
import { findReport, loadRealCorpus } from './real-corpus.ts';

const corpus = await loadRealCorpus();
const jiangsu = findReport(corpus, 'jiangsu-2024');
const nantong = findReport(corpus, 'nantong-2024');
const suzhou = findReport(corpus, 'suzhou-2024');
const paragraphsOf = (text: string, count: number): string[] => text.split('\n').slice(0, count);
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

async function refusal(promise: Promise<unknown>): Promise<DocumentError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DocumentError, `expected a DocumentError, got ${String(error)}`);
    return error;
  }
  assert.fail('the document was accepted');
}

const JIANGSU_TARGETS = '今年经济社会发展主要预期目标是：地区生产总值增长5%以上，一般公共预算收入增长4%左右';

describe('a PDF with a text layer (printed by Chromium from Jiangsu’s report)', { skip: skipWithoutChromium }, () => {
  const start = jiangsu.text.indexOf('今年经济社会发展主要预期目标是');
  const paragraphs = ['政府工作报告', ...paragraphsOf(jiangsu.text, 12), ...jiangsu.text.slice(start).split('\n').slice(0, 3)];

  test('lines wrapped by the page are joined back into the report’s sentences, figures next to their units', async () => {
    const document = await readDocument({ bytes: await printPdf(paragraphs), fileName: 'jiangsu-2024.pdf' });
    assert.equal(document.format, 'pdf');
    assert.ok(document.text.includes(JIANGSU_TARGETS), 'the targets sentence reads as the compilation prints it');
    assert.ok(document.text.includes('城镇新增就业120万人以上'));
    // A line ending a sentence ends its paragraph (as in file 000), so compare sentence by sentence.
    const sentences = paragraphs.slice(4).flatMap((paragraph) => paragraph.split(/(?<=[。！？])/));
    const lost = sentences.filter((sentence) => !document.text.includes(sentence));
    assert.deepEqual(lost, [], 'every sentence comes back whole');
    assert.ok(!/[\u2e80-\u2fdf]/.test(document.text), 'no Kangxi radicals stand in for ordinary characters');
  });

  test('its region and year come from the date line (在江苏省第十四届人民代表大会…)', async () => {
    const document = await readDocument({ bytes: await printPdf(paragraphs), fileName: 'report.pdf' });
    const { report, region } = buildUserReport(document);
    assert.equal(report.region, '江苏省');
    assert.equal(report.year, 2024);
    assert.equal(report.id, 'jiangsu-2024');
    assert.equal(region.level, 'province');
    assert.equal(report.date, '2024-01-23');
  });

  test('a scan (pictures of text, no text layer) is refused as such', async () => {
    const error = await refusal(readDocument({ bytes: await printScan(paragraphs), fileName: 'scan.pdf' }));
    assert.equal(error.problem, 'scanned_pdf');
    assert.match(error.message, /no text layer/);
  });
});

describe('a .docx (written with the docx library from Suzhou’s report)', () => {
  test('its paragraphs come back as the report’s paragraphs, region from 我代表苏州市人民政府', async () => {
    const paragraphs = paragraphsOf(suzhou.text, 20);
    const document = await readDocument({ bytes: await writeDocx(paragraphs), fileName: '苏州.docx' });
    assert.equal(document.format, 'docx');
    assert.deepEqual(document.text.split('\n'), paragraphs);
    const { report } = buildUserReport(document);
    assert.equal(report.region, '苏州市');
    assert.equal(report.year, 2024);
    assert.equal(report.parent, '江苏省');
  });

  test('a zip that is not a .docx, and an old .doc, are refused with what to bring instead', async () => {
    const zip = await refusal(readDocument({ bytes: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]), fileName: 'reports.zip' }));
    assert.equal(zip.problem, 'unsupported_format');
    const doc = await refusal(readDocument({ bytes: new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), fileName: 'report.doc' }));
    assert.equal(doc.problem, 'unsupported_format');
    assert.match(doc.message, /\.docx/);
  });
});

describe('text files in UTF-8 and GB18030/GBK', () => {
  test('a GB18030 file reads exactly as the UTF-8 one', async () => {
    const fromGb = await readDocument({ bytes: encodeGb18030(nantong.text), fileName: 'nantong-gbk.txt' });
    const fromUtf8 = await readDocument({ bytes: utf8(nantong.text), fileName: 'nantong.txt' });
    assert.equal(fromGb.encoding, 'gb18030');
    assert.equal(fromUtf8.encoding, 'utf-8');
    assert.equal(fromGb.text, fromUtf8.text);
    assert.ok(fromGb.text.includes('预计地区生产总值增长6%左右'));
  });

  test('UTF-16 without a byte-order mark, or GBK bytes declared UTF-8, are refused as a wrong encoding', async () => {
    const utf16 = await refusal(readDocument({ bytes: encodeUtf16WithoutBom(nantong.text), fileName: 'nantong.txt' }));
    assert.equal(utf16.problem, 'wrong_encoding');
    const declared = await refusal(readDocument({ bytes: encodeGb18030(nantong.text), fileName: 'nantong.txt', encoding: 'utf-8' }));
    assert.equal(declared.problem, 'wrong_encoding');
    assert.match(declared.message, /utf-8/);
  });

  test('Nantong’s report names no region (我代表市人民政府): the user must name it, then it is Nantong’s', async () => {
    const document = await readDocument({ bytes: utf8(nantong.text), fileName: 'nantong.txt' });
    assert.throws(() => buildUserReport(document), (error: unknown) => error instanceof DocumentError && error.problem === 'no_region');
    const { report } = buildUserReport(document, { region: '南通', year: 2024 });
    assert.equal(report.id, 'nantong-2024');
    assert.equal(report.region, '南通市');
    assert.deepEqual(report.sections.map((section) => section.heading), nantong.sections.map((section) => section.heading));
  });
});

describe('files that are not reports', () => {
  test('an empty file, a file over the limit and a README are each refused with their reason', async () => {
    assert.equal((await refusal(readDocument({ bytes: new Uint8Array(0), fileName: 'empty.txt' }))).problem, 'empty');
    assert.equal((await refusal(readDocument({ bytes: utf8('   \n\n  '), fileName: 'blank.txt' }))).problem, 'empty');
    const large = await refusal(readDocument({ bytes: utf8(nantong.text), fileName: 'nantong.txt', maxBytes: 10_000 }));
    assert.equal(large.problem, 'too_large');
    assert.equal(large.status, 413);
    const readme = await refusal(readDocument({ bytes: utf8('# 使用说明\n\n本工具用于整理数据，运行 npm start 即可启动服务。'.repeat(20)), fileName: 'README.md' }));
    assert.equal(readme.problem, 'not_a_report');
    const image = await refusal(readDocument({ bytes: utf8('GIF89a'), fileName: 'chart.gif' }));
    assert.equal(image.problem, 'unsupported_format');
    assert.equal(image.status, 415);
  });
});

describe('metadata from the title and the opening lines', () => {
  // Test data: an opening written in the form the 2025 reports use, not text from a published report.
  const NANJING_OPENING = ['2025年南京市政府工作报告', '——2025年1月14日在南京市第十七届人民代表大会第四次会议上', '市长 陈之常', '各位代表：'].join('\n');

  test('`2025年南京市政府工作报告` gives 南京市, 2025, a city of 江苏省 (the table knows it)', () => {
    const detected = detectMetadata(NANJING_OPENING);
    assert.equal(detected.regionName, '南京市');
    assert.equal(detected.year, 2025);
    assert.equal(detected.date, '2025-01-14');
    assert.equal(detected.evidence.region, '2025年南京市政府工作报告');
  });

  test('without a title, the date line’s meeting names the region and its date the year', () => {
    const detected = detectMetadata(NANJING_OPENING.split('\n').slice(1).join('\n'));
    assert.equal(detected.regionName, '南京市');
    assert.equal(detected.year, 2025);
  });

  test('a place the table does not know becomes a region of the corpus, with the parent its text names', async () => {
    // Test data: Nantong's report text under a made-up county-level title.
    const text = ['2025年昆山市政府工作报告', '——2025年1月在昆山市第十七届人民代表大会第五次会议上', nantong.text.replaceAll('南通', '苏州')].join('\n');
    const document = await readDocument({ bytes: utf8(text), fileName: 'kunshan.txt' });
    const { report, region } = buildUserReport(document);
    assert.equal(region.name, '昆山市');
    assert.equal(region.level, 'city');
    assert.equal(region.parent, '苏州市');
    assert.deepEqual(region.aliases, ['昆山']);
    assert.match(report.id, /^region-[0-9a-f]{8}-2025$/);
    assert.equal(report.title, '2025年昆山市政府工作报告');
  });

  test('the gazetteer places a county-level city the table lacks, whatever its text mentions most', async () => {
    // Test data: Nantong's report (which names 上海 and 江苏 far more than 苏州) under a made-up 昆山 title.
    const text = ['2025年昆山市政府工作报告', nantong.text.replaceAll('南通', '昆山')].join('\n');
    const { region } = buildUserReport(await readDocument({ bytes: utf8(text), fileName: 'kunshan.txt' }));
    assert.equal(region.parent, '苏州市');
    // A name two places share (朝阳区: 北京市 and 长春市) takes the parent its text names.
    assert.equal(detectParent('朝阳区', 'city', '朝阳区位于长春市。长春市委、长春市政府……'), '长春市');
    assert.equal(detectParent('朝阳区', 'city', '朝阳区位于北京市东部，首都北京……'), '北京市');
    // A prefecture-level city of the gazetteer that the table lacks: its province.
    assert.equal(detectParent('吉林市', 'city', ''), '吉林省');
  });

  test('a parent given by the user wins; one that is no place, or contradicts the table, is refused', async () => {
    const text = ['2025年昆山市政府工作报告', nantong.text.replaceAll('南通', '昆山')].join('\n');
    const document = await readDocument({ bytes: utf8(text), fileName: 'kunshan.txt' });
    assert.equal(buildUserReport(document, { parent: '江苏' }).region.parent, '江苏省');
    assert.throws(() => buildUserReport(document, { parent: '火星省' }), (error: unknown) => error instanceof DocumentError && error.problem === 'bad_parent' && /火星省/.test(error.message));
    assert.throws(() => buildUserReport(document, { parent: '昆山市' }), (error: unknown) => error instanceof DocumentError && error.problem === 'bad_parent');
    const nanjing = await readDocument({ bytes: utf8(`${NANJING_OPENING}\n${nantong.text}`), fileName: 'nanjing.txt' });
    assert.equal(buildUserReport(nanjing, { parent: '江苏省' }).region.parent, '江苏省');
    assert.throws(() => buildUserReport(nanjing, { parent: '浙江省' }), (error: unknown) => error instanceof DocumentError && error.problem === 'bad_parent' && /江苏省/.test(error.message));
  });

  test('the flags win over what the text says', async () => {
    const document = await readDocument({ bytes: utf8(`${NANJING_OPENING}\n${nantong.text}`), fileName: 'nanjing.txt' });
    const { report } = buildUserReport(document, { region: '镇江', year: 2026 });
    assert.equal(report.region, '镇江市');
    assert.equal(report.year, 2026);
    assert.equal(report.id, 'zhenjiang-2026');
  });
});
