// The checks a stress run must pass, collected as it goes, printed as a table and turned into the exit code.
import { formatTable } from './table.ts';

export interface Invariant {
  phase: string;
  check: string;
  measured: string;
  held: boolean;
}

export class InvariantLog {
  readonly entries: Invariant[] = [];

  record(phase: string, check: string, held: boolean, measured: string): boolean {
    this.entries.push({ phase, check, measured, held });
    if (!held) console.error(`[stress] VIOLATED (${phase}): ${check} — ${measured}`);
    return held;
  }

  get violated(): Invariant[] {
    return this.entries.filter((entry) => !entry.held);
  }

  format(): string {
    return formatTable(
      ['phase', 'invariant', 'measured', 'held'],
      this.entries.map((entry) => [entry.phase, entry.check, entry.measured, entry.held ? 'yes' : 'NO']),
    );
  }
}
