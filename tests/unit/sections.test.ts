// Report structure: the parts and sub-sections a cited passage is labelled with, on real reports.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PREAMBLE_HEADING, findSections, readHeading, readMetadata, sectionPathAt } from '../../src/corpus/parse-report.ts';
import type { Report } from '../../src/types.ts';
import { findReport, loadRealCorpus, offsetOf } from './real-corpus.ts';

const corpus = await loadRealCorpus();

const parts = (report: Report): string[] => report.sections.filter((section) => section.level === 1).map((section) => section.heading);
const subSections = (report: Report, part?: string): string[] => {
  const parent = report.sections.find((section) => section.level === 1 && section.heading === part);
  return report.sections
    .filter((section) => section.level === 2 && (!parent || (parent.start <= section.start && section.end <= parent.end)))
    .map((section) => section.heading);
};

describe('sections of real reports', () => {
  test('national: three parts, and the ten tasks of 2024 inside the third', () => {
    const national = findReport(corpus, 'china-2024');
    assert.deepEqual(parts(national), ['一、2023年工作回顾', '二、2024年经济社会发展总体要求和政策取向', '三、2024年政府工作任务']);
    const tasks = subSections(national, '三、2024年政府工作任务');
    assert.equal(tasks.length, 10);
    assert.equal(tasks[0], '（一）大力推进现代化产业体系建设，加快发展新质生产力。');
    assert.equal(tasks[6], '（七）坚持不懈抓好“三农”工作，扎实推进乡村全面振兴。');
    assert.equal(tasks[9], '（十）切实保障和改善民生，加强和创新社会治理。');
    assert.deepEqual(subSections(national, '一、2023年工作回顾'), [], '`一是…` paragraphs of the review are not sub-sections');
  });

  test('Jiangsu: six review sub-sections, none in the targets part, ten key tasks', () => {
    const jiangsu = findReport(corpus, 'jiangsu-2024');
    assert.deepEqual(parts(jiangsu), ['一、2023年工作回顾', '二、2024年工作总体要求和目标任务', '三、2024年重点工作']);
    assert.equal(subSections(jiangsu, '一、2023年工作回顾').length, 6);
    assert.deepEqual(subSections(jiangsu, '二、2024年工作总体要求和目标任务'), []);
    const tasks = subSections(jiangsu, '三、2024年重点工作');
    assert.equal(tasks.length, 10);
    assert.equal(tasks[3], '（四）高水平建设农业强省。', 'a run-in heading is its first sentence, not the whole paragraph');
  });

  test('Hubei: the key task whose （四） the report leaves out is read by the sequence of the headings', () => {
    const hubei = findReport(corpus, 'hubei-2024');
    const tasks = subSections(hubei, '二、2024年工作思路和重点任务');
    assert.equal(tasks.length, 9, tasks.join(' / '));
    assert.equal(tasks[2], '（三）聚焦持续扩大有效需求，推动形成消费和投资相互促进的良性循环。');
    assert.equal(tasks[3], '（四）聚焦激发发展动力活力，不断深化高水平改革开放。');
    assert.equal(tasks[4], '（五）聚焦强化区域协同融通，促进城市和产业集中高质量发展。');
    const fourth = hubei.sections.find((section) => section.heading.startsWith('（四）聚焦'))!;
    assert.equal(fourth.inferred, true);
    const inferred = corpus.reports.flatMap((report) => report.sections.filter((section) => section.inferred).map((section) => `${report.id} ${section.heading}`));
    assert.deepEqual(inferred, ['hubei-2024 （四）聚焦激发发展动力活力，不断深化高水平改革开放。'], 'no other heading of the corpus is inferred');
    assert.ok(hubei.text.slice(fourth.start).startsWith('聚焦激发发展动力活力'), 'the section starts at the unmarked paragraph');
    assert.deepEqual(sectionPathAt(hubei, offsetOf(hubei, '全年新增贷款8000亿元以上')), ['二、2024年工作思路和重点任务', '（四）聚焦激发发展动力活力，不断深化高水平改革开放。']);
    assert.deepEqual(sectionPathAt(hubei, offsetOf(hubei, '扩大新能源汽车、光电子信息等优势产品出口')).at(-1), '（四）聚焦激发发展动力活力，不断深化高水平改革开放。');
  });

  test('a gap is filled only by paragraphs that open like their siblings, and only when as many are found as are missing', () => {
    const report = (middle: string): string =>
      ['二、2024年重点任务', '（一）聚焦科技创新，建设创新高地。今年要做好三件事。', '（二）聚焦产业升级，建设制造强省。推进技改。', middle, '（四）聚焦民生保障，办好民生实事。新增就业50万人。', '（五）聚焦安全发展，守牢底线。防范风险。'].join('\n');
    const headings = (text: string): string[] => findSections(text, 'compilation').filter((section) => section.level === 2).map((section) => section.heading);
    assert.deepEqual(headings(report('聚焦改革开放，激发市场活力。深化国企改革。')).slice(2, 3), ['（三）聚焦改革开放，激发市场活力。']);
    assert.equal(headings(report('同时要深化国企改革，优化营商环境。')).length, 4, 'a paragraph that does not open like its siblings is left alone');
    assert.equal(headings(report('聚焦改革开放，激发市场活力。深化改革。\n聚焦对外开放，稳住外贸。扩大开放。')).length, 4, 'two candidates for one gap: none is guessed');
  });

  test('the PDF copy of Jiangsu has the same structure as the compilation’s', () => {
    const headings = (report: Report): string[] => report.sections.map((section) => `${section.level}:${section.heading}`);
    assert.deepEqual(headings(findReport(corpus, 'jiangsu-2024-pdf')), headings(findReport(corpus, 'jiangsu-2024')));
  });

  test('Sichuan: parts written without numerals (`2023年工作回顾`) are still parts', () => {
    const sichuan = findReport(corpus, 'sichuan-2024');
    assert.deepEqual(parts(sichuan), ['2023年工作回顾', '2024年工作安排建议', '加强政府自身建设']);
    const plan = subSections(sichuan, '2024年工作安排建议');
    assert.equal(plan.length, 10);
    assert.equal(plan[0], '（一）推动成渝地区双城经济圈建设走深走实，牵引和带动区域协调发展。');
    assert.deepEqual(subSections(sichuan, '加强政府自身建设'), [
      '（一）树立和践行正确政绩观。',
      '（二）加强行政效能建设。',
      '（三）提高推动高质量发展能力。',
      '（四）坚持崇严尚实作风。',
    ]);
  });

  test('Tibet: bare parts and sub-section headings without a full stop', () => {
    const xizang = findReport(corpus, 'xizang-2024');
    assert.deepEqual(parts(xizang), ['2023年工作回顾', '2024年工作安排']);
    assert.equal(subSections(xizang, '2024年工作安排')[0], '（一）坚持聚人心促团结，全力维护和谐稳定');
  });

  test('Zhenjiang (markdown): headings without punctuation, the eight `用力…` tasks inside 2024年重点工作', () => {
    const zhenjiang = findReport(corpus, 'zhenjiang-2024');
    assert.deepEqual(parts(zhenjiang), ['2024年主要预期目标', '2024年重点工作', '加强政府自身建设']);
    const tasks = subSections(zhenjiang, '2024年重点工作');
    assert.equal(tasks.length, 8);
    assert.ok(tasks.every((heading) => heading.startsWith('用力')), tasks.join(' / '));
    assert.equal(tasks[0], '用力扩大有效供给 厚植实体经济优势');
    assert.deepEqual(subSections(zhenjiang, '加强政府自身建设'), [], 'the short slogans `严守纪律规矩` … are not headings');
  });

  test('Gansu: the key tasks are `一要…` to `八要…` sub-sections', () => {
    const gansu = findReport(corpus, 'gansu-2024');
    assert.deepEqual(parts(gansu), ['一、2023年工作回顾', '二、2024年工作总体要求和预期目标', '三、2024年重点工作', '四、强化政府自身建设']);
    const tasks = subSections(gansu, '三、2024年重点工作');
    assert.equal(tasks.length, 8);
    assert.equal(tasks[0], '一要更大力度实施“四强”行动。');
    assert.equal(tasks[7], '八要更大力度统筹发展安全。');
  });

  test('in every report, sections start at their heading and sub-sections lie inside one part', () => {
    for (const report of corpus.reports) {
      assert.ok(parts(report).length >= 2, `${report.id} has parts`);
      for (const section of report.sections) {
        // A sub-section whose enumerator the sequence supplied starts with the report's words after it.
        const written = section.inferred ? section.heading.replace(/^（[一二三四五六七八九十]{1,3}）/, '') : section.heading;
        assert.ok(report.text.startsWith(written, section.start), `${report.id}: ${section.heading} starts where it says`);
        assert.ok(section.start < section.end && section.end <= report.text.length);
        if (section.level === 2) {
          const parent = report.sections.filter((other) => other.level === 1 && other.start <= section.start && section.end <= other.end);
          assert.equal(parent.length, 1, `${report.id}: ${section.heading} lies in one part`);
        }
      }
      const levelOne = report.sections.filter((section) => section.level === 1);
      levelOne.forEach((section, index) => {
        const next = levelOne[index + 1];
        if (next) assert.equal(section.end, next.start, `${report.id}: a part runs to the next one`);
      });
    }
  });
});

describe('the section path of a passage', () => {
  const jiangsu = findReport(corpus, 'jiangsu-2024');

  test('a grain target in Jiangsu’s key tasks is under part three, sub-section four', () => {
    assert.deepEqual(sectionPathAt(jiangsu, offsetOf(jiangsu, '确保粮食播种面积稳定在8100万亩以上')), ['三、2024年重点工作', '（四）高水平建设农业强省。']);
  });

  test('the targets paragraph sits in part two, which has no sub-sections', () => {
    assert.deepEqual(sectionPathAt(jiangsu, offsetOf(jiangsu, '今年经济社会发展主要预期目标是')), ['二、2024年工作总体要求和目标任务']);
  });

  test('a 2023 figure is labelled with the review sub-section that reports it', () => {
    assert.deepEqual(sectionPathAt(jiangsu, offsetOf(jiangsu, '城镇调查失业率4.6%')), ['一、2023年工作回顾', '（六）强化基层治理和民生保障。']);
  });

  test('the opening address before the first part is the preamble', () => {
    assert.deepEqual(sectionPathAt(jiangsu, offsetOf(jiangsu, '现在，我代表江苏省人民政府向大会报告工作')), [PREAMBLE_HEADING]);
  });

  test('Gansu: a passage on investment is under `二要更大力度促进有效投资。`', () => {
    const gansu = findReport(corpus, 'gansu-2024');
    const heading = '二要更大力度促进有效投资。';
    const inside = gansu.text.indexOf('。', offsetOf(gansu, heading) + heading.length) + 1;
    assert.deepEqual(sectionPathAt(gansu, inside), ['三、2024年重点工作', heading]);
  });
});

describe('reading headings and metadata', () => {
  test('part, sub-section and ordinary paragraphs are told apart', () => {
    assert.deepEqual(readHeading('一、2023年工作回顾', 'compilation'), { heading: '一、2023年工作回顾', level: 1 });
    assert.deepEqual(readHeading('（一）全力推动经济运行率先整体好转。按月调度、按季推进经济运行，年初在全国较早推出“42条”政策举措。', 'compilation'), {
      heading: '（一）全力推动经济运行率先整体好转。',
      level: 2,
    });
    assert.equal(readHeading('经济发展取得新成绩。地区生产总值达12.82万亿元、增长5.8%。', 'compilation'), undefined);
    assert.equal(readHeading('2023年是全面贯彻党的二十大精神的开局之年，我们坚持以习近平新时代中国特色社会主义思想为指导。', 'plain'), undefined);
  });

  test('markdown: a two-part line is a sub-section, a figure list item is not', () => {
    assert.deepEqual(readHeading('用力抓好科技创新 增强持续增长动力', 'markdown'), { heading: '用力抓好科技创新 增强持续增长动力', level: 2 });
    assert.deepEqual(readHeading('2024年重点工作', 'markdown'), { heading: '2024年重点工作', level: 1 });
    assert.equal(readHeading('新申报国家高新技术企业720家以上、备案国家科技型中小企业2000家以上。', 'markdown'), undefined);
    assert.equal(readHeading('严守纪律规矩', 'markdown'), undefined);
  });

  test('date, meeting and speaker are read from the opening lines', () => {
    const text = '——2024年1月16日在市十七届人大三次会议上\n市长 吴庆文\n各位代表：';
    assert.deepEqual(readMetadata(text), { date: '2024-01-16', meeting: '市十七届人大三次会议', speaker: '市长 吴庆文' });
    assert.deepEqual(readMetadata('各位代表：\n现在，我代表市人民政府向大会报告工作，请予审议。'), {});
  });

  test('findSections on a short Sichuan excerpt gives offsets into that text', () => {
    const text = '2023年工作回顾\n刚刚过去的2023年，是全面贯彻党的二十大精神的开局之年。\n2024年工作安排建议\n（一）推动成渝地区双城经济圈建设走深走实，牵引和带动区域协调发展。坚持“一盘棋”思想。';
    const sections = findSections(text, 'compilation');
    assert.deepEqual(
      sections.map((section) => [section.level, section.heading, text.slice(section.start, section.end).length]),
      [
        [1, '2023年工作回顾', text.indexOf('2024年工作安排建议')],
        [1, '2024年工作安排建议', text.length - text.indexOf('2024年工作安排建议')],
        [2, '（一）推动成渝地区双城经济圈建设走深走实，牵引和带动区域协调发展。', text.length - text.indexOf('（一）')],
      ],
    );
  });
});
