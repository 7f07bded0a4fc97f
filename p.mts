import { readConfig } from './src/config.ts';
import { openIndex } from './src/compose.ts';
import { Assistant } from './src/assistant.ts';
const index = await openIndex(readConfig(), {});
const a = new Assistant(index);
for (const q of process.argv.slice(2)) {
  const i = a.retriever.understand({ question: q });
  console.log('##', q, JSON.stringify({ ind: i.indicators.map(x => x.id), topic: i.topicTerms, w: i.wanted, ys: i.yearScope }));
  const r = await a.ask({ question: q });
  console.log('  ', r.grounded, r.answer.replace(/\n/g, ' / ').slice(0, 300));
}
