// A region's cited summary as GET /api/regions/:region/summary returns it, over the real index: tasks for
// every region, every point verbatim in the source it cites, region names resolved, errors for the rest.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { extractTargets } from '../../src/answer/extract-targets.ts';
import { MAX_POINT_CHARS, summarizeRegion, trimPoint, type SummaryDependencies } from '../../src/answer/summarize-region.ts';
import { openIndex } from '../../src/compose.ts';
import { readConfig } from '../../src/config.ts';
import { listRegions } from '../../src/corpus/regions.ts';
import { Assistant } from '../../src/assistant.ts';
import { AppError } from '../../src/errors.ts';
import { HybridRetriever } from '../../src/retrieval/hybrid-search.ts';
import type { RegionSummary } from '../../src/types.ts';

const DATA_DIR = fileURLToPath(new URL('../../data', import.meta.url));
const INDEX_DIR = fileURLToPath(new URL('../../vectorstore', import.meta.url));

const compact = (text: string): string => text.replace(/\s/g, '');

/** Every point is verbatim in the source it cites; sources are numbered 1..N and all cited. */
function assertCited(summary: RegionSummary): void {
  summary.sources.forEach((source, position) => assert.equal(source.n, position + 1, `${summary.region}: sources numbered in order`));
  const cited = new Set<number>();
  for (const task of summary.tasks) {
    assert.ok(task.points.length > 0, `${summary.region} ${task.heading} has points`);
    assert.equal(task.citations.length, task.points.length, `${summary.region} ${task.heading}: one citation per point`);
    task.points.forEach((point, position) => {
      const n = task.citations[position]!;
      const source = summary.sources[n - 1];
      assert.ok(source, `${summary.region}: [${n}] is a source`);
      assert.equal(source.region, summary.region);
      assert.ok(compact(source.text).includes(compact(point)), `${summary.region}: “${point}” is in [${n}] ${source.id}`);
      cited.add(n);
    });
  }
  for (const row of summary.targets) {
    const source = summary.sources.find((candidate) => candidate.id === row.passageId);
    assert.ok(source, `${summary.region}: the targets passage ${row.passageId} is a source`);
    cited.add(source.n);
  }
  assert.equal(cited.size, summary.sources.length, `${summary.region}: every source is cited`);
}

function assertThrowsCode(run: () => unknown, code: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof AppError);
    assert.equal(error.code, code);
    assert.ok(error.message.length > 20, 'the message says what to do');
    return true;
  });
}

describe('summarizing a region', () => {
  let deps: SummaryDependencies;
  const regions = listRegions().filter((entry) => entry.inCorpus);

  before(async () => {
    const index = await openIndex(readConfig({ DATA_DIR, INDEX_DIR }));
    deps = { index, retriever: new HybridRetriever(index), targets: extractTargets(index) };
  });

  test('all 35 regions in the corpus get cited tasks', () => {
    assert.equal(regions.length, 35);
    for (const entry of regions) {
      const summary = summarizeRegion(deps, entry.name);
      assert.equal(summary.region, entry.name);
      assert.match(summary.title, /^2024年.+政府工作报告$/);
      assert.ok(summary.tasks.length > 0, `${entry.name} has tasks`);
      assert.ok(summary.targets.length > 0, `${entry.name} has targets`);
      assertCited(summary);
      for (const task of summary.tasks) {
        assert.ok(task.heading.length > 0);
        assert.doesNotMatch(task.heading, /[。；]$/, 'headings lose their trailing 。');
        assert.ok(task.points.length <= 2);
        for (const point of task.points) assert.ok(point.length <= MAX_POINT_CHARS, `${entry.name}: “${point}” is short enough`);
      }
    }
  });

  test('北京: the sub-sections of the 2024 plan in report order, nothing from the 2023 review', () => {
    const summary = summarizeRegion(deps, '北京市');
    assert.equal(summary.tasks[0]?.heading, '（一）持续提升首都功能，推动京津冀协同发展取得新的更大进展');
    assert.ok(summary.tasks.some((task) => task.heading.includes('持续提升首都功能')));
    assert.equal(summary.tasks.length, 11);
    for (const source of summary.sources) assert.doesNotMatch(source.section, /回顾/);
  });

  test('湖北: nine key tasks in the priorities and in the chat answer, the fourth included although the report leaves out its （四）', async () => {
    const summary = summarizeRegion(deps, '湖北省');
    assert.equal(summary.tasks.length, 9, summary.tasks.map((task) => task.heading).join(' / '));
    assert.equal(summary.tasks[3]?.heading, '（四）聚焦激发发展动力活力，不断深化高水平改革开放');
    assertCited(summary);
    // The chat answer lists the same nine, the fourth cited to the passage that opens it.
    const { answer, sources } = await new Assistant(deps.index).ask({ question: '湖北今年的重点任务有哪些？', history: [] });
    const lines = answer.split('\n').filter((line) => line.startsWith('- '));
    assert.equal(lines.length, 9, answer);
    const fourth = lines.find((line) => line.includes('聚焦激发发展动力活力'));
    assert.ok(fourth, answer);
    const n = Number(/\[(\d+)\]/.exec(fourth)?.[1]);
    assert.ok(sources[n - 1]?.text.startsWith('聚焦激发发展动力活力'), `[${n}] is the passage that opens the fourth task`);
  });

  test('全国: headings as the report writes them, without the trailing 。', () => {
    const summary = summarizeRegion(deps, '全国');
    assert.equal(summary.tasks[0]?.heading, '（一）大力推进现代化产业体系建设，加快发展新质生产力');
    assert.equal(summary.targets.find((row) => row.indicator === 'gdp_growth')?.value, '5%左右');
  });

  test('镇江 (markdown headings): its targets and its 用力… tasks', () => {
    const summary = summarizeRegion(deps, '镇江');
    assert.equal(summary.region, '镇江市');
    assert.equal(summary.targets.find((row) => row.indicator === 'gdp_growth')?.value, '5.2%以上');
    assert.equal(summary.targets.some((row) => row.indicator === 'cpi'), false);
    assert.ok(summary.tasks.every((task) => task.heading.startsWith('用力')));
    assert.equal(summary.tasks.length, 8);
  });

  test('甘肃 (一要… sub-sections) and 西藏, 四川 (parts without numerals)', () => {
    assert.match(summarizeRegion(deps, '甘肃省').tasks[0]?.heading ?? '', /^一要更大力度/);
    for (const name of ['西藏', '四川']) {
      const summary = summarizeRegion(deps, name);
      assert.ok(summary.tasks.length >= 7, `${name} has its sub-sections`);
      assert.match(summary.tasks[0]?.heading ?? '', /^（一）/);
    }
  });

  test('points prefer concrete measures with figures', () => {
    const summary = summarizeRegion(deps, '北京市');
    const withFigures = summary.tasks.flatMap((task) => task.points).filter((point) => /\d/.test(point));
    assert.ok(withFigures.length >= summary.tasks.length, `${withFigures.length} points with figures in ${summary.tasks.length} tasks`);
  });

  test('English and short names resolve; Jiangsu cites the original report, not the PDF copy', () => {
    const summary = summarizeRegion(deps, 'Jiangsu');
    assert.equal(summary.region, '江苏省');
    assert.ok(summary.sources.every((source) => source.id.startsWith('jiangsu-2024#')));
    assert.deepEqual(summarizeRegion(deps, '江苏'), summary);
    assert.equal(summarizeRegion(deps, 'Inner Mongolia').region, '内蒙古自治区');
  });

  test('the summary names its report year and the years the region has; asking for that year gives the same summary', () => {
    const summary = summarizeRegion(deps, '江苏');
    assert.deepEqual([summary.year, summary.years], [2024, [2024]]);
    assert.deepEqual(summarizeRegion(deps, '江苏', 2024), summary);
    assert.throws(() => summarizeRegion(deps, '江苏', 2025), (error: AppError) => error.code === 'not_found' && /no 2025 report for 江苏省; the years it holds for 江苏省 are 2024\./.test(error.message));
  });

  test('a region without a report in the corpus, and an unknown name, are errors a user can act on', () => {
    assertThrowsCode(() => summarizeRegion(deps, '香港'), 'region_not_in_corpus');
    assertThrowsCode(() => summarizeRegion(deps, '南京市'), 'region_not_in_corpus');
    assertThrowsCode(() => summarizeRegion(deps, '火星'), 'not_found');
    assertThrowsCode(() => summarizeRegion(deps, ''), 'not_found');
  });

  test('without sub-sections, the parts of the 2024 plan stand in', () => {
    class NoSubSections extends HybridRetriever {
      override sectionLeads(): number[] {
        return [];
      }
    }
    const summary = summarizeRegion({ ...deps, retriever: new NoSubSections(deps.index) }, '西藏自治区');
    assert.ok(summary.tasks.length > 0);
    assert.equal(summary.tasks[0]?.heading, '2024年工作安排');
    assert.ok(summary.tasks.every((task) => !/回顾/.test(task.heading)));
    assertCited(summary);
  });

  test('deterministic and fast (< 30 ms a region)', () => {
    const started = performance.now();
    const first = regions.map((entry) => summarizeRegion(deps, entry.name));
    const elapsed = performance.now() - started;
    assert.ok(elapsed / regions.length < 30, `${(elapsed / regions.length).toFixed(1)} ms a region`);
    assert.deepEqual(
      regions.map((entry) => summarizeRegion(deps, entry.name)),
      first,
    );
  });
});

describe('trimming a long sentence to a point', () => {
  test('cuts at the last clause boundary under the limit and keeps short sentences whole', () => {
    const sentence =
      '加快城市副中心高质量发展步伐，继续保持千亿级投资强度，启动东六环高线公园建设，实现副中心站综合交通枢纽主体工程基本完工、东六环入地改造项目具备通车条件，实施轨道交通101线、22号线等重大项目，实现厂通路建成通车。';
    const point = trimPoint(sentence, 60);
    assert.equal(point, '加快城市副中心高质量发展步伐，继续保持千亿级投资强度，启动东六环高线公园建设');
    assert.ok(sentence.startsWith(point!));
    assert.equal(trimPoint('新增中小学学位2万个。'), '新增中小学学位2万个。');
    assert.equal(trimPoint('新签约亿元以上产业项目总投资额达到1800亿元;'), '新签约亿元以上产业项目总投资额达到1800亿元');
  });
});
