// One suite for every search backend (the local BM25 + HNSW one and the exact reference): filters as
// data, ids that never change when reports are added or removed, removed passages never returned.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chunkReport, indexedText } from '../../src/chunking/chunk-report.ts';
import { weighQuery } from '../../src/index/bm25.ts';
import { ExactSearchBackend } from '../../src/index/exact-backend.ts';
import { LocalSearchBackend } from '../../src/index/local-backend.ts';
import { trainLsa } from '../../src/index/lsa-model.ts';
import type { BackendEntry, SearchBackend } from '../../src/index/search-backend.ts';
import { tokenize } from '../../src/index/tokenize.ts';
import type { Passage } from '../../src/types.ts';
import { findReport, loadRealCorpus } from './real-corpus.ts';

const corpus = await loadRealCorpus();
const reports = ['suzhou-2024', 'nantong-2024', 'zhenjiang-2024'].map((id) => findReport(corpus, id));
// Test data: Nantong's report again as if it were its 2025 report, so that years can be filtered.
const nantong2025 = { ...findReport(corpus, 'nantong-2024'), id: 'nantong-2025', year: 2025, title: '2025年南通市政府工作报告' };
const passagesOf = (report: (typeof reports)[number]): Passage[] => chunkReport(report);
const seed = reports.flatMap(passagesOf);
const later = passagesOf(nantong2025);
const lsa = trainLsa([...seed, ...later].map(indexedText), { dimensions: 48, vocabularySize: 8000, minDocumentFrequency: 2, oversampling: 10, powerIterations: 1, seed: 7 });
const entryOf = (passage: Passage): BackendEntry => ({ passage, tokens: tokenize(indexedText(passage)), vector: lsa.embed(indexedText(passage)) });
const query = (text: string): Map<string, number> => weighQuery([{ tokens: tokenize(text), weight: 1 }]);
const TARGETS = '南通地区生产总值增长目标';

function describeBackend(name: string, create: () => Promise<SearchBackend>): void {
  describe(`search backend: ${name}`, () => {
    test('a filter by region, year and part is applied to both searches', async () => {
      const backend = await create();
      backend.add([...seed, ...later].map(entryOf));
      const filter = { regions: ['南通市'], years: [2025], parts: ['plan' as const] };
      const lexical = backend.lexical(query(TARGETS), 10, filter);
      const dense = backend.dense(lsa.embed(TARGETS), 10, filter);
      assert.ok(lexical.length > 0 && dense.length > 0);
      for (const hit of [...lexical, ...dense]) {
        const passage = later.find((candidate) => candidate.id === hit.id);
        assert.ok(passage, `${hit.id} is from Nantong's 2025 report`);
        assert.equal(passage.part, 'plan');
      }
      assert.ok(lexical[0]!.score >= lexical.at(-1)!.score, 'scores fall');
      assert.ok(dense[0]!.distance <= dense.at(-1)!.distance, 'distances rise');
    });

    test('a passage’s own vector finds it first, with no filter', async () => {
      const backend = await create();
      backend.add(seed.map(entryOf));
      const passage = seed.find((candidate) => candidate.text.includes('地区生产总值增长5.5%以上'))!;
      assert.equal(backend.dense(lsa.embed(indexedText(passage)), 3)[0]?.id, passage.id);
    });

    test('adding a report leaves the earlier passages’ ids and hits as they were; removing it brings back the same results', async () => {
      const backend = await create();
      backend.add(seed.map(entryOf));
      const suzhouQuery = query('苏州城镇新增就业');
      const before = backend.lexical(suzhouQuery, 5, { regions: ['苏州市'] });
      backend.add(later.map(entryOf));
      assert.equal(backend.size, seed.length + later.length);
      assert.deepEqual(backend.lexical(suzhouQuery, 5, { regions: ['苏州市'] }).map((hit) => hit.id), before.map((hit) => hit.id));
      assert.ok(backend.lexical(query(TARGETS), 20).some((hit) => hit.id.startsWith('nantong-2025#')));
      backend.remove(later.map((passage) => passage.id));
      assert.equal(backend.size, seed.length);
      assert.ok(!backend.has(later[0]!.id));
      assert.deepEqual(backend.lexical(suzhouQuery, 5, { regions: ['苏州市'] }), before, 'BM25 statistics are back to the seed corpus');
      const everything = [...backend.lexical(query(TARGETS), 50), ...backend.dense(lsa.embed(TARGETS), 50)];
      assert.ok(everything.every((hit) => !hit.id.startsWith('nantong-2025#')), 'a removed passage is never returned');
    });

    test('idf counts live passages only', async () => {
      const backend = await create();
      backend.add(seed.map(entryOf));
      const idf = backend.idf('南通');
      backend.add(later.map(entryOf));
      assert.ok(backend.idf('南通') < idf, 'a term in more passages weighs less');
      backend.remove(later.map((passage) => passage.id));
      assert.ok(Math.abs(backend.idf('南通') - idf) < 1e-12);
    });

    test('the same id twice is refused', async () => {
      const backend = await create();
      backend.add(seed.slice(0, 3).map(entryOf));
      assert.throws(() => backend.add([entryOf(seed[0]!)]), /already indexed/);
    });
  });
}

describeBackend('local (BM25 + HNSW)', () => LocalSearchBackend.create(lsa.dimensions, { M: 16, efConstruction: 200, efSearch: 100 }));
describeBackend('exact reference', async () => new ExactSearchBackend(lsa.dimensions));
