// `npm run ask -- "苏州今年城镇新增就业目标是多少？"`: prints the answer with its numbered sources.
import { parseArgs } from 'node:util';
import { Assistant } from '../assistant.ts';
import { LlmAnswerer } from '../answer/llm-answerer.ts';
import { openIndex } from '../compose.ts';
import { readConfig } from '../config.ts';
import { createProgressBar } from './progress.ts';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { region: { type: 'string' }, k: { type: 'string' } } });
const question = positionals.join(' ').trim();
if (!question) {
  console.error('Usage: npm run ask -- "你的问题" [--region 江苏] [--k 5]');
  process.exit(2);
}
const config = readConfig();
const progress = createProgressBar();
const index = await openIndex(config, { onProgress: progress.listener, log: (line) => console.error(line) });
progress.stop();
const assistant = new Assistant(index, config.chat ? new LlmAnswerer(config.chat) : undefined);
const result = await assistant.ask({ question, ...(values.region ? { region: values.region } : {}), ...(values.k ? { k: Number(values.k) } : {}) });
console.log(`\n${result.answer}\n`);
console.log(`mode: ${result.mode}   grounded: ${result.grounded}   regions: ${result.regions.join('、') || '—'}${result.query !== question ? `   query: ${result.query}` : ''}`);
for (const notice of result.notices) console.log(`notice: ${notice.message}`);
for (const flag of result.flagged) console.log(`flagged: ${flag.sentence} (numbers not in the cited passage: ${flag.numbers.join(', ')})`);
console.log('');
for (const source of result.sources) {
  const cited = result.citations.includes(source.n) ? '*' : ' ';
  console.log(`${cited}[${source.n}] ${source.region} · ${source.section} (${source.id}, score ${source.score})`);
  console.log(`    ${source.text.replace(/\s+/g, ' ').slice(0, 160)}${source.text.length > 160 ? '…' : ''}`);
}
