// The offline key-task summary: a region's task headings, from the sub-section openings retrieval
// returned, each cited. (Answers to one question are decided in decide.ts and written in compose.ts.) Pure.
import { splitSentences } from '../chunking/split-sentences.ts';
import { getRegion } from '../corpus/regions.ts';
import { REPORT } from '../lexicon/lexicon.ts';
import type { Passage } from '../types.ts';

export interface NumberedPassage {
  n: number;
  passage: Passage;
}

export interface ExtractiveInput {
  english: boolean;
  /** The sub-section openings of the region's plan (or of its review), numbered. */
  sources: readonly NumberedPassage[];
  /** The openings are the review's: last year's work, not this year's tasks. */
  review?: boolean;
}

function regionLabel(region: string, english: boolean): string {
  if (!english) return region === '全国' ? '国务院政府工作报告' : region;
  const entry = getRegion(region);
  return region === '全国' ? 'the State Council (国务院)' : `${entry?.english[0] ?? region} (${region})`;
}

const endSentence = (text: string): string => text.replace(/[。；;，,：:]+$/, '');
/** A quoted sub-section opening reads better without its enumerator: `（一）强化…` → `强化…`. */
const withoutEnumerator = (text: string): string => text.replace(/^(?:（[一二三四五六七八九十]+）|[一二三四五六七八九十]+是|[一二三四五六七八九十]要)/, '');

/** The first sentences of the paragraphs of a text that open an enumerated item (一是…, 二是…). */
function enumeratedItems(text: string): string[] {
  return text
    .split('\n')
    .filter((paragraph) => REPORT.sentence('sentence.enumerated_item').test(paragraph))
    .map((paragraph) => splitSentences(paragraph)[0]?.text ?? paragraph);
}

/** The key tasks of a region, listed from the sub-section headings its summary sources open with. */
export function composeSummary(input: ExtractiveInput): string {
  const { english, sources } = input;
  // A review's items enumerated in paragraphs (一是…): each item's first sentence; else the passage's first sentence.
  const headings = sources.flatMap(({ n, passage }) => {
    const items = input.review ? enumeratedItems(passage.text) : [];
    return items.length > 0 ? items.map((heading) => ({ n, heading })) : [{ n, heading: splitSentences(passage.text)[0]?.text ?? passage.text.slice(0, 60) }];
  });
  const first = sources[0]?.passage;
  const region = first?.region ?? '';
  const title = first?.title ?? `${region}政府工作报告`;
  const year = first?.year ?? '';
  const reviewed = typeof year === 'number' ? year - 1 : '';
  const lead = input.review
    ? english
      ? `The work of ${reviewed} reviewed in the government work report of ${regionLabel(region, true)} 《${title}》:`
      : `《${title}》回顾的${reviewed}年主要工作：`
    : english
      ? `Key tasks for ${year} in the government work report of ${regionLabel(region, true)} 《${title}》:`
      : `《${title}》部署的${year}年重点工作主要包括：`;
  return `${lead}\n${headings.map(({ n, heading }) => `- ${endSentence(withoutEnumerator(heading))} [${n}]。`).join('\n')}`;
}
