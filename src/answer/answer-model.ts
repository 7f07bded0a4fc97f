// The answer step's weights and thresholds, as data (lexicon/answer-model.json, refitted by
// scripts/fit-answer-model.ts on the evaluation sets): how a candidate statement is scored, and where the
// one decision draws the line between answering and refusing.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** What is known of a candidate statement, each 0–1 (dense: −1–1). */
export interface Features {
  topic: number;
  heading: number;
  dense: number;
  fit: number;
  part: number;
  retrieved: number;
  figureNear: number;
}

const modelSchema = z.object({
  weights: z.object({
    topic: z.number(),
    heading: z.number(),
    dense: z.number(),
    fit: z.number(),
    part: z.number(),
    retrieved: z.number(),
    figureNear: z.number(),
    tableBonus: z.number(),
    minRarity: z.number(),
    maxRarity: z.number(),
    indicatorFactor: z.number(),
    windowDecay: z.number(),
    maxWindow: z.number().int(),
    headingAsTopic: z.number(),
    /** How much a Chinese word a question names an indicator by (进口 of 进出口) says of it in a measure or statement. */
    indicatorWord: z.number(),
    fieldMember: z.number(),
    /** How many sentences after a lead sentence are its measures (where no paragraph break or other lead ends them). */
    leadReach: z.number().int(),
    /** The factor on a measure's topic where it names the topic only as one item of a run of four or more (养老金融 of 五篇大文章). */
    enumeratedMention: z.number(),
  }),
  /** How many statements an answer quotes at most, by what it answers. */
  quotes: z.object({
    measures: z.number().int(),
    statements: z.number().int(),
    /** A field asked (就业方面的目标): several figures. */
    fieldFigures: z.number().int(),
    /** One indicator asked: its figure. */
    figure: z.number().int(),
    /** A target stated in words may be said in more than one place. */
    wordedTargets: z.number().int(),
    /** The items of a list the best statements open (办好10件为民实事：一是…). */
    listItems: z.number().int(),
  }),
  thresholds: z.object({
    /** A figure answers only when its statement speaks of at least this much of the topic. */
    figureTopic: z.number(),
    /** The same for a question in English, whose topic reaches the Chinese text through translation (fitted apart). */
    figureTopicEnglish: z.number(),
    /** A statement or measure answers only when it speaks of at least this much of the topic. */
    statementTopic: z.number(),
    /** Below this, the report is said not to speak of the topic at all. */
    mentioned: z.number(),
    /** Further statements are quoted while their score is at least this share of the best one's. */
    keepRatio: z.number(),
    /** The same for the measures asked, which speak of the topic each in its own words (set by hand on the shared and dev sets). */
    keepRatioMeasures: z.number(),
    /** Measures of a field are the run-in leads of a section whose heading speaks of at least this much of the topic. */
    sectionHeading: z.number(),
  }),
  fitted: z.unknown(),
});

export type AnswerModel = z.infer<typeof modelSchema>;

export const ANSWER_MODEL_FILE = new URL('../../lexicon/answer-model.json', import.meta.url);

export const ANSWER_MODEL: AnswerModel = modelSchema.parse(JSON.parse(readFileSync(ANSWER_MODEL_FILE, 'utf8')));
