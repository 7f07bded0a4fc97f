// `npm run search -- "江苏今年GDP增长目标" [--region 江苏] [--k 5]`: prints the top passages.
import { parseArgs } from 'node:util';
import { openIndex } from '../compose.ts';
import { readConfig } from '../config.ts';
import { HybridRetriever } from '../retrieval/hybrid-search.ts';
import { createProgressBar } from './progress.ts';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { region: { type: 'string' }, k: { type: 'string', default: '5' } } });
const query = positionals.join(' ').trim();
if (!query) {
  console.error('Usage: npm run search -- "江苏今年GDP增长目标" [--region 江苏] [--k 5]');
  process.exit(2);
}
const config = readConfig();
const progress = createProgressBar();
const index = await openIndex(config, { onProgress: progress.listener, log: (line) => console.error(line) });
progress.stop();
const started = performance.now();
const result = await new HybridRetriever(index).retrieve({ question: query, k: Number(values.k), ...(values.region ? { region: values.region } : {}) });
const elapsed = performance.now() - started;
const regions = result.intent.subjects.map((entry) => `${entry.name}${entry.inCorpus ? '' : '（不在语料中）'}`).join('、') || '—';
console.log(`regions: ${regions}   shape: ${result.intent.shape}/${result.intent.time.scope}   terms: ${result.intent.search.terms.join(' ') || '—'}   ${elapsed.toFixed(1)} ms
`);
result.passages.forEach(({ passage, score }, position) => {
  console.log(`${position + 1}. ${passage.region} · ${passage.sectionPath.join(' › ')}   score ${score.toFixed(4)}   ${passage.id}`);
  console.log(`   ${passage.text.replace(/\s+/g, ' ').slice(0, 200)}${passage.text.length > 200 ? '…' : ''}\n`);
});
if (result.passages.length === 0) console.log('No passages: the question names only regions whose reports are not in the corpus.');
