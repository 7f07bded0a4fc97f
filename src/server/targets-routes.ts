// GET /api/targets (filtered by ?indicator=&region=&level=, of one report year with ?year=) and
// GET /api/targets.csv: the targets table as JSON and as a spreadsheet, every query parameter validated.
import type express from 'express';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Assistant } from '../assistant.ts';
import { filterTargets, tableYears, targetsCsvFileNames, toTargetsCsv, type RegionTargetsWithLevel, type TargetsFilter } from '../answer/targets-table.ts';
import { getRegionGroup } from '../corpus/region-groups.ts';
import { resolveRegion } from '../corpus/regions.ts';
import { AppError } from '../errors.ts';
import { INDICATORS } from '../lexicon/lexicon.ts';
import type { RegionTargets } from '../types.ts';
import { parseInput, yearParameter } from './validation.ts';

const TARGET_INDICATORS = INDICATORS.filter((indicator) => indicator.target);
const TARGET_INDICATOR_IDS = TARGET_INDICATORS.map((indicator) => indicator.id);

/**
 * A targets indicator by its id (`cpi`), its label (`居民消费价格涨幅`), a term the reports write (`居民消费价格`,
 * `CPI`) or a word a question uses for it (`物价`, `inflation`), case-insensitively; undefined when none.
 */
export function resolveTargetIndicator(name: string): string | undefined {
  const wanted = name.trim().toLowerCase();
  const names = (indicator: (typeof TARGET_INDICATORS)[number]): string[][] => [[indicator.id], [indicator.label], indicator.terms, indicator.triggers];
  // Ids and labels first, then the reports' terms, then question words: `income` is the id before it is a word.
  for (let rank = 0; rank < 4; rank++) {
    const found = TARGET_INDICATORS.find((indicator) => names(indicator)[rank]!.some((candidate) => candidate.toLowerCase() === wanted));
    if (found) return found.id;
  }
  return undefined;
}

/** A comma-separated list in one parameter (`?indicator=gdp_growth,cpi`), or the parameter repeated. */
const listParameter = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : [value]).flatMap((item) => item.split(/[,，、]/)).map((item) => item.trim()).filter(Boolean))
  .refine((items) => items.length <= 40, 'at most 40 values per parameter')
  .optional();

export const targetsQuerySchema = z.object({
  indicator: listParameter.transform((items, context) => {
    if (!items) return undefined;
    const ids = items.map((item) => resolveTargetIndicator(item));
    const unknown = items.find((_, position) => ids[position] === undefined);
    if (unknown !== undefined) {
      context.addIssue({ code: z.ZodIssueCode.custom, message: `indicator “${unknown.slice(0, 40)}” is unknown: indicator must be one of ${TARGET_INDICATOR_IDS.join(', ')} (or its name, such as CPI or 居民消费价格)` });
      return z.NEVER;
    }
    return [...new Set(ids as string[])];
  }),
  region: listParameter.refine((items) => !items || items.every((item) => item.length <= 64), 'region is too long'),
  level: z.enum(['national', 'province', 'city'], { message: 'level must be national, province or city' }).optional(),
  year: yearParameter,
});

/**
 * The filter a query asks for, and the report year if it names one; a region may be a canonical name, an
 * alias, an English name or a group (东北三省).
 */
export function targetsQueryOf(query: unknown): { filter: TargetsFilter; year?: number } {
  const input = parseInput(targetsQuerySchema, query);
  const regions = input.region?.flatMap((name) => {
    const entry = resolveRegion(name);
    if (entry) return [entry.name];
    const group = getRegionGroup(name);
    if (group) return group.members;
    throw new AppError('invalid_input', `region: “${name}” is neither a region nor a region group (GET /api/regions lists the regions)`);
  });
  const filter = { ...(input.indicator ? { indicators: input.indicator } : {}), ...(regions ? { regions } : {}), ...(input.level ? { level: input.level } : {}) };
  return { filter, ...(input.year !== undefined ? { year: input.year } : {}) };
}

export type TargetsSource = Pick<Assistant, 'targets' | 'years'>;

/** The filtered table of the year asked for (each region's latest without one); a year no report is of is not found. */
function tableFor(source: TargetsSource, query: unknown): { rows: RegionTargetsWithLevel[]; year?: number; years: number[]; whole: readonly RegionTargets[] } {
  const { filter, year } = targetsQueryOf(query);
  const years = source.years();
  if (year !== undefined && !years.includes(year)) {
    throw new AppError('not_found', `The corpus holds no report of ${year}; it holds reports of ${years.join(', ') || 'no year'}.`);
  }
  const whole = source.targets(year);
  return { rows: filterTargets(whole, filter), ...(year !== undefined ? { year } : {}), years, whole };
}

/** Adds the two targets routes to the API router; `table` gives the whole table or throws while it is not ready. */
export function addTargetsRoutes(
  router: express.Router,
  table: () => TargetsSource,
  handle: (handler: (request: Request, response: Response) => void) => (request: Request, response: Response) => void,
): void {
  router.get(
    '/targets',
    handle((request, response) => {
      const { rows, year, years } = tableFor(table(), request.query);
      response.json({ regions: rows, years, ...(year !== undefined ? { year } : {}) });
    }),
  );
  router.get(
    '/targets.csv',
    handle((request, response) => {
      const { rows, year, whole } = tableFor(table(), request.query);
      // Named for the year asked for, else for the years of its rows (of the whole table when the filter leaves none).
      const plain = targetsCsvFileNames(year !== undefined ? [year] : tableYears(rows.length > 0 ? rows : whole));
      // A filtered table says so in its name (targets-2024-cpi-province.csv), so it is not taken for the whole table.
      const { filter } = targetsQueryOf(request.query);
      const asciiParts = [...(filter.indicators ?? []), ...(filter.level ? [filter.level] : [])];
      const regionPart = filter.regions ? [String(request.query.region ?? '').replace(/[\\/:*?"<>|,，、\s]+/g, '+').slice(0, 40)] : [];
      const names = {
        ascii: `${[plain.ascii.replace(/\.csv$/, ''), ...asciiParts].join('-')}.csv`,
        unicode: `${[plain.unicode.replace(/\.csv$/, ''), ...asciiParts, ...regionPart].join('-')}.csv`,
      };
      response.setHeader('Content-Type', 'text/csv; charset=utf-8');
      response.setHeader('Content-Disposition', `attachment; filename="${names.ascii}"; filename*=UTF-8''${encodeURIComponent(names.unicode)}`);
      response.send(toTargetsCsv(rows));
    }),
  );
}
