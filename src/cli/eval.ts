// `npm run eval -- --set FILE [--json] [--out FILE] [--lexical-only] [--no-regions] [--retrieval-only]`:
// scores retrieval (Recall@5, all-found@5, MRR) and answers on an evaluation file.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readConfig } from '../config.ts';
import { openIndex } from '../compose.ts';
import { Assistant } from '../assistant.ts';
import { LlmAnswerer } from '../answer/llm-answerer.ts';
import { readEvalSet } from '../eval/eval-set.ts';
import { runEvaluation, formatReport } from '../eval/run-evaluation.ts';
import { DEFAULT_RETRIEVER } from '../retrieval/hybrid-search.ts';
import { createProgressBar } from './progress.ts';

const { values } = parseArgs({
  options: {
    set: { type: 'string', default: 'eval/dev.json' },
    json: { type: 'boolean', default: false },
    out: { type: 'string', default: 'results/eval.json' },
    'lexical-only': { type: 'boolean', default: false },
    'no-regions': { type: 'boolean', default: false },
    'retrieval-only': { type: 'boolean', default: false },
  },
});

const config = readConfig();
const progress = createProgressBar();
const index = await openIndex(config, { onProgress: progress.listener, log: (line) => console.error(line) });
progress.stop();
// Items exported from feedback that still await their expected text (`review`) are not scored yet.
const all = await readEvalSet(values.set!);
const items = all.filter((item) => item.review === undefined);
if (items.length < all.length) console.error(`${all.length - items.length} of ${all.length} items await review (their "review" says what to write) and are skipped.`);
const retrieverSettings = { ...DEFAULT_RETRIEVER, useDense: !values['lexical-only'], useRegions: !values['no-regions'] };
const assistant = new Assistant(index, config.chat ? new LlmAnswerer(config.chat) : undefined, retrieverSettings);
const report = await runEvaluation(index, items, {
  retriever: retrieverSettings,
  ...(values['retrieval-only']
    ? {}
    : {
        answer: async (item) => {
          const started = performance.now();
          const result = await assistant.ask({ question: item.question, history: item.history ?? [], k: 5 });
          return { ...result, latencyMs: performance.now() - started };
        },
      }),
});
await mkdir(path.dirname(values.out!), { recursive: true });
await writeFile(values.out!, JSON.stringify(report, null, 2));
console.log(formatReport(report));
console.log(`Per-question results: ${values.out}`);
if (values.json) console.log(JSON.stringify(report.summary));
