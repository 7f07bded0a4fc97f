// `npm run feedback -- export [--out FILE] [--rating up|down]` writes the feedback users gave on answers as an
// evaluation file in the shared sets' format (see src/conversations/feedback-to-eval.ts for how each rating
// becomes an item); `npm run feedback -- list` counts it. Reads the same database the server does
// (DATABASE_URL, else CONVERSATIONS_DB or conversations.sqlite beside the index).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readConfig } from '../config.ts';
import { openConfiguredStore } from '../conversations/conversation-store.ts';
import { feedbackToEvalItems } from '../conversations/feedback-to-eval.ts';
import { loadCorpus } from '../corpus/load-corpus.ts';

const USAGE = 'Usage: npm run feedback -- export [--out FILE|-] [--rating up|down]   |   npm run feedback -- list';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { out: { type: 'string', default: 'results/feedback-eval.json' }, rating: { type: 'string' } },
});
const command = positionals[0];
if (command !== 'export' && command !== 'list') {
  console.error(USAGE);
  process.exit(2);
}
if (values.rating !== undefined && values.rating !== 'up' && values.rating !== 'down') {
  console.error(`--rating must be up or down (got "${values.rating}").\n${USAGE}`);
  process.exit(2);
}

const config = readConfig();
let store;
try {
  store = await openConfiguredStore(config.conversations);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
try {
  const feedback = await store.allFeedback(values.rating ? { rating: values.rating as 'up' | 'down' } : {});
  if (command === 'list') {
    const counts = new Map<string, number>();
    for (const entry of feedback) counts.set(`${entry.rating}${entry.reason ? ` · ${entry.reason}` : ''}`, (counts.get(`${entry.rating}${entry.reason ? ` · ${entry.reason}` : ''}`) ?? 0) + 1);
    console.log(`${feedback.length} ratings in ${store.backend}`);
    for (const [key, count] of [...counts].sort()) console.log(`  ${key.padEnd(32)} ${count}`);
  } else {
    // Which data/ file each cited report came from, as the shared sets' `source` names it.
    const corpus = await loadCorpus(config.dataDir).catch(() => undefined);
    const files = new Map(corpus?.reports.map((report) => [report.id, report.sourceFile]) ?? []);
    const items = feedbackToEvalItems(feedback, (passageId) => files.get(passageId.split('#')[0] ?? '') ?? null);
    const text = `${JSON.stringify(items, null, 1)}\n`;
    if (values.out === '-') process.stdout.write(text);
    else {
      await mkdir(path.dirname(path.resolve(values.out!)), { recursive: true });
      await writeFile(values.out!, text);
      const pending = items.filter((item) => item.review).length;
      console.error(`Wrote ${items.length} items to ${values.out} (${items.length - pending} ready to score, ${pending} awaiting their expected text: see each item's "review").`);
      console.error(`Score them with: npm run eval -- --set ${values.out}`);
    }
  }
} finally {
  await store.close();
}
