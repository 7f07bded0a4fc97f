// Splitting the compilation into its 32 reports, and the reports loadCorpus gives for the whole data/ folder.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../../src/errors.ts';
import { listRegions } from '../../src/corpus/regions.ts';
import { splitCompilation } from '../../src/corpus/split-compilation.ts';
import { RAW_FILES, findReport, loadRealCorpus, readRawFile } from './real-corpus.ts';

const compilation = readRawFile(RAW_FILES.compilation);
const parts = splitCompilation(compilation);
const provinces = listRegions().filter((entry) => entry.level === 'province' && entry.inCorpus);

describe('splitting the compilation (file 001)', () => {
  test('gives exactly 32 reports, numbered 1 to 32 as in their header lines', () => {
    assert.equal(parts.length, 32);
    assert.deepEqual(
      parts.map((part) => part.number),
      Array.from({ length: 32 }, (_, index) => index + 1),
    );
  });

  test('the national report comes first, Jiangsu 11th, Chongqing 23rd and Xinjiang last', () => {
    assert.equal(parts[0]?.region.name, '全国');
    assert.equal(parts[0]?.header, '1.政府工作报告');
    assert.equal(parts[10]?.region.name, '江苏省');
    assert.equal(parts[10]?.header, '11.江苏省政府工作报告');
    assert.equal(parts[22]?.region.name, '重庆市', 'the header `23.重庆市人民政府工作报告` names Chongqing');
    assert.equal(parts[22]?.header, '23.重庆市人民政府工作报告');
    assert.equal(parts.at(-1)?.region.name, '新疆维吾尔自治区');
  });

  test('every one of the 31 provinces is there exactly once', () => {
    assert.equal(provinces.length, 31);
    const names = parts.map((part) => part.region.name);
    for (const province of provinces) {
      assert.equal(names.filter((name) => name === province.name).length, 1, province.name);
    }
  });

  test('a report holds its own text and none of the next report’s', () => {
    const jiangsu = parts[10]!;
    assert.ok(jiangsu.raw.trim().startsWith('——2024年1月23日在江苏省第十四届人民代表大会第二次会议上'));
    assert.ok(jiangsu.raw.includes('地区生产总值达12.82万亿元、增长5.8%'));
    assert.ok(!jiangsu.raw.includes('浙江省政府工作报告'));
    assert.ok(!jiangsu.raw.includes('——2024年1月23日在浙江省'), 'Zhejiang’s date line belongs to Zhejiang');
    const national = parts[0]!;
    assert.ok(national.raw.includes('国内生产总值增长5%左右'));
    assert.ok(!national.raw.includes('北京市政府工作报告'));
    for (const part of parts) {
      assert.ok(!/^\s*\d{1,2}\.\S*政府工作报告\s*$/m.test(part.raw), `${part.header} holds no header line`);
    }
  });

  test('Windows line endings split the same way', () => {
    const crlf = splitCompilation(compilation.replace(/\n/g, '\r\n'));
    assert.deepEqual(
      crlf.map((part) => part.region.name),
      parts.map((part) => part.region.name),
    );
  });

  test('a header naming an unknown region is refused with the header in the message', () => {
    const raw = '1.政府工作报告\n\n各位代表：\n\n2.深圳经济特区政府工作报告\n\n各位代表：';
    assert.throws(
      () => splitCompilation(raw),
      (error: unknown) => error instanceof AppError && error.code === 'invalid_input' && error.message.includes('2.深圳经济特区政府工作报告'),
    );
  });
});

describe('loading the corpus in data/', async () => {
  const corpus = await loadRealCorpus();

  test('gives 36 reports: the 32 of the compilation, Jiangsu’s PDF copy and three cities', () => {
    assert.equal(corpus.reports.length, 36);
    assert.equal(corpus.reports.filter((report) => report.sourceFile === RAW_FILES.compilation).length, 32);
    const ids = corpus.reports.map((report) => report.id);
    assert.equal(new Set(ids).size, ids.length, 'ids are unique');
    for (const id of ['jiangsu-2024-pdf', 'zhenjiang-2024', 'nantong-2024', 'suzhou-2024']) assert.ok(ids.includes(id), id);
  });

  test('the PDF copy is known to repeat the compilation’s Jiangsu report', () => {
    assert.deepEqual([...corpus.duplicates], [['jiangsu-2024-pdf', 'jiangsu-2024']]);
  });

  test('Jiangsu: a province, its title, the date it was delivered and its governor', () => {
    const jiangsu = findReport(corpus, 'jiangsu-2024');
    assert.equal(jiangsu.region, '江苏省');
    assert.equal(jiangsu.level, 'province');
    assert.equal(jiangsu.title, '2024年江苏省政府工作报告');
    assert.equal(jiangsu.date, '2024-01-23');
    assert.ok(jiangsu.speaker?.includes('许昆林'), jiangsu.speaker);
    const copy = findReport(corpus, 'jiangsu-2024-pdf');
    assert.equal(copy.date, '2024-01-23', 'read from `——2024 年 1月 23 日…` in the PDF');
    assert.ok(copy.speaker?.includes('许昆林'), copy.speaker);
  });

  test('the national report is the State Council’s, delivered on 5 March', () => {
    const national = findReport(corpus, 'china-2024');
    assert.equal(national.region, '全国');
    assert.equal(national.level, 'national');
    assert.equal(national.title, '2024年国务院政府工作报告');
    assert.equal(national.date, '2024-03-05');
    assert.ok(national.speaker?.startsWith('国务院总理'));
  });

  test('Sichuan’s date is read despite the stray digit in `——22024年1月22日`', () => {
    assert.ok(compilation.includes('——22024年1月22日在四川省'));
    assert.equal(findReport(corpus, 'sichuan-2024').date, '2024-01-22');
  });

  test('every provincial report has a date and a speaker', () => {
    for (const report of corpus.reports.filter((entry) => entry.level === 'province')) {
      assert.match(report.date ?? '', /^2024-0[1-3]-\d{2}$/, report.id);
      assert.ok(report.speaker, `${report.id} has a speaker`);
    }
  });

  test('Suzhou is a city of Jiangsu, delivered on 16 January by its mayor', () => {
    const suzhou = findReport(corpus, 'suzhou-2024');
    assert.equal(suzhou.region, '苏州市');
    assert.equal(suzhou.level, 'city');
    assert.equal(suzhou.parent, '江苏省');
    assert.equal(suzhou.title, '2024年苏州市政府工作报告');
    assert.equal(suzhou.date, '2024-01-16');
    assert.equal(suzhou.speaker, '市长 吴庆文');
  });

  test('Nantong’s text starts at 各位代表, so it has no date and no speaker', () => {
    const nantong = findReport(corpus, 'nantong-2024');
    assert.equal(nantong.level, 'city');
    assert.equal(nantong.parent, '江苏省');
    assert.ok(nantong.text.startsWith('各位代表：'));
    assert.equal(nantong.date, undefined);
    assert.equal(nantong.speaker, undefined);
  });

  test('Zhenjiang is a city report without date or speaker', () => {
    const zhenjiang = findReport(corpus, 'zhenjiang-2024');
    assert.equal(zhenjiang.level, 'city');
    assert.equal(zhenjiang.parent, '江苏省');
    assert.equal(zhenjiang.date, undefined);
    assert.equal(zhenjiang.speaker, undefined);
  });
});
