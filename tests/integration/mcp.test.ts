// The MCP server with the SDK's own Client, over stdio (`npm run --silent mcp` as a child process) and
// over streamable HTTP (/mcp on a real server on port 0): one suite for both transports, listing and
// calling every tool on the real index and checking that results carry passage ids and regions.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startServer, type RunningServer } from '../../src/main.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DATA_DIR = fileURLToPath(new URL('../../data', import.meta.url));
const INDEX_DIR = fileURLToPath(new URL('../../vectorstore', import.meta.url));
const TOOLS = ['ask', 'get_passage', 'region_priorities', 'search_reports', 'targets'];

interface Cited {
  n: number;
  passageId: string;
  region: string;
  text: string;
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<{ result: CallToolResult; data: Record<string, unknown> }> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const first = result.content[0];
  assert.equal(first?.type, 'text');
  if (result.isError) return { result, data: {} };
  const data = JSON.parse((first as { text: string }).text) as Record<string, unknown>;
  assert.deepEqual(result.structuredContent, data, 'the text and the structured content say the same');
  return { result, data };
}

function toolSuite(name: string, connect: () => Promise<Client>, close: () => Promise<void>): void {
  describe(`MCP over ${name}`, () => {
    let client: Client;
    before(async () => {
      client = await connect();
    });
    after(async () => {
      await client?.close();
      await close();
    });

    test('lists the five tools, each with a described zod input schema', async () => {
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((tool) => tool.name).sort(), TOOLS);
      const search = tools.find((tool) => tool.name === 'search_reports')!;
      assert.deepEqual(search.inputSchema.required, ['query']);
      const properties = search.inputSchema.properties as Record<string, { description?: string }>;
      assert.deepEqual(Object.keys(properties).sort(), ['k', 'query', 'region', 'year']);
      for (const tool of tools) assert.ok(tool.description && tool.description.length > 20, `${tool.name} has a description`);
    });

    test('search_reports: Jiangsu passages with ids and regions, best first', async () => {
      const { data } = await call(client, 'search_reports', { query: 'GDP增长目标', region: '江苏', k: 3 });
      const results = data.results as Cited[];
      assert.equal(results.length, 3);
      for (const hit of results) {
        assert.equal(hit.region, '江苏省');
        assert.match(hit.passageId, /^jiangsu-2024#p\d+$/);
      }
      const { result } = await call(client, 'search_reports', { query: 'GDP', year: 2019 });
      assert.equal(result.isError, true);
      assert.match((result.content[0] as { text: string }).text, /no 2019 reports; it covers 2024/);
    });

    test('ask: the cited answer, grounded, with numbered sources that carry passage ids and regions', async () => {
      const { data } = await call(client, 'ask', { question: '江苏2024年GDP增长目标是多少？' });
      assert.match(String(data.answer), /地区生产总值增长5%以上 \[1\]/);
      assert.equal(data.grounded, true);
      assert.deepEqual(data.citations, [1]);
      const sources = data.sources as Cited[];
      assert.equal(sources[0]?.region, '江苏省');
      assert.ok(sources[0]?.text.includes('地区生产总值增长5%以上'));
      const followUp = await call(client, 'ask', { question: '那浙江呢？', history: [{ role: 'user', content: '江苏2024年GDP增长目标是多少？' }, { role: 'assistant', content: String(data.answer) }] });
      assert.deepEqual(followUp.data.regions, ['浙江省']);
      const refused = await call(client, 'ask', { question: '澳门特别行政区2024年的施政目标是什么？' });
      assert.equal(refused.data.grounded, false);
      assert.deepEqual(refused.data.citations, []);
    });

    test('region_priorities: Suzhou’s tasks cite sources from Suzhou’s report', async () => {
      const { data } = await call(client, 'region_priorities', { region: 'Suzhou' });
      assert.equal(data.region, '苏州市');
      const tasks = data.tasks as { heading: string; citations: number[] }[];
      const sources = data.sources as Cited[];
      assert.ok(tasks.length > 0);
      for (const task of tasks) for (const n of task.citations) assert.equal(sources.find((source) => source.n === n)?.region, '苏州市');
      const { result } = await call(client, 'region_priorities', { region: '火星' });
      assert.equal(result.isError, true);
    });

    test('targets: one indicator across regions, or one region, each row with its passage id', async () => {
      const { data } = await call(client, 'targets', { indicator: 'gdp_growth', region: '江苏省' });
      const regions = data.regions as { region: string; targets: { indicator: string; value: string; passageId: string }[] }[];
      assert.equal(regions.length, 1);
      assert.equal(regions[0]?.targets[0]?.value, '5%以上');
      assert.match(regions[0]?.targets[0]?.passageId ?? '', /^jiangsu-2024#p\d+$/);
      const all = await call(client, 'targets', { indicator: 'gdp_growth' });
      assert.ok((all.data.regions as unknown[]).length >= 30, 'most regions state a GDP target');
      const { result } = await call(client, 'targets', { indicator: 'happiness' });
      assert.equal(result.isError, true);
      assert.match((result.content[0] as { text: string }).text, /invalid_input: .*happiness.*must be one of .*gdp_growth/);
    });

    test('targets accepts what GET /api/targets accepts: region groups (长三角) and indicator names (CPI, 居民消费价格)', async () => {
      const rows = (data: Record<string, unknown>): string[] =>
        (data.regions as { region: string; targets: { indicator: string; value: string }[] }[]).flatMap((entry) => entry.targets.map((row) => `${entry.region} ${row.indicator} ${row.value}`));
      const byId = rows((await call(client, 'targets', { indicator: 'cpi', region: '长三角' })).data);
      assert.deepEqual(byId, ['上海市 cpi 3%左右', '江苏省 cpi 3%左右', '浙江省 cpi 3%左右', '安徽省 cpi 3%左右']);
      for (const indicator of ['CPI', '居民消费价格', '居民消费价格涨幅', 'inflation']) {
        assert.deepEqual(rows((await call(client, 'targets', { indicator, region: '长三角' })).data), byId, indicator);
      }
      const two = rows((await call(client, 'targets', { indicator: 'GDP,城镇新增就业', region: '苏州, Jiangsu' })).data);
      assert.deepEqual(two.map((row) => row.split(' ').slice(0, 2).join(' ')), ['江苏省 gdp_growth', '江苏省 urban_jobs', '苏州市 gdp_growth', '苏州市 urban_jobs']);
      const cities = (await call(client, 'targets', { indicator: 'gdp_growth', level: 'city' })).data.regions as { region: string }[];
      assert.deepEqual(cities.map((entry) => entry.region), ['苏州市', '南通市', '镇江市']);
      const { result } = await call(client, 'targets', { region: '火星' });
      assert.match((result.content[0] as { text: string }).text, /neither a region nor a region group/);
    });

    test('targets and region_priorities of a year: each region names its report year; a year not held is an error naming the years', async () => {
      const { data } = await call(client, 'targets', { indicator: 'gdp_growth', region: '江苏', year: 2024 });
      assert.deepEqual(data.years, [2024]);
      assert.deepEqual((data.regions as { year?: number; reportId?: string }[]).map((entry) => [entry.year, entry.reportId]), [[2024, 'jiangsu-2024']]);
      for (const [name, input] of [['targets', { year: 2025 }], ['region_priorities', { region: '江苏', year: 2025 }]] as const) {
        const { result } = await call(client, name, input);
        assert.equal(result.isError, true, name);
        assert.match((result.content[0] as { text: string }).text, /no 2025 reports; it covers 2024/, name);
      }
      const priorities = await call(client, 'region_priorities', { region: '江苏', year: 2024 });
      assert.deepEqual([priorities.data.year, priorities.data.years], [2024, [2024]]);
    });

    test('get_passage: the passage a search returned, by id, with its region and neighbours', async () => {
      const { data: found } = await call(client, 'search_reports', { query: '城镇新增就业', region: '南通', k: 1 });
      const id = (found.results as Cited[])[0]!.passageId;
      const { data } = await call(client, 'get_passage', { id });
      const passage = data.passage as { passageId: string; region: string; text: string };
      assert.equal(passage.passageId, id);
      assert.equal(passage.region, '南通市');
      assert.ok(Array.isArray(data.before) && Array.isArray(data.after));
      const { result } = await call(client, 'get_passage', { id: 'nowhere#p000' });
      assert.equal(result.isError, true);
      assert.match((result.content[0] as { text: string }).text, /not_found/);
    });

    test('tool arguments that are not an object are refused as invalid params, not an internal error', async () => {
      await assert.rejects(client.request({ method: 'tools/call', params: { name: 'get_passage', arguments: ['jiangsu-2024#p001'] as unknown as Record<string, unknown> } }, CallToolResultSchema), (error: unknown) => {
        assert.ok(error instanceof McpError, String(error));
        assert.equal(error.code, -32602);
        assert.match(error.message, /"arguments" must be an object/);
        return true;
      });
    });

    test('inputs are validated by their schemas: a tool call without its required input is an error', async () => {
      const result = (await client.callTool({ name: 'ask', arguments: {} })) as CallToolResult;
      assert.equal(result.isError, true);
      assert.match((result.content[0] as { text: string }).text, /question/);
    });
  });
}

let server: RunningServer | undefined;

toolSuite(
  'stdio (npm run --silent mcp)',
  async () => {
    const transport = new StdioClientTransport({ command: 'npm', args: ['run', '--silent', 'mcp'], cwd: ROOT, env: { ...(process.env as Record<string, string>), DATA_DIR, INDEX_DIR }, stderr: 'ignore' });
    const client = new Client({ name: 'mcp-test', version: '1.0.0' });
    await client.connect(transport);
    return client;
  },
  async () => {},
);

toolSuite(
  'streamable HTTP (/mcp)',
  async () => {
    server = await startServer({ port: 0, host: '127.0.0.1', env: { RATE_LIMIT_PER_MINUTE: '0', DATA_DIR, INDEX_DIR } });
    await server.ready;
    const client = new Client({ name: 'mcp-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`)));
    return client;
  },
  async () => server?.close(),
);
