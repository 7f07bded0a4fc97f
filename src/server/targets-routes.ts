// GET /api/targets (filtered by ?indicator=&region=&level=) and GET /api/targets.csv: the targets table
// as JSON and as a spreadsheet, every query parameter validated.
import type express from 'express';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Assistant } from '../assistant.ts';
import { filterTargets, toTargetsCsv, type TargetsFilter } from '../answer/targets-table.ts';
import { getRegionGroup } from '../corpus/region-groups.ts';
import { resolveRegion } from '../corpus/regions.ts';
import { AppError } from '../errors.ts';
import { INDICATORS } from '../retrieval/lexicon.ts';
import { parseInput } from './validation.ts';

const TARGET_INDICATOR_IDS = INDICATORS.filter((indicator) => indicator.target).map((indicator) => indicator.id);

/** A comma-separated list in one parameter (`?indicator=gdp_growth,cpi`), or the parameter repeated. */
const listParameter = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : [value]).flatMap((item) => item.split(/[,，、]/)).map((item) => item.trim()).filter(Boolean))
  .refine((items) => items.length <= 40, 'at most 40 values per parameter')
  .optional();

export const targetsQuerySchema = z.object({
  indicator: listParameter.refine((items) => !items || items.every((item) => TARGET_INDICATOR_IDS.includes(item)), `indicator must be one of ${TARGET_INDICATOR_IDS.join(', ')}`),
  region: listParameter.refine((items) => !items || items.every((item) => item.length <= 64), 'region is too long'),
  level: z.enum(['national', 'province', 'city'], { message: 'level must be national, province or city' }).optional(),
});

/** The filter a query asks for; a region may be a canonical name, an alias, an English name or a group (东北三省). */
export function targetsFilterOf(query: unknown): TargetsFilter {
  const input = parseInput(targetsQuerySchema as unknown as z.ZodType<z.output<typeof targetsQuerySchema>>, query);
  const regions = input.region?.flatMap((name) => {
    const entry = resolveRegion(name);
    if (entry) return [entry.name];
    const group = getRegionGroup(name);
    if (group) return group.members;
    throw new AppError('invalid_input', `region: “${name}” is neither a region nor a region group (GET /api/regions lists the regions)`);
  });
  return { ...(input.indicator ? { indicators: input.indicator } : {}), ...(regions ? { regions } : {}), ...(input.level ? { level: input.level } : {}) };
}

export type TargetsSource = Pick<Assistant, 'targets'>;

/** Adds the two targets routes to the API router; `table` gives the whole table or throws while it is not ready. */
export function addTargetsRoutes(
  router: express.Router,
  table: () => TargetsSource,
  handle: (handler: (request: Request, response: Response) => void) => (request: Request, response: Response) => void,
): void {
  router.get(
    '/targets',
    handle((request, response) => {
      const filter = targetsFilterOf(request.query);
      response.json({ regions: filterTargets(table().targets(), filter) });
    }),
  );
  router.get(
    '/targets.csv',
    handle((request, response) => {
      const filter = targetsFilterOf(request.query);
      response.setHeader('Content-Type', 'text/csv; charset=utf-8');
      response.setHeader('Content-Disposition', `attachment; filename="targets-2024.csv"; filename*=UTF-8''${encodeURIComponent('2024年主要预期目标.csv')}`);
      response.send(toTargetsCsv(filterTargets(table().targets(), filter)));
    }),
  );
}
