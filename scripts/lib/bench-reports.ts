// Benchmark of reports added and removed in place: time to add a ~30,000-character report (as the
// server does it, changing its loaded backend in place, and as the CLI does it, loading everything), to remove
// it, retrieval p50 before and after, and peak memory during the add. Works on copies of data/ and the index.
import { cp, readFile } from 'node:fs/promises';
import path from 'node:path';
import { readDocument } from '../../src/corpus/read-document.ts';
import { buildUserReport } from '../../src/corpus/user-report.ts';
import { loadIndex } from '../../src/index/index-store.ts';
import { addReports, removeReport } from '../../src/index/update-index.ts';
import { HybridRetriever } from '../../src/retrieval/hybrid-search.ts';
import { summarizeLatencies, timeEach, type LatencySummary } from './latency.ts';
import { copyIndex, fromRoot, makeTempDir } from './project.ts';

export interface ReportsBenchResult {
  reportCharacters: number;
  passagesAdded: number;
  addServerMs: number;
  addCliMs: number;
  removeMs: number;
  retrievalBefore: LatencySummary;
  retrievalAfter: LatencySummary;
  rssBeforeBytes: number;
  rssPeakDuringAddBytes: number;
}

/**
 * Test data, not a published report: Nantong's 2024 text under a made-up title (2025年海门区…), repeated
 * to about 30,000 characters, so that it is a new region and year of realistic prose.
 */
async function benchDocument(): Promise<Uint8Array> {
  const nantong = await readFile(fromRoot('data/003_e36d639f412a290e.txt'), 'utf8');
  let body = nantong.replaceAll('南通', '海门');
  while (body.length < 29_000) body += `\n${nantong.replaceAll('南通', '海门').slice(0, 29_000 - body.length)}`;
  return new TextEncoder().encode(['2025年海门区政府工作报告', '——2025年1月8日在海门区第二届人民代表大会第五次会议上', body].join('\n'));
}

export async function benchReports(indexDir: string, questions: readonly string[], repetitions: number): Promise<ReportsBenchResult> {
  const temp = await makeTempDir('bench-reports');
  try {
    const settings = { dataDir: path.join(temp.dir, 'data'), indexDir: path.join(temp.dir, 'vectorstore'), embedder: { kind: 'lsa' as const } };
    await cp(fromRoot('data'), settings.dataDir, { recursive: true });
    await copyIndex(indexDir, settings.indexDir);
    const bytes = await benchDocument();
    const prepare = async () => {
      const document = await readDocument({ bytes, fileName: 'haimen-2025.txt' });
      return { document, report: buildUserReport(document) };
    };
    const p50Of = async (index: Awaited<ReturnType<typeof loadIndex>>): Promise<LatencySummary> => {
      const retriever = new HybridRetriever(index);
      return summarizeLatencies(await timeEach(questions, (question) => retriever.retrieve({ question }), { repetitions, warmupRounds: 1 }));
    };
    const serving = await loadIndex(settings);
    const retrievalBefore = await p50Of(serving);

    global.gc?.();
    const rssBeforeBytes = process.memoryUsage().rss;
    let rssPeakDuringAddBytes = rssBeforeBytes;
    const sampler = setInterval(() => (rssPeakDuringAddBytes = Math.max(rssPeakDuringAddBytes, process.memoryUsage().rss)), 10);
    const started = performance.now();
    const { result: [added], index: after } = await addReports(settings, [await prepare()], { serving, inPlace: true });
    const addServerMs = performance.now() - started;
    clearInterval(sampler);
    rssPeakDuringAddBytes = Math.max(rssPeakDuringAddBytes, process.memoryUsage().rss);

    const retrievalAfter = await p50Of(after);
    const removeStarted = performance.now();
    await removeReport(settings, added!.id, { serving: after, inPlace: true });
    const removeMs = performance.now() - removeStarted;

    const cliStarted = performance.now();
    await addReports(settings, [await prepare()]);
    const addCliMs = performance.now() - cliStarted;
    return {
      reportCharacters: (await prepare()).report.report.text.length,
      passagesAdded: added!.passages,
      addServerMs,
      addCliMs,
      removeMs,
      retrievalBefore,
      retrievalAfter,
      rssBeforeBytes,
      rssPeakDuringAddBytes,
    };
  } finally {
    await temp.remove();
  }
}
