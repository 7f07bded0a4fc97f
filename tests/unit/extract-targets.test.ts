// The 2024 targets as a user sees them in GET /api/targets: the clause parser on real target sentences,
// and the extraction over the real index against targets read by hand from the reports.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  extractTargets,
  parseTargetClause,
  parseTargetStatement,
  scoreTargets,
  verifiedTargetsSchema,
  type VerifiedTargets,
} from '../../src/answer/extract-targets.ts';
import { openIndex } from '../../src/compose.ts';
import { readConfig } from '../../src/config.ts';
import { listRegions } from '../../src/corpus/regions.ts';
import type { PassageIndex } from '../../src/index/passage-index.ts';
import type { RegionTargets } from '../../src/types.ts';

const DATA_DIR = fileURLToPath(new URL('../../data', import.meta.url));
const INDEX_DIR = fileURLToPath(new URL('../../vectorstore', import.meta.url));
const FIXTURE = new URL('../fixtures/targets-verified.json', import.meta.url);

const valuesOf = (text: string): Record<string, string> =>
  Object.fromEntries(parseTargetStatement(text).map((target) => [target.indicator, target.value]));

describe('parsing a targets clause', () => {
  test('reads the figure with its qualifier', () => {
    assert.deepEqual(
      parseTargetClause('地区生产总值增长5%以上').map(({ indicator, value }) => ({ indicator, value })),
      [{ indicator: 'gdp_growth', value: '5%以上' }],
    );
    assert.equal(parseTargetClause('城镇新增就业1200万人以上')[0]?.value, '1200万人以上');
    assert.equal(parseTargetClause('城镇调查失业率控制在5.5%以内')[0]?.value, '5.5%以内');
    assert.equal(parseTargetClause('粮食总产量稳定在1939.5万吨以上')[0]?.value, '1939.5万吨以上');
  });

  test('energy intensity per unit of GDP is not GDP growth', () => {
    const read = (clause: string): string[][] => parseTargetClause(clause).map(({ indicator, value }) => [indicator, value]);
    assert.deepEqual(read('单位地区生产总值能耗降低1.6%左右'), [['energy_intensity', '1.6%左右']]);
    assert.deepEqual(read('单位GDP能耗降低2.5%左右'), [['energy_intensity', '2.5%左右']]);
    assert.deepEqual(read('单位国内生产总值能耗降低2.5%左右'), [['energy_intensity', '2.5%左右']]);
    // 上海: CO2 per unit of GDP is neither GDP nor a second energy target.
    assert.deepEqual(read('单位生产总值能耗、单位生产总值二氧化碳排放量进一步下降'), [['energy_intensity', '进一步下降']]);
  });

  test('R&D spending as a share of GDP is R&D intensity, not GDP growth', () => {
    const suzhou = parseTargetClause('全社会研究与试验发展经费支出占地区生产总值比重4.15%左右');
    assert.deepEqual(suzhou.map(({ indicator, value }) => [indicator, value]), [['rd_intensity', '4.15%左右']]);
    const shanghai = parseTargetClause('全社会研发经费支出相当于全市生产总值的比例达到4.5%左右');
    assert.deepEqual(shanghai.map(({ indicator, value }) => [indicator, value]), [['rd_intensity', '4.5%左右']]);
    assert.deepEqual(parseTargetClause('制造业增加值占地区生产总值比重保持基本稳定'), []);
  });

  test('income in step with growth keeps its words as the value', () => {
    assert.deepEqual(
      parseTargetClause('居民人均可支配收入增长与经济增长同步').map(({ indicator, value }) => [indicator, value]),
      [['income', '与经济增长同步']],
    );
    // 天津: two subjects share one predicate.
    assert.deepEqual(
      parseTargetClause('一般公共预算收入、居民人均可支配收入增长与经济增长同步').map(({ indicator, value }) => [indicator, value]),
      [
        ['budget_revenue', '与经济增长同步'],
        ['income', '与经济增长同步'],
      ],
    );
  });

  test('two targets joined by 、 each keep their own figure (辽宁)', () => {
    assert.deepEqual(
      parseTargetClause('城镇新增就业46万人、城镇调查失业率控制在5.5%以内').map(({ indicator, value }) => [indicator, value]),
      [
        ['urban_jobs', '46万人'],
        ['unemployment', '5.5%以内'],
      ],
    );
  });

  test('分别 lists give each subject its figure, the shared qualifier included (西藏, 宁夏)', () => {
    assert.deepEqual(
      parseTargetClause('居民消费价格涨幅、城镇调查失业率分别控制在3%和5%以内').map(({ indicator, value }) => [indicator, value]),
      [
        ['cpi', '3%以内'],
        ['unemployment', '5%以内'],
      ],
    );
    assert.deepEqual(
      parseTargetClause('固定资产投资、社会消费品零售总额、进出口总额分别增长6%、5%、6%左右').map(({ indicator, value }) => [indicator, value]),
      [
        ['fixed_investment', '6%左右'],
        ['retail_sales', '5%左右'],
        ['trade', '6%左右'],
      ],
    );
  });

  test('urban and rural income given in one clause become one row per scope (安徽, 江西, 海南, 陕西, 甘肃)', () => {
    const scoped = (clause: string): string[][] => parseTargetClause(clause).map(({ indicator, scope, value, label }) => [indicator, scope, value, label]);
    assert.deepEqual(scoped('城镇、农村常住居民人均可支配收入分别增长6.5%、7.5%'), [
      ['income', 'urban', '6.5%', '城镇居民人均可支配收入增长'],
      ['income', 'rural', '7.5%', '农村居民人均可支配收入增长'],
    ]);
    // 江西: the qualifier written once is shared.
    assert.deepEqual(scoped('城镇、农村居民人均可支配收入分别增长5%、7%左右').map((row) => row[2]), ['5%左右', '7%左右']);
    assert.deepEqual(scoped('城镇和农村居民人均可支配收入分别增长8%左右、8.5%左右').map((row) => row.slice(1, 3)), [['urban', '8%左右'], ['rural', '8.5%左右']]);
    assert.deepEqual(scoped('城乡居民人均可支配收入分别增长5.5%、6.5%').map((row) => row.slice(1, 3)), [['urban', '5.5%'], ['rural', '6.5%']]);
    // 吉林: 城乡 without 分别 is everyone's target.
    assert.deepEqual(scoped('城乡居民人均可支配收入增速高于经济增长速度').map((row) => row.slice(0, 3)), [['income', 'all', '高于经济增长速度']]);
  });

  test('exports alone are not trade, and the leading verb is not part of a worded value', () => {
    assert.deepEqual(parseTargetClause('出口增长5.5%左右').map(({ indicator, value }) => [indicator, value]), [['exports', '5.5%左右']]);
    assert.deepEqual(parseTargetClause('进出口总额增长5%左右').map(({ indicator, value }) => [indicator, value]), [['trade', '5%左右']]);
    assert.deepEqual(parseTargetClause('外贸进出口总额实现正增长').map(({ indicator, value }) => [indicator, value]), [['trade', '正增长']]);
    assert.deepEqual(parseTargetClause('单位地区生产总值能耗下降率完成省下达目标').map(({ indicator, value }) => [indicator, value]), [['energy_intensity', '完成省下达目标']]);
  });

  test('CPI written with its abbreviation (吉林) and growth written as 经济增长 (河南)', () => {
    assert.deepEqual(parseTargetClause('居民消费价格指数（CPI）涨幅在3%以内').map(({ indicator, value }) => [indicator, value]), [['cpi', '3%以内']]);
    assert.deepEqual(parseTargetClause('经济增长5.5%').map(({ indicator, value }) => [indicator, value]), [['gdp_growth', '5.5%']]);
    assert.deepEqual(parseTargetClause('居民收入增长和经济增长同步').map(({ indicator, value }) => [indicator, value]), [['income', '和经济增长同步']]);
  });
});

describe('parsing a targets statement', () => {
  test('the national statement, clauses separated by ；, read to the end', () => {
    const national =
      '国内生产总值增长5%左右；城镇新增就业1200万人以上，城镇调查失业率5.5%左右；居民消费价格涨幅3%左右；居民收入增长和经济增长同步；国际收支保持基本平衡；粮食产量1.3万亿斤以上；单位国内生产总值能耗降低2.5%左右，生态环境质量持续改善。';
    assert.deepEqual(valuesOf(national), {
      gdp_growth: '5%左右',
      urban_jobs: '1200万人以上',
      unemployment: '5.5%左右',
      cpi: '3%左右',
      income: '和经济增长同步',
      grain: '1.3万亿斤以上',
      energy_intensity: '2.5%左右',
    });
  });

  test('targets spread over several sentences (甘肃) are all kept', () => {
    const gansu =
      '地区生产总值增长6%左右，在实际工作中争取更好结果。固定资产投资增长6%左右，规模以上工业增加值增长7%，社会消费品零售总额增长8.5%，一般公共预算收入同口径增长6%。居民消费价格涨幅3%左右。城镇调查失业率5.5%左右。城乡居民人均可支配收入分别增长6%和7%。粮食产量稳定在240亿斤以上。主要污染物排放完成国家下达目标。';
    assert.deepEqual(valuesOf(gansu), {
      gdp_growth: '6%左右',
      fixed_investment: '6%左右',
      retail_sales: '8.5%',
      budget_revenue: '6%',
      cpi: '3%左右',
      unemployment: '5.5%左右',
      income: '7%',
      grain: '240亿斤以上',
      industrial_output: '7%',
    });
    assert.deepEqual(
      parseTargetStatement(gansu).filter((target) => target.indicator === 'income').map(({ scope, value }) => [scope, value]),
      [['urban', '6%'], ['rural', '7%']],
    );
  });

  test('urban and rural income in two clauses are both kept (新疆)', () => {
    const xinjiang = '城镇居民人均可支配收入增长6.5%左右，农村居民人均可支配收入增长7.5%左右；居民消费价格涨幅保持在3%左右。';
    assert.deepEqual(
      parseTargetStatement(xinjiang).map(({ indicator, scope, value }) => [indicator, scope, value]),
      [['income', 'urban', '6.5%左右'], ['income', 'rural', '7.5%左右'], ['cpi', 'all', '3%左右']],
    );
  });

  test('each target quotes the clause it was read from', () => {
    const text = '地区生产总值增长5%以上，居民消费价格涨幅3%左右。';
    const [gdp, cpi] = parseTargetStatement(text, 100);
    assert.equal(text.slice(gdp!.quote.start - 100, gdp!.quote.end - 100), '地区生产总值增长5%以上');
    assert.equal(text.slice(cpi!.quote.start - 100, cpi!.quote.end - 100), '居民消费价格涨幅3%左右');
  });

  test('stops at the explanation that follows the targets', () => {
    const text = '地区生产总值增长5%以上，居民消费价格涨幅3%左右。确定以上目标，考虑了地区生产总值增长7%的潜力，城镇新增就业仍有压力。';
    assert.deepEqual(valuesOf(text), { gdp_growth: '5%以上', cpi: '3%左右' });
  });

  test('an indicator keeps its first value (宁夏: 6%左右, not the 力争 figure)', () => {
    assert.equal(valuesOf('地区生产总值增长6%左右，力争达到6%以上。').gdp_growth, '6%左右');
  });
});

describe('extracting targets from the real index', () => {
  let index: PassageIndex;
  let extracted: RegionTargets[];
  let verified: VerifiedTargets;

  before(async () => {
    index = await openIndex(readConfig({ DATA_DIR, INDEX_DIR }));
    extracted = extractTargets(index);
    verified = verifiedTargetsSchema.parse(JSON.parse(readFileSync(FIXTURE, 'utf8')));
  });

  test('matches the hand-verified targets of every region (accuracy ≥ 0.98, each indicator ≥ 0.9)', () => {
    const score = scoreTargets(extracted, verified);
    assert.ok(verified.regions.length >= 35, 'the fixture covers every region');
    for (const entry of score.indicators) assert.ok(entry.correct / entry.total >= 0.9, `${entry.indicator} ${entry.correct}/${entry.total}`);
    assert.ok(score.accuracy >= 0.98, `accuracy ${score.correct}/${score.total}; misses:\n${score.mistakes.join('\n')}`);
  });

  test('every region in the corpus has targets, national first, then provinces, then cities', () => {
    const inCorpus = listRegions()
      .filter((entry) => index.passages.some((passage) => passage.region === entry.name))
      .map((entry) => entry.name);
    assert.equal(inCorpus.length, 35);
    assert.deepEqual(
      extracted.map((entry) => entry.region),
      inCorpus,
    );
    assert.equal(extracted[0]?.region, '全国');
    assert.deepEqual(extracted.slice(-3).map((entry) => entry.region), ['苏州市', '南通市', '镇江市']);
    for (const entry of extracted) assert.ok(entry.targets.some((row) => row.indicator === 'gdp_growth'), `${entry.region} has a GDP target`);
  });

  test('each entry names the report it is read from: Jiangsu’s original, not its PDF copy (which keeps no passage)', () => {
    const jiangsu = extracted.find((entry) => entry.region === '江苏省');
    assert.deepEqual([jiangsu?.reportId, jiangsu?.year, jiangsu?.title], ['jiangsu-2024', 2024, '2024年江苏省政府工作报告']);
    assert.ok(index.reports.some((report) => report.id === 'jiangsu-2024-pdf'), 'the corpus holds the copy too');
    for (const entry of extracted) assert.ok(entry.targets.every((row) => row.passageId.startsWith(`${entry.reportId}#`)), `${entry.region} rows cite ${entry.reportId}`);
    // The one year the shipped corpus holds: asking for it gives the default table.
    assert.deepEqual(extractTargets(index, { year: 2024 }), extracted);
    assert.deepEqual(extractTargets(index, { year: 2025 }), []);
  });

  test('镇江 (markdown, bold figures) has its GDP target and no CPI target', () => {
    const zhenjiang = extracted.find((entry) => entry.region === '镇江市');
    assert.ok(zhenjiang);
    assert.equal(zhenjiang.targets.find((row) => row.indicator === 'gdp_growth')?.value, '5.2%以上');
    assert.equal(zhenjiang.targets.find((row) => row.indicator === 'urban_jobs')?.value, '2.4万人以上');
    assert.equal(zhenjiang.targets.some((row) => row.indicator === 'cpi'), false);
  });

  test('each row cites a passage of its region, in the 2024 part, that holds its value', () => {
    for (const entry of extracted) {
      for (const row of entry.targets) {
        const position = index.byId.get(row.passageId);
        assert.ok(position !== undefined, `${row.passageId} exists`);
        const passage = index.passages[position]!;
        assert.equal(passage.region, entry.region);
        assert.doesNotMatch(passage.sectionPath[0] ?? '', /回顾|总结/, `${entry.region} ${row.indicator} is not a 2023 figure`);
        const text = passage.text.replace(/\s/g, '');
        // A list's shared qualifier (`3%和5%以内` → 3%以内) is the one value not written out in full.
        const written = text.includes(row.value) || text.includes(row.value.replace(/(左右|以上|以内|以下)$/, ''));
        assert.ok(written, `${entry.region} ${row.indicator} “${row.value}” is in ${row.passageId}`);
      }
    }
  });

  test('rows use the target indicators and the lexicon labels', () => {
    const allowed = new Set(['gdp_growth', 'cpi', 'urban_jobs', 'unemployment', 'budget_revenue', 'grain', 'rd_intensity', 'fixed_investment', 'retail_sales', 'trade', 'income', 'exports', 'energy_intensity', 'industrial_output', 'foreign_investment']);
    for (const entry of extracted) {
      const indicators = entry.targets.map((row) => `${row.indicator}:${row.scope}`);
      assert.equal(new Set(indicators).size, indicators.length, `${entry.region} lists each indicator once per scope`);
      for (const row of entry.targets) assert.ok(allowed.has(row.indicator), row.indicator);
    }
    const national = extracted[0]!.targets.find((row) => row.indicator === 'gdp_growth');
    assert.equal(national?.label, '地区生产总值增长');
  });

  test('rows carry what comparison needs: number, unit, qualifier, scope, year, the quote inside the cited passage', () => {
    const row = (region: string, indicator: string, scope = 'all') => extracted.find((entry) => entry.region === region)?.targets.find((target) => target.indicator === indicator && target.scope === scope);
    const jiangsu = row('江苏省', 'gdp_growth');
    assert.deepEqual([jiangsu?.number, jiangsu?.unit, jiangsu?.qualifier, jiangsu?.scope, jiangsu?.year], [5, '%', '以上', 'all', 2024]);
    // Grain in 万吨 (广东) is kept and compares with grain in 亿斤 (黑龙江 1500亿斤 = 7500万吨).
    assert.deepEqual(row('广东省', 'grain')?.comparable, { number: 1270, unit: '万吨' });
    assert.deepEqual(row('黑龙江省', 'grain')?.comparable, { number: 7500, unit: '万吨' });
    assert.equal(row('福建省', 'exports')?.value, '5.5%左右');
    assert.equal(row('福建省', 'trade'), undefined);
    assert.equal(row('新疆维吾尔自治区', 'income', 'rural')?.value, '7.5%左右');
    assert.equal(row('天津市', 'fixed_investment')?.qualifier, '正增长');
    for (const entry of extracted) {
      for (const target of entry.targets) {
        const passage = index.passages[index.byId.get(target.passageId)!]!;
        assert.ok(target.quote && target.quoteSpan, `${entry.region} ${target.indicator} has a quote`);
        assert.equal(passage.text.slice(target.quoteSpan.start, target.quoteSpan.end), target.quote);
      }
    }
  });

  // Its speed is measured by `npx tsx src/cli/targets.ts`, not asserted here.
  test('is deterministic', () => {
    assert.deepEqual(extractTargets(index), extracted);
  });
});
