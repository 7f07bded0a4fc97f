// Names the reports write in characters, found by how an English question spells them in pinyin (Sanjiangyuan →
// 三江源, Yixinou → 义新欧, Hongqi → 红旗): the runs of characters whose readings, tones aside, spell the name.
// pinyin-pro's dictionary (some 25 MB in memory) is loaded on the first name looked up, not with the server.
import { createRequire } from 'node:module';
import { jieba } from '../corpus/jieba.ts';

type Pinyin = (text: string, options: { toneType: 'none'; multiple: true; type: 'array' }) => string[];

const require = createRequire(import.meta.url);
const HANZI = /[\u3400-\u9fff]/;
/** Ways of cutting a name into syllables tried, fewest syllables first; and the lengths of a name. */
const MAX_CUTS = 8;
const SYLLABLES = { min: 2, max: 5 } as const;

/** Whether jieba, cutting the text around a run, starts a word where the run starts and ends one where it ends. */
function alignedWithWords(text: string, start: number, end: number): boolean {
  const from = Math.max(0, start - 6);
  let at = from;
  let starts = false;
  for (const word of jieba.cut(text.slice(from, Math.min(text.length, end + 6)), true)) {
    if (at === start) starts = true;
    at += word.length;
    if (at === end) return starts;
    if (at > end) return false;
  }
  return false;
}

export class NamesBySound {
  /** Each character of the texts → its readings, tones aside (ü also as v and u, as English spells it). */
  private readings: Map<string, ReadonlySet<string>> | undefined;
  private syllables: Set<string> | undefined;
  private longest = 0;
  private readonly found = new Map<string, string[]>();

  constructor(private readonly texts: () => Iterable<string>) {}

  /**
   * The runs of characters, most written first, that a name spells (at most `limit`); [] for a word that is no
   * name the texts write (fewer than four letters, or no cut of it into syllables the texts' characters read).
   */
  find(name: string, limit = 2): string[] {
    const letters = name.toLowerCase().replace(/[^a-z]/g, '');
    if (letters.length < 4) return [];
    const known = this.found.get(letters);
    if (known) return known.slice(0, limit);
    this.load();
    const counts = new Map<string, number>();
    for (const cut of this.cuts(letters)) {
      for (const text of this.texts()) {
        for (let start = 0; start + cut.length <= text.length; start++) {
          let matches = true;
          for (let offset = 0; offset < cut.length && matches; offset++) matches = this.readings!.get(text[start + offset]!)?.has(cut[offset]!) === true;
          if (!matches) continue;
          // (A run that starts or ends inside a word, 化和 of 深化和, is no name.)
          if (!alignedWithWords(text, start, start + cut.length)) continue;
          const run = text.slice(start, start + cut.length);
          counts.set(run, (counts.get(run) ?? 0) + 1);
        }
      }
      // The fewest syllables that spell a written name are its reading (san jiang yuan, not san ji ang yuan).
      if (counts.size > 0) break;
    }
    // (Runs written far less often than the likeliest are other words that sound alike: 红其 of 红其拉甫 beside 红旗.)
    const top = Math.max(0, ...counts.values());
    const ranked = [...counts]
      .filter(([, count]) => count * 2 >= top)
      .sort((left, right) => right[1] - left[1] || left[0].localeCompare(right[0]))
      .map(([run]) => run);
    if (this.found.size > 1000) this.found.clear();
    this.found.set(letters, ranked);
    return ranked.slice(0, limit);
  }

  private load(): void {
    if (this.readings) return;
    const pinyin = (require('pinyin-pro') as { pinyin: Pinyin }).pinyin;
    const readings = new Map<string, ReadonlySet<string>>();
    const syllables = new Set<string>();
    for (const text of this.texts()) {
      for (const char of text) {
        if (readings.has(char) || !HANZI.test(char)) continue;
        const own = new Set<string>();
        for (const reading of pinyin(char, { toneType: 'none', multiple: true, type: 'array' })) {
          for (const spelled of reading.includes('ü') ? [reading.replace(/ü/g, 'v'), reading.replace(/ü/g, 'u')] : [reading]) {
            if (!/^[a-z]+$/.test(spelled)) continue;
            own.add(spelled);
            syllables.add(spelled);
            this.longest = Math.max(this.longest, spelled.length);
          }
        }
        readings.set(char, own);
      }
    }
    this.readings = readings;
    this.syllables = syllables;
  }

  /** The cuts of the letters into syllables the texts' characters read, fewest syllables first. */
  private cuts(letters: string): string[][] {
    const found: string[][] = [];
    const walk = (at: number, cut: string[]): void => {
      if (found.length >= MAX_CUTS * 4 || cut.length > SYLLABLES.max) return;
      if (at === letters.length) {
        if (cut.length >= SYLLABLES.min) found.push([...cut]);
        return;
      }
      for (let end = Math.min(letters.length, at + this.longest); end > at; end--) {
        const syllable = letters.slice(at, end);
        if (this.syllables!.has(syllable)) walk(end, [...cut, syllable]);
      }
    };
    walk(0, []);
    return found.sort((left, right) => left.length - right.length).slice(0, MAX_CUTS);
  }
}
