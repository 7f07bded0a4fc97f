// Conversations as the page saves them, with real passages of the reports, for the store's and the routes' tests.
import type { Conversation, Exchange } from '../../src/conversations/records.ts';

export const JIANGSU_TARGETS =
  '今年经济社会发展主要预期目标是：地区生产总值增长5%以上，一般公共预算收入增长4%左右，居民人均可支配收入与经济增长同步，城镇新增就业120万人以上，城镇调查失业率5%左右。';
export const SUZHOU_JOBS = '城镇新增就业17万人，城镇调查失业率控制在5%以内。';

export function exchange(id: string, question: string, answer: string, passage = JIANGSU_TARGETS, region = '江苏省', askedAt = 1_700_000_000_000): Exchange {
  const start = passage.indexOf('地区生产总值');
  return {
    id,
    question,
    askedAt,
    state: 'done',
    answer,
    mode: 'extractive',
    regions: [region],
    sources: [
      {
        n: 1,
        id: region === '江苏省' ? 'jiangsu-2024#p027' : 'suzhou-2024#p031',
        region,
        title: `2024年${region}政府工作报告`,
        section: '二、2024年工作总体要求和目标任务',
        text: passage,
        score: 0.83,
        ...(start >= 0 ? { quotes: [{ start, end: start + 12 }] } : {}),
      },
    ],
    citations: [1],
    grounded: true,
    flagged: [],
    notices: [],
  };
}

export function conversation(id: string, exchanges: Exchange[], updatedAt = 1_700_000_100_000, title?: string): Conversation {
  return { id, title: title ?? exchanges[0]?.question ?? '新对话', renamed: title !== undefined, createdAt: 1_700_000_000_000, updatedAt, exchanges };
}

export const jiangsuExchange = (id = 'a1'): Exchange => exchange(id, '2024年江苏省地区生产总值增长目标是多少？', '根据《2024年江苏省政府工作报告》：地区生产总值增长5%以上 [1]。');
export const suzhouExchange = (id = 'a2'): Exchange => exchange(id, '那苏州呢？', '根据《2024年苏州市政府工作报告》：城镇新增就业17万人 [1]。', SUZHOU_JOBS, '苏州市', 1_700_000_050_000);
