// Plain-text tables for the terminal (and the README): columns padded by display width, so Chinese
// characters, which take two columns, line up.

/** Columns a string takes in a terminal: CJK and full-width forms take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const character of text) {
    const code = character.codePointAt(0)!;
    const wide =
      (code >= 0x1100 && code <= 0x115f) ||
      (code >= 0x2e80 && code <= 0xa4cf) ||
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xfe30 && code <= 0xfe4f) ||
      (code >= 0xff00 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6) ||
      (code >= 0x20000 && code <= 0x3fffd);
    width += wide ? 2 : 1;
  }
  return width;
}

function pad(text: string, width: number, alignRight: boolean): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return alignRight ? fill + text : text + fill;
}

/**
 * A markdown-compatible table: `| a | b |` rows under a header. Columns whose cells (after the header)
 * all look numeric are right-aligned.
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = rows.map((row) => headers.map((_, column) => String(row[column] ?? '')));
  const widths = headers.map((header, column) => Math.max(displayWidth(header), ...cells.map((row) => displayWidth(row[column]!))));
  const numeric = headers.map((_, column) => cells.length > 0 && cells.every((row) => /^[-+<>≤≥~]?[\d.,]+\s*(%|ms|s|MB|×|q\/s)?$|^—$/.test(row[column]!.trim())));
  const line = (row: readonly string[]): string => `| ${row.map((cell, column) => pad(cell, widths[column]!, numeric[column]!)).join(' | ')} |`;
  const rule = `|${widths.map((width, column) => (numeric[column] ? `${'-'.repeat(width + 1)}:` : '-'.repeat(width + 2))).join('|')}|`;
  return [line(headers), rule, ...cells.map(line)].join('\n');
}

/** A titled section for the terminal report. */
export function section(title: string, body: string): string {
  return `\n## ${title}\n\n${body}\n`;
}
