// Which part of a report a section belongs to, decided once at ingest: the review of the previous year
// (its outcomes), the plan of the report's year (targets and tasks), or neither (the opening lines).
import type { Report, ReportPart } from '../types.ts';
import { PREAMBLE_HEADING } from './parse-report.ts';

/** Headings that open a review part: `一、2023年工作回顾`, `过去一年的工作`, `五年工作总结`. */
const REVIEW_HEADING = /回顾|总结|过去/;

/**
 * The part a level-1 heading opens. A report's first part is its review unless its heading names the
 * report's own year (`一、2024年重点工作`): 镇江's report, for one, has no review at all.
 */
export function partOfHeading(report: Pick<Report, 'sections' | 'year'>, heading: string | undefined): ReportPart {
  if (!heading || heading === PREAMBLE_HEADING) return 'other';
  if (REVIEW_HEADING.test(heading)) return 'review';
  const first = report.sections.find((section) => section.level === 1)?.heading;
  if (heading === first && !heading.includes(String(report.year))) return 'review';
  return 'plan';
}

/** Where the plan starts: offsets before it hold the previous year's figures. */
export function planStart(report: Pick<Report, 'sections' | 'year'>): number {
  return report.sections.find((section) => section.level === 1 && partOfHeading(report, section.heading) === 'plan')?.start ?? 0;
}

/** Whether the report has a review of the previous year at all. */
export function hasReview(report: Pick<Report, 'sections' | 'year'>): boolean {
  return report.sections.some((section) => section.level === 1 && partOfHeading(report, section.heading) === 'review');
}
