// Report section headings in the interface language: the recurring top-level parts of a work report, as data.
import { getLanguage } from './i18n.ts';

/** Checked in order; `$1` is the year the heading names. Headings no rule knows stay in Chinese. */
const sectionRules: { pattern: RegExp; english: string }[] = [
  { pattern: /(\d{4})年.*(?:工作回顾|工作总结)/, english: 'Review of work in $1' },
  { pattern: /^[一二三四五六七八九十]*、?(?:过去一年|.*工作回顾)/, english: 'Review of the past year’s work' },
  { pattern: /(\d{4})年.*(?:总体要求|预期目标|主要目标|政策取向)/, english: 'Overall requirements and main targets for $1' },
  { pattern: /(\d{4})年.*(?:工作安排|重点工作|主要任务|重点任务|主要工作|工作思路|目标任务)/, english: 'Work plan for $1' },
  { pattern: /政府自身建设/, english: 'Strengthening the government itself' },
  { pattern: /十四五/, english: 'The 14th Five-Year Plan' },
];

/** `二、2024年工作安排 › （七）……` → `Work plan for 2024 › （七）……` in English; unchanged in Chinese. */
export function displaySection(section: string): string {
  if (getLanguage() !== 'en' || !section) return section;
  return section
    .split(' › ')
    .map((part) => {
      const rule = sectionRules.find((candidate) => candidate.pattern.test(part));
      if (!rule) return part;
      const year = /(\d{4})年/.exec(part)?.[1] ?? '';
      return rule.english.replace('$1', year);
    })
    .join(' › ');
}
