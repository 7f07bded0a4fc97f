// The passage store: reports, their passages and their text, by id, and the regions and years present.
// Immutable: adding or removing a report gives a new store, so an answer in progress keeps the one it began with.
import type { Passage, Report } from '../types.ts';

export class PassageStore {
  private readonly reportsById: Map<string, Report>;
  private readonly passagesById: Map<string, Passage>;
  private readonly byReport = new Map<string, Passage[]>();

  constructor(
    readonly reports: readonly Report[],
    /** Report by report, each in reading order. */
    readonly passages: readonly Passage[],
  ) {
    this.reportsById = new Map(reports.map((report) => [report.id, report]));
    this.passagesById = new Map(passages.map((passage) => [passage.id, passage]));
    for (const passage of passages) {
      const list = this.byReport.get(passage.reportId) ?? [];
      list.push(passage);
      this.byReport.set(passage.reportId, list);
    }
  }

  report(id: string): Report | undefined {
    return this.reportsById.get(id);
  }

  passage(id: string): Passage | undefined {
    return this.passagesById.get(id);
  }

  passagesOf(reportId: string): readonly Passage[] {
    return this.byReport.get(reportId) ?? [];
  }

  /** Regions with at least one passage, in report order. */
  regions(): string[] {
    return [...new Set(this.reports.filter((report) => this.byReport.has(report.id)).map((report) => report.region))];
  }

  /** The years a region has reports for, ascending. */
  yearsOf(region: string): number[] {
    return [...new Set(this.reports.filter((report) => report.region === region).map((report) => report.year))].sort((left, right) => left - right);
  }

  /** The years any report is for, ascending. */
  years(): number[] {
    return [...new Set(this.reports.map((report) => report.year))].sort((left, right) => left - right);
  }

  /**
   * The report that stands for a region in a year (the year's, or without one the latest the region has):
   * of the reports with passages, the one with most (Jiangsu's PDF copy keeps none, its original does).
   */
  mainReport(region: string, year?: number): Report | undefined {
    let best: Report | undefined;
    let bestCount = 0;
    for (const report of this.reports) {
      if (report.region !== region || (year !== undefined && report.year !== year)) continue;
      const count = this.passagesOf(report.id).length;
      if (count > 0 && (!best || report.year > best.year || (report.year === best.year && count > bestCount))) {
        best = report;
        bestCount = count;
      }
    }
    return best;
  }

  withReport(report: Report, passages: readonly Passage[]): PassageStore {
    if (this.reportsById.has(report.id)) throw new Error(`Report ${report.id} is already in the store`);
    return new PassageStore([...this.reports, report], [...this.passages, ...passages]);
  }

  withoutReport(reportId: string): PassageStore {
    return new PassageStore(
      this.reports.filter((report) => report.id !== reportId),
      this.passages.filter((passage) => passage.reportId !== reportId),
    );
  }
}
