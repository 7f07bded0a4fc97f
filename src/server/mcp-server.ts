// The Model Context Protocol server: the assistant's tools for agents, over stdio (npm run mcp) or
// streamable HTTP (/mcp). Every result names passage ids and regions so an agent can cite them, as JSON
// text (what every MCP client shows the model) and as structuredContent.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Assistant } from '../assistant.ts';
import { resolveRegion } from '../corpus/regions.ts';
import { AppError, toClientError } from '../errors.ts';
import type { PassageIndex } from '../index/passage-index.ts';
import type { Source } from '../types.ts';
import { filterTargets } from '../answer/targets-table.ts';
import type { AnswerRelay } from './answer-relay.ts';
import { targetsQueryOf } from './targets-routes.ts';
import { MAX_HISTORY_TURNS, MAX_QUESTION_CHARS } from './validation.ts';

export interface McpDependencies {
  /** The assistant, or throws `not_ready` while the index loads. */
  assistant: () => Assistant;
  relay: AnswerRelay;
  version?: string;
}

const regionInput = z.string().trim().min(1).max(64).describe('A region by canonical name (江苏省), short form (江苏) or English name (Jiangsu); 全国 is the national report.');
const yearInput = z.number().int().min(1949).max(2100).describe('A report year (four digits); without it, each region\'s latest report.');

/** The years the corpus holds: a passage's `year` where ingest recorded it, else the year its title names. */
export function yearsOf(index: PassageIndex): Set<number> {
  const years = new Set<number>();
  for (const passage of index.passages) {
    const recorded = (passage as { year?: unknown }).year;
    if (typeof recorded === 'number') years.add(recorded);
    else {
      const named = /(20\d\d)年/.exec(passage.title);
      if (named) years.add(Number(named[1]));
    }
  }
  return years;
}

function checkYear(index: PassageIndex, year: number | undefined): void {
  if (year === undefined) return;
  const years = yearsOf(index);
  if (!years.has(year)) throw new AppError('not_found', `The corpus holds no ${year} reports; it covers ${[...years].sort().join(', ') || 'no year'}.`);
}

function checkRegion(region: string | undefined): string | undefined {
  if (region === undefined) return undefined;
  const entry = resolveRegion(region);
  if (!entry) throw new AppError('invalid_input', `Unknown region "${region.slice(0, 40)}"; use a canonical name (江苏省), a short form (江苏) or an English name (Jiangsu).`);
  return entry.name;
}

/** Sources as an agent cites them: the passage id and region first, the text cut to a readable length. */
function citable(sources: Source[]): { n: number; passageId: string; region: string; title: string; section: string; text: string; score: number }[] {
  return sources.map((source) => ({ n: source.n, passageId: source.id, region: source.region, title: source.title, section: source.section, text: source.text, score: source.score }));
}

function result(structured: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(structured, null, 2) }], structuredContent: structured };
}

function failure(error: unknown): CallToolResult {
  const client = toClientError(error);
  if (client.status === 500) console.error(error);
  return { isError: true, content: [{ type: 'text', text: `${client.code}: ${client.message}` }] };
}

/** A tool's handler: its result as JSON, any error as an `isError` result; `signal` aborts when the request is cancelled. */
const tool =
  <T>(run: (input: T, signal: AbortSignal | undefined) => Promise<Record<string, unknown>> | Record<string, unknown>) =>
  async (input: T, extra?: { signal?: AbortSignal }): Promise<CallToolResult> => {
    try {
      return result(await run(input, extra?.signal));
    } catch (error) {
      return failure(error);
    }
  };

/**
 * The SDK answers a request whose `params` (or tool `arguments`) is not an object with an internal error
 * carrying a zod dump; say plainly what is wrong instead (JSON-RPC "invalid params").
 */
export function findInvalidParams(body: unknown): { id: unknown; message: string } | undefined {
  for (const message of Array.isArray(body) ? body : [body]) {
    if (!message || typeof message !== 'object') continue;
    const { id, params } = message as { id?: unknown; params?: unknown };
    const isRecord = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value);
    if (params !== undefined && !isRecord(params)) return { id: id ?? null, message: 'Invalid params: "params" must be an object.' };
    const args = (params as { arguments?: unknown } | undefined)?.arguments;
    if (args !== undefined && !isRecord(args)) return { id: id ?? null, message: 'Invalid params: a tool\'s "arguments" must be an object of named inputs.' };
  }
  return undefined;
}
/**
 * Puts findInvalidParams in front of a connected transport (stdio): such a request is answered with
 * "invalid params" and never reaches the SDK.
 */
export function guardParams(transport: Transport): void {
  const deliver = transport.onmessage;
  transport.onmessage = (message, extra) => {
    const invalid = findInvalidParams(message);
    if (invalid && 'id' in message) {
      void transport.send({ jsonrpc: '2.0', id: message.id as string | number, error: { code: -32602, message: invalid.message } });
      return;
    }
    deliver?.(message, extra);
  };
}

/** A new MCP server with the five tools (one per stdio process, one per HTTP request when stateless). */
export function createMcpServer(dependencies: McpDependencies): McpServer {
  const { assistant, relay } = dependencies;
  const server = new McpServer(
    { name: 'gov-report-assistant', version: dependencies.version ?? '0.1.0' },
    { instructions: 'Tools over the Chinese government work reports (政府工作报告) of this library (region_priorities and targets say which years; GET /api/reports lists them). Cite passages by passageId and name their region; when grounded is false the reports do not answer the question.' },
  );

  server.registerTool(
    'search_reports',
    {
      title: 'Search the reports',
      description: 'Hybrid (BM25 + vector) search over the report passages. Returns passages best first, each with its passageId, region, title, section and text.',
      inputSchema: {
        query: z.string().trim().min(1).max(MAX_QUESTION_CHARS).describe('What to look for, in Chinese or English, e.g. "江苏 新质生产力" or "Guangdong GDP target".'),
        region: regionInput.optional(),
        year: yearInput.optional(),
        k: z.number().int().min(1).max(50).optional().describe('How many passages to return (default 5).'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    tool(async ({ query, region, year, k }: { query: string; region?: string; year?: number; k?: number }) => {
      const current = assistant();
      checkYear(current.index, year);
      const canonical = checkRegion(region);
      const found = await current.search(query, { ...(canonical ? { region: canonical } : {}), ...(k ? { k } : {}) });
      return { query: found.query, regions: found.regions, results: citable(found.sources) };
    }),
  );

  server.registerTool(
    'ask',
    {
      title: 'Ask a question',
      description: 'Answers a question from the reports with [n] citations checked against the passages. Returns the answer, its citations, grounded (false: the reports do not say) and the numbered sources with passageId and region.',
      inputSchema: {
        question: z.string().trim().min(1).max(MAX_QUESTION_CHARS).describe('The question, e.g. "江苏省今年GDP增长目标是多少？"'),
        history: z
          .array(z.object({ role: z.enum(['user', 'assistant']), content: z.string().max(4000) }))
          .max(MAX_HISTORY_TURNS)
          .optional()
          .describe('Earlier turns, oldest first, for follow-up questions ("那浙江呢？").'),
        region: regionInput.optional().describe('A region hint; a place named in the question takes precedence.'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    tool(async ({ question, history, region }: { question: string; history?: { role: 'user' | 'assistant'; content: string }[]; region?: string }, signal) => {
      const canonical = checkRegion(region);
      const answered = await relay.collect({ question, history: history ?? [], ...(canonical ? { region: canonical } : {}), ...(signal ? { signal } : {}) });
      const { sources, ...rest } = answered;
      return { ...rest, sources: citable(sources) };
    }),
  );

  server.registerTool(
    'region_priorities',
    {
      title: "A region's priorities",
      description: "A region's main targets and key tasks from its report, each task with the numbers of the sources it cites; the sources carry passageId and region.",
      inputSchema: { region: regionInput, year: yearInput.optional() },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    tool(async ({ region, year }: { region: string; year?: number }, signal) => {
      const current = assistant();
      checkYear(current.index, year);
      const summary = await current.summary(region, { ...(year !== undefined ? { year } : {}), ...(signal ? { signal } : {}) });
      const { sources, ...rest } = summary;
      return { ...rest, sources: citable(sources) };
    }),
  );

  server.registerTool(
    'targets',
    {
      title: 'Main targets',
      description: 'The main targets (GDP growth, CPI, urban jobs, unemployment, grain, R&D intensity …) of every region, or one region or one indicator, each value as the report writes it with the passageId it comes from; of one report year, or of each region\'s latest report. Each region names the year and title of its report.',
      inputSchema: {
        indicator: z.string().trim().min(1).max(200).optional().describe('Indicators, comma-separated: ids (gdp_growth, cpi, urban_jobs, unemployment, budget_revenue, grain, rd_intensity, fixed_investment, retail_sales, trade, income …) or their names (GDP, CPI, 居民消费价格, 城镇新增就业).'),
        region: z.string().trim().min(1).max(200).optional().describe('Regions, comma-separated: canonical names (江苏省), short forms (江苏), English names (Jiangsu) or groups (长三角, 东北三省, 京津冀).'),
        level: z.enum(['national', 'province', 'city']).optional().describe('Only the national report, the provinces or the cities.'),
        year: yearInput.optional(),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    tool(({ indicator, region, level, year }: { indicator?: string; region?: string; level?: 'national' | 'province' | 'city'; year?: number }) => {
      const current = assistant();
      checkYear(current.index, year);
      // The same reading of indicator, region and level as GET /api/targets.
      const { filter } = targetsQueryOf({ ...(indicator !== undefined ? { indicator } : {}), ...(region !== undefined ? { region } : {}), ...(level ? { level } : {}) });
      return { regions: filterTargets(current.targets(year), filter), years: current.years() };
    }),
  );

  server.registerTool(
    'get_passage',
    {
      title: 'Read a passage',
      description: 'One passage by its id (as returned by the other tools), with its region, title, section path, text and the neighbouring passages.',
      inputSchema: { id: z.string().trim().min(1).max(200).describe('A passage id as the other tools return it (region-year#pNNN).') },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    tool(({ id }: { id: string }) => {
      const view = assistant().passage(id);
      return { ...view, passage: { ...view.passage, passageId: view.passage.id } };
    }),
  );

  return server;
}
