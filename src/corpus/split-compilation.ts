// Splitting the compilation file (the national report followed by the provincial ones) into its reports.
import { AppError } from '../errors.ts';
import { resolveRegion, type RegionEntry } from './regions.ts';

export interface CompilationPart {
  /** The number in the header line (`11.江苏省政府工作报告` → 11). */
  number: number;
  region: RegionEntry;
  header: string;
  raw: string;
}

const HEADER = /^[ \t\u3000]*(\d{1,2})[.．、][ \t]*(\S*?)(?:人民)?政府工作报告[ \t]*$/;

/** Splits on header lines `N.XX政府工作报告`; a header without a region name is the national report. */
export function splitCompilation(raw: string): CompilationPart[] {
  const lines = raw.replace(/\r\n?/g, '\n').split('\n');
  const parts: CompilationPart[] = [];
  let current: { number: number; region: RegionEntry; header: string; lines: string[] } | undefined;
  for (const line of lines) {
    const match = HEADER.exec(line);
    if (match) {
      const name = match[2] ?? '';
      const region = name === '' ? resolveRegion('全国') : resolveRegion(name);
      if (!region) throw new AppError('invalid_input', `Unknown region in compilation header: ${line.trim()}`);
      if (current) parts.push({ number: current.number, region: current.region, header: current.header, raw: current.lines.join('\n') });
      current = { number: Number(match[1]), region, header: line.trim(), lines: [] };
      continue;
    }
    current?.lines.push(line);
  }
  if (current) parts.push({ number: current.number, region: current.region, header: current.header, raw: current.lines.join('\n') });
  return parts;
}
