// A refusal's text in two parts: the plain statement, and what the reports say that comes closest.

/** The phrases the answer pipeline puts before the closest statement (src/answer/compose-answer.ts), as data. */
const closestLeads = ['报告中最接近的表述是：', '相关表述来自以下地区的报告：', ' The closest it says: ', " Quotes from the regions' reports: "];

export interface RefusalParts {
  statement: string;
  closest: string;
}

/** Split at the server's `message` when it sends one, else at the phrase that introduces the closest statement. */
export function splitRefusal(text: string, message?: string): RefusalParts {
  const trimmed = text.trim();
  const stated = message?.trim() ?? '';
  if (stated) {
    if (trimmed === stated || !trimmed) return { statement: stated, closest: '' };
    return { statement: stated, closest: trimmed.startsWith(stated) ? trimmed.slice(stated.length).trim() : trimmed };
  }
  for (const lead of closestLeads) {
    const at = trimmed.indexOf(lead);
    if (at > 0) return { statement: trimmed.slice(0, at).trim(), closest: trimmed.slice(at + lead.length).trim() };
  }
  return { statement: trimmed, closest: '' };
}
