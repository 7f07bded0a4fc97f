// Several years of a region's reports (Jiangsu 2024 from the seed excerpts, Jiangsu 2025 from a fixture
// clearly marked as test data): 今年 is the latest year, a written year goes to its report, 去年 to the
// review and the previous report, a question across years reads both, a year a region lacks is refused;
// the targets table and the priorities are of a year's reports, by default of each region's latest.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Assistant } from '../../src/assistant.ts';
import { readDocument } from '../../src/corpus/read-document.ts';
import { buildUserReport } from '../../src/corpus/user-report.ts';
import { buildIndex, loadIndex } from '../../src/index/index-store.ts';
import { addReports } from '../../src/index/update-index.ts';
import { startServer, type RunningServer } from '../../src/main.ts';

const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/mini-corpus/', import.meta.url));
const NANTONG_FILE = fileURLToPath(new URL('../../data/003_e36d639f412a290e.txt', import.meta.url));
const JIANGSU_2025 = fileURLToPath(new URL('../fixtures/multi-year/jiangsu-2025-test.txt', import.meta.url));
let workDir: string;
let settings: { dataDir: string; indexDir: string; embedder: { kind: 'lsa' } };
let assistant: Assistant;

before(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'gov-report-years-'));
  settings = { dataDir: path.join(workDir, 'data'), indexDir: path.join(workDir, 'vectorstore'), embedder: { kind: 'lsa' as const } };
  await cp(FIXTURE_DIR, settings.dataDir, { recursive: true });
  await buildIndex(settings);
  const document = await readDocument({ bytes: await readFile(JIANGSU_2025), fileName: 'jiangsu-2025-test.txt' });
  await addReports(settings, [{ document, report: buildUserReport(document) }]);
  // Test data: Nantong's 2024 text under a made-up title, as a report of a county-level city the table lacks.
  const nantong = (await readFile(NANTONG_FILE, 'utf8')).replaceAll('南通', '昆山');
  const kunshan = await readDocument({ bytes: new TextEncoder().encode(`2025年昆山市政府工作报告\n${nantong}`), fileName: 'kunshan-test.txt' });
  await addReports(settings, [{ document: kunshan, report: buildUserReport(kunshan) }]);
  assistant = new Assistant(await loadIndex(settings));
});
after(async () => {
  await rm(workDir, { recursive: true, force: true });
});

const reportsOf = (passages: { passage: { reportId: string } }[]): string[] => [...new Set(passages.map((hit) => hit.passage.reportId))].sort();

describe('a region with reports of two years', () => {
  test('the corpus knows Jiangsu’s years', () => {
    assert.deepEqual(assistant.retriever.yearsOf('江苏省'), [2024, 2025]);
  });

  test('今年 means the latest report (2025), and the answer quotes its target, not 2024’s', async () => {
    const retrieval = await assistant.retriever.retrieve({ question: '江苏今年GDP增长目标是多少？' });
    assert.deepEqual(reportsOf(retrieval.passages), ['jiangsu-2025']);
    assert.deepEqual(retrieval.years, [{ region: '江苏省', present: [2024, 2025], used: [2025], planOnly: [], uncovered: [] }]);
    const answer = await assistant.ask({ question: '江苏今年GDP增长目标是多少？' });
    assert.match(answer.answer, /5\.5%左右/);
    assert.doesNotMatch(answer.answer, /5%以上/);
    assert.ok(answer.sources.every((source) => source.id.startsWith('jiangsu-2025#')), 'every source is from the 2025 report');
  });

  test('the targets table, the priorities and the region list are of the latest report', async () => {
    const jiangsu = assistant.targets().find((entry) => entry.region === '江苏省');
    assert.ok(jiangsu && jiangsu.targets.length > 0);
    assert.ok(jiangsu.targets.every((row) => row.passageId.startsWith('jiangsu-2025#')), 'every target row cites the 2025 report');
    assert.ok(jiangsu.targets.some((row) => row.value.includes('5.5%左右')));
    const summary = await assistant.summary('江苏');
    assert.equal(summary.title, '2025年江苏省政府工作报告');
    assert.equal(assistant.regions().find((region) => region.region === '江苏省')?.title, '2025年江苏省政府工作报告');
  });

  test('the targets table of a year: 2024 cites the 2024 report, 2025 the 2025 report, each entry naming its year', () => {
    const of = (year?: number) => assistant.targets(year).find((entry) => entry.region === '江苏省');
    const earlier = of(2024);
    const later = of(2025);
    assert.ok(earlier && earlier.targets.length > 0 && later && later.targets.length > 0);
    assert.deepEqual([earlier.year, earlier.reportId, earlier.title], [2024, 'jiangsu-2024', '2024年江苏省政府工作报告']);
    assert.deepEqual([later.year, later.reportId, later.title], [2025, 'jiangsu-2025', '2025年江苏省政府工作报告']);
    assert.ok(earlier.targets.every((row) => row.passageId.startsWith('jiangsu-2024#') && row.year === 2024), 'every 2024 row cites the 2024 report');
    assert.ok(later.targets.every((row) => row.passageId.startsWith('jiangsu-2025#') && row.year === 2025), 'every 2025 row cites the 2025 report');
    assert.equal(earlier.targets.find((row) => row.indicator === 'gdp_growth')?.value, '5%以上');
    assert.equal(later.targets.find((row) => row.indicator === 'gdp_growth')?.value, '5.5%左右');
    // Without a year: each region's latest report, as before.
    assert.deepEqual(of(), later);
    assert.equal(assistant.targets().find((entry) => entry.region === '全国')?.year, 2024);
  });

  test('a year no region has a report of leaves the table of that year empty; a region without the year is left out of it', () => {
    assert.deepEqual(assistant.targets(2023), []);
    const regions2025 = assistant.targets(2025).map((entry) => entry.region);
    assert.ok(regions2025.includes('江苏省') && !regions2025.includes('全国') && !regions2025.includes('四川省'), regions2025.join());
    assert.deepEqual(assistant.years(), [2024, 2025]);
  });

  test('the priorities of a year: its report’s title, targets and tasks, and the years the region has', async () => {
    const earlier = await assistant.summary('江苏', { year: 2024 });
    const later = await assistant.summary('Jiangsu', { year: 2025 });
    const latest = await assistant.summary('江苏省');
    assert.deepEqual([earlier.title, earlier.year, earlier.years], ['2024年江苏省政府工作报告', 2024, [2024, 2025]]);
    assert.deepEqual([later.title, later.year, later.years], ['2025年江苏省政府工作报告', 2025, [2024, 2025]]);
    assert.deepEqual(latest, later, 'without a year: the latest report');
    assert.ok(earlier.sources.length > 0 && earlier.sources.every((source) => source.id.startsWith('jiangsu-2024#')), 'the 2024 priorities cite only the 2024 report');
    assert.ok(later.sources.length > 0 && later.sources.every((source) => source.id.startsWith('jiangsu-2025#')), 'the 2025 priorities cite only the 2025 report');
    const gdp = (summary: typeof earlier): string | undefined => summary.targets.find((row) => row.indicator === 'gdp_growth')?.value;
    assert.deepEqual([gdp(earlier), gdp(later)], ['5%以上', '5.5%左右']);
    assert.ok(later.tasks.some((task) => task.heading.includes('着力扩大内需')), later.tasks.map((task) => task.heading).join(' | '));
    assert.ok(!earlier.tasks.some((task) => task.heading.includes('着力扩大内需')), 'the 2025 tasks are not the 2024 priorities');
  });

  test('the priorities of a year the region lacks: not found, naming the years it has', async () => {
    await assert.rejects(assistant.summary('江苏', { year: 2026 }), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'not_found');
      assert.match(error.message, /no 2026 report for 江苏省; the years it holds for 江苏省 are 2024, 2025/);
      return true;
    });
    await assert.rejects(assistant.summary('四川', { year: 2025 }), /no 2025 report for 四川省; the years it holds for 四川省 are 2024\b/);
  });

  test('a written year goes to that year’s report', async () => {
    const retrieval = await assistant.retriever.retrieve({ question: '江苏2024年GDP增长目标是多少？' });
    assert.deepEqual(reportsOf(retrieval.passages), ['jiangsu-2024']);
    const answer = await assistant.ask({ question: '江苏2024年GDP增长目标是多少？' });
    assert.match(answer.answer, /5%以上/);
  });

  test('a question across years reads both reports', async () => {
    const retrieval = await assistant.retriever.retrieve({ question: '江苏2025年GDP目标比2024年高吗？', k: 6 });
    assert.deepEqual(reportsOf(retrieval.passages), ['jiangsu-2024', 'jiangsu-2025']);
    assert.deepEqual(retrieval.years[0]?.used, [2025, 2024]);
    const answer = await assistant.ask({ question: '江苏2025年GDP目标比2024年高吗？' });
    assert.match(answer.answer, /《2025年江苏省政府工作报告》：[^\n]*地区生产总值增长5\.5%左右 \[\d\]/, 'the 2025 figure under its own report');
    assert.match(answer.answer, /《2024年江苏省政府工作报告》：[^\n]*地区生产总值增长5%以上 \[\d\]/, 'the 2024 figure under its own report');
  });

  test('去年 goes to the latest report’s review and to the previous year’s report', async () => {
    const retrieval = await assistant.retriever.retrieve({ question: '江苏去年地区生产总值增长了多少？', k: 6 });
    assert.deepEqual(retrieval.years[0]?.used, [2025], 'an outcome: only the latest report’s review has it');
    assert.ok(retrieval.passages.some((hit) => hit.passage.reportId === 'jiangsu-2025' && hit.passage.part === 'review' && hit.passage.text.includes('增长5.8%')));
    assert.ok(!retrieval.passages.some((hit) => hit.passage.reportId === 'jiangsu-2024' && hit.passage.part === 'review'), 'the 2024 report’s review is of 2023');
    const target = await assistant.retriever.retrieve({ question: '江苏去年的GDP目标是多少？', k: 6 });
    assert.deepEqual(target.years[0]?.used, [2025, 2024]);
    assert.deepEqual(target.years[0]?.planOnly, [2024]);
    assert.ok(target.passages.filter((hit) => hit.passage.reportId === 'jiangsu-2024').every((hit) => hit.passage.part === 'plan'));
  });

  test('去年的目标 is the previous year’s report’s target, not the latest report’s review of its outcome', async () => {
    const answer = await assistant.ask({ question: '江苏去年的GDP目标是多少？' });
    assert.match(answer.answer, /地区生产总值增长5%以上/, 'the 2024 report’s target');
    assert.doesNotMatch(answer.answer, /增长5\.8%/, 'not the 2024 outcome the 2025 review gives');
  });

  test('a year a region has no report for is not answered from another year', async () => {
    const answer = await assistant.ask({ question: '四川2025年GDP增长目标是多少？' });
    assert.equal(answer.grounded, false);
    assert.match(answer.answer, /2024年四川省政府工作报告/, 'the refusal names the latest report Sichuan has');
    const later = await assistant.ask({ question: '江苏2026年GDP增长目标是多少？' });
    assert.equal(later.grounded, false);
    assert.match(later.answer, /没有江苏省2026年的政府工作报告（现有2024、2025年的报告）/, 'the refusal names the years held');
  });
});

describe('a region the table does not know, from a report a user added', () => {
  test('it is recognized in questions and answered from its own report', async () => {
    const answer = await assistant.ask({ question: '昆山今年地区生产总值增长目标是多少？' });
    assert.equal(answer.grounded, true);
    assert.match(answer.answer, /《2025年昆山市政府工作报告》/);
    assert.match(answer.answer, /地区生产总值增长5\.5%以上/);
    assert.ok(answer.sources.length > 0 && answer.sources.every((source) => source.region === '昆山市'));
    assert.ok(assistant.regions().some((region) => region.region === '昆山市' && region.inCorpus));
  });
});

describe('the targets table and the priorities of a year over HTTP', () => {
  let server: RunningServer;
  const get = (path: string): Promise<Response> => fetch(`${server.url}${path}`);
  interface TargetsBody {
    regions: { region: string; year?: number; reportId?: string; targets: { passageId: string; indicator: string; value: string }[] }[];
    years: number[];
    year?: number;
  }
  const jiangsuOf = (body: TargetsBody) => body.regions.find((entry) => entry.region === '江苏省');

  before(async () => {
    server = await startServer({ port: 0, host: '127.0.0.1', env: { RATE_LIMIT_PER_MINUTE: '0', DATA_DIR: settings.dataDir, INDEX_DIR: settings.indexDir } });
    await server.ready;
  });
  after(async () => {
    await server?.close();
  });

  test('GET /api/targets lists both years; ?year= picks the report each row cites', async () => {
    const latest = (await (await get('/api/targets')).json()) as TargetsBody;
    assert.deepEqual(latest.years, [2024, 2025]);
    assert.deepEqual([jiangsuOf(latest)?.year, latest.regions.find((entry) => entry.region === '全国')?.year], [2025, 2024], 'each region’s latest');
    const earlier = (await (await get(`/api/targets?year=2024&region=${encodeURIComponent('江苏')}`)).json()) as TargetsBody;
    assert.equal(earlier.year, 2024);
    assert.deepEqual([jiangsuOf(earlier)?.year, jiangsuOf(earlier)?.reportId], [2024, 'jiangsu-2024']);
    assert.ok(jiangsuOf(earlier)!.targets.every((row) => row.passageId.startsWith('jiangsu-2024#')));
    const later = (await (await get('/api/targets?year=2025&indicator=gdp_growth')).json()) as TargetsBody;
    assert.deepEqual(later.regions.map((entry) => entry.region), ['江苏省', '昆山市'], 'only the regions with a 2025 report');
    assert.ok(jiangsuOf(later)!.targets.every((row) => row.passageId.startsWith('jiangsu-2025#') && row.value === '5.5%左右'));
    const missing = await get('/api/targets?year=2023');
    assert.equal(missing.status, 404);
    assert.match(((await missing.json()) as { error: { message: string } }).error.message, /no report of 2023; it holds reports of 2024, 2025\./);
  });

  test('the CSV is named for the year used: the year asked for, else the years of its rows', async () => {
    const later = await get('/api/targets.csv?year=2025');
    assert.match(later.headers.get('content-disposition') ?? '', /filename="targets-2025\.csv"; filename\*=UTF-8''2025%E5%B9%B4/);
    const text = new TextDecoder().decode(await later.arrayBuffer());
    assert.match(text, /jiangsu-2025#p\d+/);
    assert.doesNotMatch(text, /jiangsu-2024#|china-2024#/);
    assert.match(new TextDecoder().decode(await (await get('/api/targets.csv')).arrayBuffer()), /china-2024#p\d+/, 'the national rows are in the default table');
    const mixed = await get('/api/targets.csv');
    assert.match(mixed.headers.get('content-disposition') ?? '', /filename="targets-2024-2025\.csv"/, 'national 2024 with Jiangsu 2025');
    const jiangsuOnly = await get(`/api/targets.csv?region=${encodeURIComponent('江苏')}`);
    assert.match(jiangsuOnly.headers.get('content-disposition') ?? '', /filename="targets-2025\.csv"/);
  });

  test('GET /api/regions/:region/summary?year= gives that year’s priorities with year and years; a year it lacks is a 404 naming them', async () => {
    const earlier = (await (await get(`/api/regions/${encodeURIComponent('江苏')}/summary?year=2024`)).json()) as { title: string; year: number; years: number[]; sources: { id: string }[] };
    assert.deepEqual([earlier.title, earlier.year, earlier.years], ['2024年江苏省政府工作报告', 2024, [2024, 2025]]);
    assert.ok(earlier.sources.every((source) => source.id.startsWith('jiangsu-2024#')));
    const latest = (await (await get('/api/regions/Jiangsu/summary')).json()) as { title: string; year: number };
    assert.deepEqual([latest.title, latest.year], ['2025年江苏省政府工作报告', 2025]);
    const missing = await get(`/api/regions/${encodeURIComponent('江苏')}/summary?year=2026`);
    assert.equal(missing.status, 404);
    const body = (await missing.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'not_found');
    assert.match(body.error.message, /the years it holds for 江苏省 are 2024, 2025/);
    const malformed = await get('/api/regions/Jiangsu/summary?year=twenty');
    assert.equal(malformed.status, 400);
    assert.match(((await malformed.json()) as { error: { message: string } }).error.message, /year must be four digits/);
  });
});
