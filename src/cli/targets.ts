// `npx tsx src/cli/targets.ts [--fixture tests/fixtures/targets-verified.json]`: prints every region's 2024
// main targets as extracted, and their accuracy against the hand-verified fixture.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { extractTargets, scoreTargets, verifiedTargetsSchema } from '../answer/extract-targets.ts';
import { openIndex } from '../compose.ts';
import { readConfig } from '../config.ts';
import { listRegions } from '../corpus/regions.ts';
import { createProgressBar } from './progress.ts';

const { values } = parseArgs({ options: { fixture: { type: 'string', default: 'tests/fixtures/targets-verified.json' } } });
const config = readConfig();
const progress = createProgressBar();
const index = await openIndex(config, { onProgress: progress.listener, log: (line) => console.error(line) });
progress.stop();

const started = performance.now();
const extracted = extractTargets(index);
const elapsed = performance.now() - started;

for (const { region, targets } of extracted) {
  console.log(`${region}（${targets.length}）`);
  for (const row of targets) console.log(`  ${row.label.padEnd(14, '　')} ${row.value.padEnd(10)} ${(row.qualifier || '—').padEnd(4, '　')} [${row.passageId}]`);
}
const found = new Set(extracted.map((entry) => entry.region));
const missing = listRegions().filter((entry) => index.reports.some((report) => report.region === entry.name) && !found.has(entry.name));
console.log('');
console.log(`${extracted.length} regions with targets, ${extracted.reduce((sum, entry) => sum + entry.targets.length, 0)} rows, extracted in ${elapsed.toFixed(1)} ms`);
if (missing.length > 0) console.log(`no targets statement found: ${missing.map((entry) => entry.name).join('、')}`);

const fixtureText = await readFile(values.fixture, 'utf8').catch((error: unknown) => {
  console.error(`Cannot read the fixture ${values.fixture}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
});
const fixture = verifiedTargetsSchema.safeParse(JSON.parse(fixtureText));
if (!fixture.success) {
  console.error(`The fixture ${values.fixture} is not valid: ${fixture.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  process.exit(2);
}
const score = scoreTargets(extracted, fixture.data);
for (const mistake of score.mistakes) console.log(`miss: ${mistake}`);
for (const line of score.unverified) console.log(`not in the fixture: ${line}`);
console.log('');
console.log('accuracy per indicator (value exact, with its qualifier and scope; absences = regions that set none and got none):');
console.log(`  ${'indicator'.padEnd(20)} ${'values'.padStart(7)}  ${'absences'.padStart(8)}  ${'all'.padStart(7)}  accuracy`);
const ratio = (correct: number, total: number): string => `${correct}/${total}`;
for (const entry of score.indicators) {
  const absences = ratio(entry.correct - entry.values.correct, entry.total - entry.values.total);
  console.log(`  ${entry.indicator.padEnd(20)} ${ratio(entry.values.correct, entry.values.total).padStart(7)}  ${absences.padStart(8)}  ${ratio(entry.correct, entry.total).padStart(7)}  ${(entry.correct / entry.total).toFixed(3)}`);
}
const valuesCorrect = score.indicators.reduce((sum, entry) => sum + entry.values.correct, 0);
const valuesTotal = score.indicators.reduce((sum, entry) => sum + entry.values.total, 0);
console.log(`values exact: ${valuesCorrect}/${valuesTotal} (${valuesTotal === 0 ? '0.000' : (valuesCorrect / valuesTotal).toFixed(3)})`);
console.log(`targets accuracy: ${score.correct}/${score.total} (${score.accuracy.toFixed(3)}) on ${score.regions} regions`);
