// Domain types shared by every layer: reports, passages, sources, answers and answer events.

export type RegionLevel = 'national' | 'province' | 'city';

/** The part of a report a passage is in: the previous year's outcomes, the report year's plan, or neither. */
export type ReportPart = 'review' | 'plan' | 'other';

/** One section of a report: a part (`一、…`) or a sub-section (`（一）…`). Offsets are into the cleaned report text. */
export interface ReportSection {
  heading: string;
  level: 1 | 2;
  /**
   * The report left out this sub-section's enumerator and the sequence of its siblings supplied it: the
   * heading is `（四）` followed by the report's words, which start at `start`.
   */
  inferred?: true;
  start: number;
  end: number;
}

export interface Report {
  id: string;
  region: string;
  level: RegionLevel;
  parent?: string;
  title: string;
  /** The year the report is for (its plan's year; the review is of the year before). */
  year: number;
  date?: string;
  speaker?: string;
  sourceFile: string;
  /** The cleaned text; passage offsets point into it. */
  text: string;
  sections: ReportSection[];
}

export interface Passage {
  /** Stable id, e.g. `jiangsu-2024#p042`. */
  id: string;
  reportId: string;
  region: string;
  title: string;
  /** Headings from the part down to the sub-section, e.g. [`二、2024年重点工作`, `（三）……`]. */
  sectionPath: string[];
  text: string;
  /** Character offsets into the cleaned report text: text === report.text.slice(start, end). */
  start: number;
  end: number;
  /** Position of the passage within its report, 0-based. */
  ordinal: number;
  /** The report's year, and the part of the report the passage is in (computed once at ingest). */
  year: number;
  part: ReportPart;
}

/** A passage as a client sees it, numbered for citation. */
export interface Source {
  n: number;
  id: string;
  region: string;
  title: string;
  section: string;
  text: string;
  score: number;
  /** Character offsets into `text` of the sentences or clauses the answer quoted from this source. */
  quotes?: { start: number; end: number }[];
}

export interface Turn {
  role: 'user' | 'assistant';
  content: string;
}

export type AnswerMode = 'extractive' | 'llm';

export interface TargetRow {
  indicator: string;
  label: string;
  /** Exactly as the report writes it (`5%以上`, `与经济增长同步`); a list's shared qualifier is distributed. */
  value: string;
  passageId: string;
  /** The value's (first) number and unit as written: 5 and `%` for `5%以上`, 1.3 and `万亿斤` for `1.3万亿斤以上`. */
  number?: number;
  /** Every number of the value when it has more than one. */
  numbers?: number[];
  unit?: string;
  /** `左右` `以上` `以内` `以下` `正增长` `同步` `稳定`, or `` for an exact figure. */
  qualifier?: string;
  /** Absolute amounts in one unit across reports (grain in 万吨, jobs in 万人). */
  comparable?: { number: number; unit: string };
  /** Urban or rural residents only, or everyone. */
  scope?: 'all' | 'urban' | 'rural';
  year?: number;
  /** The clause of the report the value was read from, as written, and where it is in the passage's text. */
  quote?: string;
  quoteSpan?: { start: number; end: number };
}

export interface RegionTargets {
  region: string;
  /** The report the targets are read from: its year, title and id (set by `extractTargets`). */
  year?: number;
  title?: string;
  reportId?: string;
  targets: TargetRow[];
}

export interface TaskSummary {
  heading: string;
  points: string[];
  citations: number[];
}

export interface RegionSummary {
  region: string;
  title: string;
  /** The year of the report summarized, and every year the corpus holds a report of the region for (ascending). */
  year: number;
  years: number[];
  targets: TargetRow[];
  tasks: TaskSummary[];
  sources: Source[];
  /** With a chat model: a short cited overview written from the sources (checked like any answer). */
  overview?: { text: string; citations: number[]; flagged: FlaggedSentence[] };
  /** Why the overview is missing when a model is configured (it failed or timed out). */
  notice?: string;
}

/** A sentence of the answer whose numbers appear in none of the passages it cites. */
export interface FlaggedSentence {
  sentence: string;
  numbers: string[];
}

/** The events of one answer, in order: start, sources, text-delta…, (notice…), end — or error as the last event. */
export type AnswerEvent =
  | { type: 'start'; mode: AnswerMode; regions: string[]; query: string }
  | { type: 'sources'; sources: Source[] }
  | { type: 'text-delta'; text: string }
  | { type: 'notice'; code: string; message: string }
  | {
      type: 'end';
      answer: string;
      citations: number[];
      grounded: boolean;
      mode: AnswerMode;
      flagged: FlaggedSentence[];
      /** Why the reports cannot answer, when `grounded` is false. */
      refusal?: { reason: string; message?: string };
    }
  | { type: 'error'; code: string; message: string };
