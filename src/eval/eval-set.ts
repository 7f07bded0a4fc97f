// Evaluation files (eval/dev.json, copied from the shared sets, and any file of that schema) and their scoring, exactly as
// the API contract describes: whitespace and ** deleted, region must match.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Source, Turn } from '../types.ts';

const turnSchema = z.object({ role: z.enum(['user', 'assistant']), content: z.string() });

export const evalItemSchema = z
  .object({
    id: z.string(),
    question: z.string(),
    type: z.string(),
    region: z.union([z.string(), z.array(z.string())]),
    expect: z.array(z.string()),
    expect_region: z.array(z.string()).optional(),
    history: z.array(turnSchema).optional(),
    lang: z.string().optional(),
    absent: z.array(z.string()).optional(),
  })
  .passthrough();

export type EvalItem = z.infer<typeof evalItemSchema> & { history?: Turn[] };

export async function readEvalSet(file: string): Promise<EvalItem[]> {
  const json: unknown = JSON.parse(await readFile(file, 'utf8'));
  const parsed = z.array(evalItemSchema).safeParse(json);
  if (!parsed.success) throw new Error(`${file} is not an evaluation file: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

export const normalizeForScoring = (text: string): string => text.replace(/\s+/g, '').replace(/\*\*/g, '');

export function expectedRegion(item: EvalItem, index: number): string {
  if (item.expect_region?.[index]) return item.expect_region[index]!;
  return Array.isArray(item.region) ? (item.region[index] ?? item.region[0] ?? '') : item.region;
}

export interface RetrievalScore {
  /** Expected substrings supported within the first five sources. */
  found: number;
  expected: number;
  allFound: boolean;
  /** 1 / rank of the first supporting source (0 when none in the list). */
  reciprocalRank: number;
}

export function scoreRetrieval(item: EvalItem, sources: readonly Pick<Source, 'region' | 'text'>[]): RetrievalScore {
  const normalized = sources.map((source) => ({ region: source.region, text: normalizeForScoring(source.text) }));
  const supports = (index: number, source: { region: string; text: string }): boolean =>
    source.region === expectedRegion(item, index) && source.text.includes(normalizeForScoring(item.expect[index]!));
  let found = 0;
  item.expect.forEach((_, index) => {
    if (normalized.slice(0, 5).some((source) => supports(index, source))) found++;
  });
  const firstRank = normalized.findIndex((source) => item.expect.some((_, index) => supports(index, source)));
  return { found, expected: item.expect.length, allFound: found === item.expect.length, reciprocalRank: firstRank >= 0 ? 1 / (firstRank + 1) : 0 };
}

/** Share of expected figures (substrings) that the answer states. */
export function scoreAnswerFigures(item: EvalItem, answer: string): number {
  if (item.expect.length === 0) return 1;
  const text = normalizeForScoring(answer);
  return item.expect.filter((expected) => text.includes(normalizeForScoring(expected))).length / item.expect.length;
}

/** The figures of a text (a number with its unit and qualifier): `8%左右`, `1.39万亿斤`, `第6`. */
export function figuresOf(text: string): string[] {
  return (normalizeForScoring(text).match(/第?\d+(?:\.\d+)?(?:%|个百分点|[万亿千]*[^\d，。；、,;（）()%\s]{0,2})?(?:左右|以上|以内|以下)?/g) ?? []).map((figure) => figure.replace(/[^\d.%第万亿千左右以上内下个百分点]+$/, ''));
}

/**
 * Share of expected passages whose figures the answer states and supports: every figure of the
 * expected substring (number, unit, qualifier) is in the answer, and a passage the answer cites holds
 * the substring. An answer that quotes the clause alone (`地区生产总值增长8%左右`) counts for an expected
 * `地区生产总值增长8%左右，固定资产投资`; an expected substring with no figure must be quoted whole.
 */
export function scoreStatedFigures(item: EvalItem, answer: string, cited: readonly Pick<Source, 'region' | 'text'>[]): number {
  if (item.expect.length === 0) return 1;
  const text = normalizeForScoring(answer);
  const stated = item.expect.filter((expected, index) => {
    const figures = figuresOf(expected).filter((figure) => /\d/.test(figure));
    const supported = cited.some((source) => source.region === expectedRegion(item, index) && normalizeForScoring(source.text).includes(normalizeForScoring(expected)));
    if (figures.length === 0) return text.includes(normalizeForScoring(expected));
    return supported && figures.every((figure) => text.includes(figure));
  });
  return stated.length / item.expect.length;
}
