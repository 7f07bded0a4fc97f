// The baseline a TypeScript developer would otherwise reach for: Orama (@orama/orama) with its Mandarin
// tokenizer (Intl.Segmenter, so it runs offline), over the same passages and the same indexed text.
import { create, insertMultiple, search, type AnyOrama } from '@orama/orama';
import { createTokenizer } from '@orama/tokenizers/mandarin';
import { indexedText } from '../../src/chunking/chunk-report.ts';
import type { PassageIndex } from '../../src/index/passage-index.ts';

export interface OramaBaseline {
  /** Milliseconds to create the database and insert every passage. */
  buildMs: number;
  /** Full-text search (Orama's BM25), optionally restricted to regions; positions into index.passages. */
  searchText(question: string, k: number, regions?: readonly string[]): Promise<number[]>;
  /** Orama's hybrid mode over the same full text and the same dense vectors as our index. */
  searchHybrid(question: string, vector: readonly number[], k: number, regions?: readonly string[]): Promise<number[]>;
}

export async function buildOramaBaseline(index: PassageIndex): Promise<OramaBaseline> {
  const started = performance.now();
  const dimensions = index.dimensions;
  const database: AnyOrama = create({
    schema: { id: 'string', region: 'enum', text: 'string', embedding: `vector[${dimensions}]` as `vector[${number}]` },
    components: { tokenizer: createTokenizer() },
  });
  const documents = index.passages.map((passage, position) => ({
    id: passage.id,
    region: passage.region,
    text: indexedText(passage),
    embedding: Array.from(index.vectors.subarray(position * dimensions, (position + 1) * dimensions)),
  }));
  await insertMultiple(database, documents, 500);
  const buildMs = performance.now() - started;
  const positions = (hits: readonly { document: unknown }[]): number[] => hits.map((hit) => index.byId.get((hit.document as { id: string }).id) ?? -1).filter((position) => position >= 0);
  const where = (regions?: readonly string[]) => (regions && regions.length > 0 ? { where: { region: { in: [...regions] } } } : {});
  return {
    buildMs,
    async searchText(question, k, regions) {
      const result = await search(database, { term: question, properties: ['text'], limit: k, ...where(regions) } as never);
      return positions(result.hits);
    },
    async searchHybrid(question, vector, k, regions) {
      const result = await search(database, {
        mode: 'hybrid',
        term: question,
        properties: ['text'],
        vector: { value: [...vector], property: 'embedding' },
        similarity: 0.1,
        limit: k,
        ...where(regions),
      } as never);
      return positions(result.hits);
    },
  };
}
