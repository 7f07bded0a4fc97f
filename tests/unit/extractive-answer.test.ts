// The key-task summary: a region's task headings, each cited, in Chinese or with an English lead.
// Passages are real report text. (Answers to one question: answer-cases.test.ts.)
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { composeSummary, type ExtractiveInput, type NumberedPassage } from '../../src/answer/extractive-answer.ts';

const ZHEJIANG_TASK_LEADS = [
  '（一）聚焦聚力提升政策引导保障成效。准确把握政策取向，加强政策工具创新和协调配合，进一步提高政策实施的精准度、实效性。\n迭代升级“8+4”经济政策体系。优化8个政策包和4张要素保障清单，安排省级财政资金1023.6亿元，支持经济高质量发展。',
  '（二）聚焦聚力扩大有效益的投资、激发有潜能的消费。深入实施扩大有效投资“千项万亿”工程，优化投资结构、提高投资效益。挖掘消费潜力，促进消费提质扩容、平稳增长。',
  '（三）聚焦聚力建设现代化产业体系。以深入实施数字经济创新提质“一号发展工程”为牵引，大力实施“415X”先进制造业集群培育和服务业高质量发展“百千万”工程，扎实推进新型工业化。',
];

const SLUGS: Record<string, string> = { 江苏省: 'jiangsu', 浙江省: 'zhejiang' };

function numbered(n: number, region: string, text: string, part: string): NumberedPassage {
  const slug = SLUGS[region] ?? 'region';
  return {
    n,
    passage: { id: `${slug}-2024#p${String(n).padStart(3, '0')}`, reportId: `${slug}-2024`, region, title: `2024年${region}政府工作报告`, sectionPath: [part], text, start: 0, end: text.length, ordinal: n, year: 2024, part: /回顾|2023/.test(part) ? 'review' : 'plan' },
  };
}

/** The input the pipeline builds: the language of the question and the numbered sub-section openings. */
function inputFor(question: string, sources: NumberedPassage[]): ExtractiveInput {
  return { english: !/[\u4e00-\u9fff]/.test(question), sources };
}

describe('the key-task summary', () => {
  const sources = ZHEJIANG_TASK_LEADS.map((text, position) => numbered(position + 1, '浙江省', text, '二、2024年重点工作'));

  test('lists the sub-section headings without their （一） numbering, each cited', () => {
    const summary = composeSummary(inputFor('浙江2024年的重点工作有哪些？', sources));
    assert.equal(
      summary,
      [
        '《2024年浙江省政府工作报告》部署的2024年重点工作主要包括：',
        '- 聚焦聚力提升政策引导保障成效 [1]。',
        '- 聚焦聚力扩大有效益的投资、激发有潜能的消费 [2]。',
        '- 聚焦聚力建设现代化产业体系 [3]。',
      ].join('\n'),
    );
  });

  test('in English, leads in English and keeps the Chinese headings', () => {
    const summary = composeSummary(inputFor("What are Zhejiang's key tasks for 2024?", sources));
    const lines = summary.split('\n');
    assert.equal(lines[0], 'Key tasks for 2024 in the government work report of Zhejiang (浙江省) 《2024年浙江省政府工作报告》:');
    assert.equal(lines[1], '- 聚焦聚力提升政策引导保障成效 [1]。');
    assert.doesNotMatch(summary, /（[一二三]）/);
  });
});
