// `npm run mcp`: the MCP server over stdio, for desktop assistants and agents that start it as a child
// process. stdout carries the protocol only; every log line goes to stderr.
import { readFileSync } from 'node:fs';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { Assistant } from '../assistant.ts';
import { LlmAnswerer } from '../answer/llm-answerer.ts';
import { openIndex } from '../compose.ts';
import { readConfig } from '../config.ts';
import { AnswerRelay, DEFAULT_RELAY_LIMITS } from '../server/answer-relay.ts';
import { createMcpServer, guardParams } from '../server/mcp-server.ts';

const log = (line: string): void => {
  process.stderr.write(`[mcp] ${line}\n`);
};

try {
  const config = readConfig();
  // The index is opened before the transport: a client's first request waits in the pipe meanwhile.
  const index = await openIndex(config, { log });
  const assistant = new Assistant(index, config.chat ? new LlmAnswerer(config.chat) : undefined);
  const relay = new AnswerRelay(() => assistant, { ...DEFAULT_RELAY_LIMITS, maxInFlight: config.maxInFlight, deadlineMs: config.answerDeadlineMs });
  const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  const server = createMcpServer({ assistant: () => assistant, relay, version });
  const transport = new StdioServerTransport();
  await server.connect(transport);
  guardParams(transport);
  log(`ready: ${index.passages.length} passages, mode ${assistant.mode}`);
  // The client closing stdin ends the session.
  process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
} catch (error) {
  log(`cannot start: ${(error as Error).message}`);
  process.exit(1);
}
