// Which of a region's reports a question is about, when the corpus holds several years: a written year
// goes to that year's report (or, for a year under review, to the next year's report); 今年 and no year
// mean the latest report the region has; 去年 means the latest report's review and the previous year's
// report where present; several written years (江苏2025年GDP目标比2024年高吗？) mean each of those reports. Pure.

export interface ReportYears {
  region: string;
  /** The report years the corpus holds for the region, ascending. */
  present: number[];
  /** The report years to search, first the main one. */
  used: number[];
  /** Of those, the reports read for their plan only (the previous year's report for 去年: its review is of the year before). */
  planOnly: number[];
  /** Written years no report of the region covers (neither its plan nor its review). */
  uncovered: number[];
}

/**
 * `relative`: years the question names in words, by their distance from the report year (今年 0, 去年 -1).
 * `outcome`: the question asks what happened (增长了多少, 完成): a year then goes first to the next
 * year's report, whose review gives the outcome, and 去年 only to the latest report's review.
 */
export function chooseReportYears(region: string, present: readonly number[], relative: readonly number[], writtenYears: readonly number[], outcome = false): ReportYears {
  const years = [...present].sort((left, right) => left - right);
  const latest = years.at(-1);
  if (latest === undefined) return { region, present: [], used: [], planOnly: [], uncovered: [...writtenYears] };
  const used: number[] = [];
  const planOnly: number[] = [];
  const uncovered: number[] = [];
  const add = (year: number): void => {
    if (!used.includes(year)) used.push(year);
  };
  for (const year of writtenYears.filter((candidate) => candidate >= 1978 && candidate < 2100)) {
    if (outcome && years.includes(year + 1)) add(year + 1); // the year's outcome is in the next year's review
    else if (years.includes(year)) add(year);
    else if (years.includes(year + 1)) add(year + 1); // the year under review in the next year's report
    else uncovered.push(year);
  }
  if (relative.includes(0)) add(latest);
  if (relative.includes(-1)) {
    add(latest);
    if (!outcome && years.includes(latest - 1)) {
      add(latest - 1);
      planOnly.push(latest - 1);
    }
  }
  if (used.length === 0) add(latest);
  return { region, present: years, used, planOnly, uncovered };
}
