// Loads the index in INDEX_DIR in a child process (a corrupt native HNSW file must not take the stress
// suite down with it) and prints one JSON line: { ok, passages } or { ok: false, code, message }.
import { loadIndex } from '../../src/index/index-store.ts';

const indexDir = process.env.INDEX_DIR ?? 'vectorstore';
try {
  const index = await loadIndex({ indexDir, embedder: { kind: 'lsa' } });
  const vector = await index.embeddings.embedQuery('江苏 地区生产总值 增长');
  const hits = index.dense(vector, 5);
  console.log(JSON.stringify({ ok: true, passages: index.passages.length, denseHits: hits.length }));
} catch (error) {
  console.log(JSON.stringify({ ok: false, code: (error as { code?: string }).code ?? 'unknown', message: (error as Error).message }));
}
