// The answer step's behaviour as data (tests/fixtures/answer-cases.json): questions asked of the real
// index, offline, and what each answer must and must not say.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { Assistant } from '../../src/assistant.ts';
import { openIndex } from '../../src/compose.ts';
import { readConfig } from '../../src/config.ts';

const DATA_DIR = fileURLToPath(new URL('../../data', import.meta.url));
const INDEX_DIR = fileURLToPath(new URL('../../vectorstore', import.meta.url));

const caseSchema = z.object({
  why: z.string(),
  question: z.string(),
  history: z.array(z.tuple([z.string(), z.string()])).optional(),
  region: z.string().optional(),
  expect: z.object({
    grounded: z.boolean().optional(),
    reason: z.string().optional(),
    contains: z.array(z.string()).optional(),
    notContains: z.array(z.string()).optional(),
    /** Texts the answer holds exactly once (a quote answering two asks is shown once). */
    once: z.array(z.string()).optional(),
    matches: z.array(z.string()).optional(),
    regions: z.array(z.string()).optional(),
    cites: z.string().optional(),
    flagged: z.boolean().optional(),
  }),
});
const cases = z.object({ cases: z.array(caseSchema) }).parse(JSON.parse(readFileSync(new URL('../fixtures/answer-cases.json', import.meta.url), 'utf8'))).cases;
const squeeze = (text: string): string => text.replace(/\s+|\*\*/g, '');

let assistant: Assistant;
before(async () => {
  assistant = new Assistant(await openIndex(readConfig({ DATA_DIR, INDEX_DIR })));
});

describe('answers on the real reports', () => {
  for (const item of cases) {
    test(`${item.why}: ${item.question}`, async () => {
      const history = (item.history ?? []).flatMap(([question, answer]) => [
        { role: 'user' as const, content: question },
        { role: 'assistant' as const, content: answer },
      ]);
      const result = await assistant.ask({ question: item.question, history, ...(item.region ? { region: item.region } : {}) });
      const answer = result.answer;
      const { expect } = item;
      if (expect.grounded !== undefined) assert.equal(result.grounded, expect.grounded, answer);
      if (expect.reason) assert.equal(result.refusal?.reason, expect.reason, answer);
      for (const text of expect.contains ?? []) assert.ok(squeeze(answer).includes(squeeze(text)), `“${text}” in: ${answer}`);
      for (const text of expect.notContains ?? []) assert.ok(!squeeze(answer).includes(squeeze(text)), `no “${text}” in: ${answer}`);
      for (const text of expect.once ?? []) assert.equal(squeeze(answer).split(squeeze(text)).length - 1, 1, `“${text}” once in: ${answer}`);
      for (const pattern of expect.matches ?? []) assert.match(answer, new RegExp(pattern, 'm'));
      if (expect.regions) assert.deepEqual(result.regions, expect.regions, answer);
      if (expect.cites) assert.ok(result.citations.some((n) => result.sources[n - 1]?.region === expect.cites), `cites a passage of ${expect.cites}: ${answer}`);
      if (expect.flagged !== undefined) assert.equal(result.flagged.length > 0, expect.flagged, JSON.stringify(result.flagged));
      // Every marker names a source.
      for (const n of result.citations) assert.ok(result.sources[n - 1], `[${n}] names a source`);
    });
  }
});
