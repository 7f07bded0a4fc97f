// Questions across regions about one target ("今年哪些省份GDP目标是6%左右？"): answered from the targets
// table, each region's line cited to the passage its value comes from. Pure.
import { getRegion } from '../corpus/regions.ts';
import type { QueryAnalysis } from '../retrieval/analyze-query.ts';
import type { Passage, RegionTargets } from '../types.ts';
import type { NumberedPassage } from './extractive-answer.ts';

const WHICH_REGIONS = /哪些(?:省份|省区市|省|地区|地方|城市|市)|哪几个(?:省份|省|地区|城市)|哪个(?:省份|省|地区|城市)|各(?:省|地区|省份|地)|which (?:provinces|regions|cities|province|region|city)|across (?:provinces|regions)/i;
const VALUE = /(\d+(?:\.\d+)?)\s*%\s*(左右|以上|以内|以下)?/;
const MAX_ROWS = 12;

export interface TargetComparison {
  sources: NumberedPassage[];
  answer: string;
}

/** The answer when the question asks which regions set a target (optionally a given value), else undefined. */
export function compareTargets(analysis: QueryAnalysis, table: readonly RegionTargets[], passage: (id: string) => Passage | undefined): TargetComparison | undefined {
  if (analysis.regions.length > 0 || !WHICH_REGIONS.test(analysis.question)) return undefined;
  const indicator = analysis.indicators.find((candidate) => table.some((row) => row.targets.some((target) => target.indicator === candidate.id)));
  if (!indicator) return undefined;
  const asked = VALUE.exec(analysis.question);
  // "哪些省份 / which provinces" asks about provinces only; "地区 / regions" also covers the cities.
  const provincesOnly = /省|province/i.test(WHICH_REGIONS.exec(analysis.question)?.[0] ?? '');
  const rows = table.flatMap((region) =>
    region.region === '全国' || (provincesOnly && getRegion(region.region)?.level !== 'province') ? [] : region.targets.filter((target) => target.indicator === indicator.id).map((target) => ({ region: region.region, target })),
  );
  const matching = asked
    ? rows.filter(({ target }) => {
        const value = VALUE.exec(target.value);
        return value !== null && Number(value[1]) === Number(asked[1]) && (!asked[2] || value[2] === asked[2]);
      })
    : rows;
  const english = analysis.english;
  const what = asked ? `${indicator.label}${asked[0].replace(/\s+/g, '')}` : indicator.label;
  if (matching.length === 0) {
    return {
      sources: [],
      answer: english ? `No region's 2024 report sets ${what} as a main target.` : `现有报告中未找到把“${what}”作为2024年主要预期目标的地区。`,
    };
  }
  const sources: NumberedPassage[] = [];
  const lines: string[] = [];
  for (const { region, target } of matching.slice(0, MAX_ROWS)) {
    const found = passage(target.passageId);
    if (!found) continue;
    let numbered = sources.find((source) => source.passage.id === found.id);
    if (!numbered) {
      numbered = { n: sources.length + 1, passage: found };
      sources.push(numbered);
    }
    lines.push(`- **${region}**：${target.label}${target.value} [${numbered.n}]。`);
  }
  // Counts are derived, not quoted, so the text states none: every figure in it is cited.
  const more = matching.length > MAX_ROWS ? (english ? '\n(More regions: see the targets table, GET /api/targets.)' : '\n（更多地区见“目标一览”。）') : '';
  const lead = english ? `Regions whose 2024 main targets include ${what}:` : asked ? `2024年主要预期目标中提出${what}的地区：` : `各地区2024年${indicator.label}目标：`;
  return { sources, answer: `${lead}\n${lines.join('\n')}${more}` };
}
