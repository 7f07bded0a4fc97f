// `npm run fit -- [--set FILE …] [--write]`: fits the answer step's thresholds on evaluation sets and
// reports them with their precision and recall. For every item the answer step's own evidence is gathered
// once; the quantity the decision compares with a threshold (how much of the topic the best answering
// statement speaks of) is recorded with whether that statement states the expected figures. Each threshold
// is then the one that answers the most answerable items right while refusing the most negatives.
// `--write` stores the fitted thresholds, with how they were fitted, in lexicon/answer-model.json.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { worldOf } from '../src/answer/answer-question.ts';
import { readThroughTranslation } from '../src/answer/decide.ts';
import { ANSWER_MODEL_FILE } from '../src/answer/answer-model.ts';
import { wantsFigure } from '../src/answer/evidence.ts';
import { Assistant } from '../src/assistant.ts';
import { openIndex } from '../src/compose.ts';
import { readConfig } from '../src/config.ts';
import { normalizeForScoring, readEvalSet, type EvalItem } from '../src/eval/eval-set.ts';

const { values } = parseArgs({
  options: {
    set: { type: 'string', multiple: true, default: ['eval/dev.json', 'eval/dev-extra.json', 'eval/probe.json'] },
    write: { type: 'boolean', default: false },
  },
});

interface Observation {
  id: string;
  negative: boolean;
  family: 'figure' | 'statement';
  /** Whether the topic was read through translation (decide.ts's readThroughTranslation): it matches less of a Chinese statement. */
  language: 'zh' | 'en';
  /** How much of the topic the best statement that could answer speaks of (0 when none). */
  best: number;
  /** Whether that statement states every expected figure (answerable items). */
  right: boolean;
}

const config = readConfig();
const index = await openIndex(config);
const assistant = new Assistant(index);
const retriever = assistant.retriever;
const observations: Observation[] = [];
for (const file of values.set!) {
  for (const item of await readEvalSet(file)) observations.push(...(await observe(item)));
}

async function observe(item: EvalItem): Promise<Observation[]> {
  const intent = retriever.understand({ question: item.question, history: item.history ?? [] });
  // Rankings across regions, key tasks, places outside the corpus and questions out of scope are decided
  // without these thresholds.
  if (intent.outOfScope || intent.shape === 'across' || intent.shape === 'tasks' || intent.asks.length === 0) return [];
  const regions = intent.subjects.map((entry) => entry.name).filter((name) => retriever.hasRegion(name));
  if (regions.length === 0 && intent.subjects.length > 0) return [];
  const retrieval = await retriever.retrieve({ question: intent.search.text, intent, k: 5 });
  const world = worldOf(assistant.dependencies, intent, retrieval);
  const region = regions[0] ?? '全国';
  const ask = intent.asks[0]!;
  const family = wantsFigure(ask) ? 'figure' : 'statement';
  const evidence = world.evidence(region, ask, {});
  const usable = evidence.candidates.filter((candidate) => family === 'statement' || candidate.figure !== undefined || candidate.worded !== undefined);
  const best = usable[0];
  const expected = item.expect.filter((_, position) => (item.expect_region?.[position] ?? item.region) === region || !item.expect_region);
  const quoted = best ? normalizeForScoring(best.sentence.text) : '';
  const right = expected.length > 0 && expected.some((text) => quoted.includes(normalizeForScoring(text)));
  return [{ id: item.id, negative: item.expect.length === 0, family, language: readThroughTranslation(evidence) ? 'en' : 'zh', best: best?.features.topic ?? 0, right }];
}

interface Fit {
  threshold: number;
  precision: number;
  recall: number;
  negativesRefused: number;
  accuracy: number;
  items: number;
}

/** The threshold that gets the most items right (answered right, or refused when negative); ties: the middle of the best run. */
function fit(family: Observation['family'], language?: Observation['language']): Fit {
  const items = observations.filter((observation) => observation.family === family && (!language || observation.language === language));
  const candidates: Fit[] = [];
  for (let step = 20; step <= 95; step++) {
    const threshold = step / 100;
    const answered = items.filter((item) => item.best >= threshold);
    const answeredRight = answered.filter((item) => !item.negative && item.right).length;
    const answerable = items.filter((item) => !item.negative).length;
    const negatives = items.filter((item) => item.negative);
    const refused = negatives.filter((item) => item.best < threshold).length;
    candidates.push({
      threshold,
      precision: answered.length > 0 ? answeredRight / answered.length : 1,
      recall: answerable > 0 ? answeredRight / answerable : 1,
      negativesRefused: negatives.length > 0 ? refused / negatives.length : 1,
      accuracy: (answeredRight + refused) / Math.max(1, items.length),
      items: items.length,
    });
  }
  const top = Math.max(...candidates.map((candidate) => candidate.accuracy));
  const best = candidates.filter((candidate) => candidate.accuracy === top);
  return best[Math.floor(best.length / 2)]!;
}

// Figures in Chinese and in English apart: an English topic reaches the Chinese text through translation.
const figure = fit('figure', 'zh');
const figureEnglish = fit('figure', 'en');
const statement = fit('statement');
const percent = (value: number): string => value.toFixed(3);
console.log(`${observations.length} items of ${values.set!.join(', ')} (rankings, key tasks and refusals by type left out)`);
for (const [name, result] of [['figure', figure], ['figure (English)', figureEnglish], ['statement', statement]] as const) {
  console.log(`${name.padEnd(17)} threshold ${result.threshold.toFixed(2)}  precision ${percent(result.precision)}  recall ${percent(result.recall)}  negatives refused ${percent(result.negativesRefused)}  (${result.items} items)`);
}
if (values.write) {
  const model = JSON.parse(readFileSync(ANSWER_MODEL_FILE, 'utf8')) as { thresholds: Record<string, number>; fitted: unknown };
  model.thresholds.figureTopic = figure.threshold;
  model.thresholds.figureTopicEnglish = figureEnglish.threshold;
  model.thresholds.statementTopic = statement.threshold;
  model.fitted = {
    sets: values.set,
    items: observations.length,
    figure: { threshold: figure.threshold, precision: +figure.precision.toFixed(3), recall: +figure.recall.toFixed(3), negativesRefused: +figure.negativesRefused.toFixed(3), items: figure.items },
    figureEnglish: { threshold: figureEnglish.threshold, precision: +figureEnglish.precision.toFixed(3), recall: +figureEnglish.recall.toFixed(3), negativesRefused: +figureEnglish.negativesRefused.toFixed(3), items: figureEnglish.items },
    statement: { threshold: statement.threshold, precision: +statement.precision.toFixed(3), recall: +statement.recall.toFixed(3), negativesRefused: +statement.negativesRefused.toFixed(3), items: statement.items },
  };
  writeFileSync(ANSWER_MODEL_FILE, `${JSON.stringify(model, null, 2)}\n`);
  console.log(`written to ${ANSWER_MODEL_FILE.pathname}`);
}
