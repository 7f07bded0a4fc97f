import { readConfig } from './src/config.ts';
import { openIndex } from './src/compose.ts';
import { Assistant } from './src/assistant.ts';
const index = await openIndex(readConfig(), {});
const a = new Assistant(index);
const args = process.argv.slice(2);
let history: any[] = [];
for (const q of args) {
  if (q === '--') { history = []; continue; }
  let region: string | undefined;
  let question = q;
  const m = /^@(\S+) (.*)$/.exec(q); if (m) { region = m[1]; question = m[2]!; }
  const r = await a.ask({ question, history, ...(region ? { region } : {}) });
  console.log('##', q, '| grounded', r.grounded, '| regions', r.regions.join(','), r.notices.map(n => n.code).join(','));
  console.log('  ', r.answer.replace(/\n/g, ' / ').slice(0, 420));
  history = [...history, { role: 'user', content: question }, { role: 'assistant', content: r.answer }];
}
