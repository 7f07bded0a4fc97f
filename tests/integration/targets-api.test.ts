// The targets table over HTTP against a real server on port 0: filters by indicator, region (name, alias,
// English, group) and level, the report year, bad filters, and the CSV export as Excel reads it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { verifiedTargetsSchema } from '../../src/answer/extract-targets.ts';
import { startServer, type RunningServer } from '../../src/main.ts';
import type { TargetRow } from '../../src/types.ts';

const DATA_DIR = fileURLToPath(new URL('../../data', import.meta.url));
const INDEX_DIR = fileURLToPath(new URL('../../vectorstore', import.meta.url));
const verified = verifiedTargetsSchema.parse(JSON.parse(readFileSync(new URL('../fixtures/targets-verified.json', import.meta.url), 'utf8')));

interface TargetsBody {
  regions: { region: string; level?: string; targets: TargetRow[] }[];
}

/** The hand-verified value of a region's indicator (scope all). */
const fixtureValue = (region: string, indicator: string, scope = 'all'): string | undefined =>
  verified.regions.find((entry) => entry.region === region)?.targets.find((target) => target.indicator === indicator && target.scope === scope)?.value;

/** Splits one CSV line into fields (quoted fields may hold commas and doubled quotes). */
function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let position = 0; position < line.length; position++) {
    const character = line[position]!;
    if (quoted) {
      if (character === '"' && line[position + 1] === '"') {
        field += '"';
        position++;
      } else if (character === '"') quoted = false;
      else field += character;
    } else if (character === '"') quoted = true;
    else if (character === ',') {
      fields.push(field);
      field = '';
    } else field += character;
  }
  fields.push(field);
  return fields;
}

describe('GET /api/targets and /api/targets.csv', () => {
  let server: RunningServer;
  const get = (path: string): Promise<Response> => fetch(`${server.url}${path}`);

  before(async () => {
    server = await startServer({ port: 0, host: '127.0.0.1', env: { RATE_LIMIT_PER_MINUTE: '0', DATA_DIR, INDEX_DIR } });
    await server.ready;
  });
  after(async () => {
    await server?.close();
  });

  test('without filters: every region, rows keep the contract fields and add number, unit, qualifier, scope, year, quote', async () => {
    const body = (await (await get('/api/targets')).json()) as TargetsBody;
    assert.equal(body.regions.length, verified.regions.length);
    const jiangsu = body.regions.find((entry) => entry.region === '江苏省');
    const gdp = jiangsu?.targets.find((row) => row.indicator === 'gdp_growth');
    assert.equal(gdp?.value, fixtureValue('江苏省', 'gdp_growth'));
    assert.equal(jiangsu?.level, 'province');
    assert.deepEqual([gdp?.number, gdp?.unit, gdp?.qualifier, gdp?.scope, gdp?.year], [5, '%', '以上', 'all', 2024]);
    assert.ok(gdp?.quote?.includes(gdp.value) && gdp.passageId.startsWith('jiangsu-2024'));
  });

  test('?indicator=income&region=安徽 gives the urban and the rural row, each as the fixture reads it', async () => {
    const body = (await (await get(`/api/targets?indicator=income&region=${encodeURIComponent('安徽')}`)).json()) as TargetsBody;
    assert.deepEqual(body.regions.map((entry) => entry.region), ['安徽省']);
    assert.deepEqual(
      body.regions[0]!.targets.map((row) => [row.scope, row.value]),
      [
        ['urban', fixtureValue('安徽省', 'income', 'urban')],
        ['rural', fixtureValue('安徽省', 'income', 'rural')],
      ],
    );
  });

  test('a region group and an English name both filter; level=city keeps the three cities', async () => {
    const group = (await (await get(`/api/targets?indicator=gdp_growth&region=${encodeURIComponent('东北三省')}`)).json()) as TargetsBody;
    assert.deepEqual(group.regions.map((entry) => entry.region), ['辽宁省', '吉林省', '黑龙江省']);
    const english = (await (await get('/api/targets?region=Fujian&indicator=exports,trade')).json()) as TargetsBody;
    assert.deepEqual(english.regions[0]?.targets.map((row) => [row.indicator, row.value]), [['exports', fixtureValue('福建省', 'exports')]]);
    const cities = (await (await get('/api/targets?level=city')).json()) as TargetsBody;
    assert.deepEqual(cities.regions.map((entry) => entry.region), ['苏州市', '南通市', '镇江市']);
  });

  test('an indicator may be named as the reports and questions name it: CPI, 居民消费价格, 物价 are cpi', async () => {
    const ids = async (indicator: string): Promise<string[]> =>
      ((await (await get(`/api/targets?region=${encodeURIComponent('长三角')}&indicator=${encodeURIComponent(indicator)}`)).json()) as TargetsBody).regions.flatMap((entry) => entry.targets.map((row) => `${entry.region} ${row.indicator}`));
    const expected = ['上海市 cpi', '江苏省 cpi', '浙江省 cpi', '安徽省 cpi'];
    for (const indicator of ['cpi', 'CPI', '居民消费价格', '物价']) assert.deepEqual(await ids(indicator), expected, indicator);
    assert.deepEqual(await ids('GDP,cpi'), ['上海市 gdp_growth', '上海市 cpi', '江苏省 gdp_growth', '江苏省 cpi', '浙江省 gdp_growth', '浙江省 cpi', '安徽省 gdp_growth', '安徽省 cpi']);
  });

  test('a filtered CSV is named for its filter, not as the whole table', async () => {
    const csv = await get(`/api/targets.csv?indicator=CPI&level=province&region=${encodeURIComponent('长三角')}`);
    assert.match(csv.headers.get('content-disposition') ?? '', /filename="targets-2024-cpi-province\.csv"; filename\*=UTF-8''2024%E5%B9%B4.*-cpi-province-%E9%95%BF%E4%B8%89%E8%A7%92\.csv/);
  });

  test('an unknown indicator, region or level is a 400 naming what is accepted', async () => {
    for (const query of ['indicator=happiness', 'region=Atlantis', 'level=county']) {
      const response = await get(`/api/targets?${query}`);
      assert.equal(response.status, 400, query);
      const body = (await response.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'invalid_input');
      assert.match(body.error.message, /indicator must be one of .*gdp_growth|neither a region|level must be/);
    }
    assert.equal((await get('/api/targets.csv?level=county')).status, 400);
  });

  test('the CSV starts with a BOM, has one row per target with its quote and passage id, and follows the filters', async () => {
    const all = await get('/api/targets.csv');
    assert.match(all.headers.get('content-type') ?? '', /^text\/csv; charset=utf-8/);
    assert.match(all.headers.get('content-disposition') ?? '', /attachment; filename="targets-2024\.csv"/);
    const bytes = new Uint8Array(await all.arrayBuffer());
    assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).trimEnd().split('\r\n');
    const header = parseCsvLine(lines[0]!);
    assert.deepEqual(header.slice(0, 6), ['region', 'level', 'indicator', 'label', 'scope', 'value']);
    const json = (await (await get('/api/targets')).json()) as TargetsBody;
    assert.equal(lines.length - 1, json.regions.reduce((sum, entry) => sum + entry.targets.length, 0));
    const column = (name: string): number => header.indexOf(name);
    const anhui = lines.map(parseCsvLine).find((fields) => fields[0] === '安徽省' && fields[column('indicator')] === 'income' && fields[column('scope')] === 'rural');
    assert.ok(anhui, 'Anhui rural income is a row');
    assert.equal(anhui[column('value')], fixtureValue('安徽省', 'income', 'rural'));
    // The quote holds commas inside a quoted field and is read back whole.
    assert.equal(anhui[column('quote')], '城镇、农村常住居民人均可支配收入分别增长6.5%、7.5%');
    assert.match(anhui[column('passage_id')] ?? '', /^anhui-2024#p\d+$/);

    const filtered = new TextDecoder().decode(await (await get(`/api/targets.csv?indicator=gdp_growth&region=${encodeURIComponent('京津冀')}`)).arrayBuffer());
    const rows = filtered.replace(/^\uFEFF/, '').trimEnd().split('\r\n').slice(1).map(parseCsvLine);
    assert.deepEqual(rows.map((fields) => [fields[0], fields[column('value')]]), ['北京市', '天津市', '河北省'].map((region) => [region, fixtureValue(region, 'gdp_growth')]));
  });

  test('the years the corpus holds are listed, each entry names its report, and ?year=2024 is the default table', async () => {
    const body = (await (await get('/api/targets')).json()) as TargetsBody & { years: number[]; year?: number };
    assert.deepEqual(body.years, [2024]);
    assert.equal(body.year, undefined, 'no year asked for, none echoed');
    const jiangsu = body.regions.find((entry) => entry.region === '江苏省') as { year?: number; title?: string; reportId?: string } | undefined;
    assert.deepEqual([jiangsu?.year, jiangsu?.title, jiangsu?.reportId], [2024, '2024年江苏省政府工作报告', 'jiangsu-2024']);
    const of2024 = (await (await get('/api/targets?year=2024')).json()) as TargetsBody & { years: number[]; year?: number };
    assert.equal(of2024.year, 2024);
    assert.deepEqual(of2024.regions, body.regions);
    const csv = await get('/api/targets.csv?year=2024');
    assert.match(csv.headers.get('content-disposition') ?? '', /filename="targets-2024\.csv"; filename\*=UTF-8''2024%E5%B9%B4/);
  });

  test('?year= must be four digits (400); a year no report is of is a 404 naming the years held, for JSON and CSV', async () => {
    for (const query of ['year=24', 'year=20245', 'year=abcd', 'year=2024&year=2025']) {
      const response = await get(`/api/targets?${query}`);
      assert.equal(response.status, 400, query);
      const body = (await response.json()) as { error: { code: string; message: string } };
      assert.deepEqual([body.error.code, body.error.message], ['invalid_input', 'year must be four digits (a report year)'], query);
    }
    for (const path of ['/api/targets?year=2025', '/api/targets.csv?year=2025']) {
      const response = await get(path);
      assert.equal(response.status, 404, path);
      const body = (await response.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'not_found');
      assert.match(body.error.message, /no report of 2025; it holds reports of 2024\./);
    }
  });
});
