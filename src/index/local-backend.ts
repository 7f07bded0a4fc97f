// The local search backend: BM25 and an HNSW graph (hnswlib-node) in this process, both keyed by slots
// that are given once and never reused; slots map to passage ids. Removing marks the HNSW point
// deleted and drops the BM25 postings; nothing is renumbered.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { HierarchicalNSW as Graph } from 'hnswlib-node';
import { z } from 'zod';
import { Bm25Index, type Bm25Data } from './bm25.ts';
import { matchesFilter, type BackendEntry, type DenseHit, type LexicalHit, type SearchBackend, type SearchFilter } from './search-backend.ts';

export interface HnswSettings {
  M: number;
  efConstruction: number;
  efSearch: number;
}

/** Below this many allowed passages a filtered dense search is exact (brute force is faster and complete). */
const EXACT_BELOW = 3000;

interface SlotInfo {
  id: string;
  region: string;
  year: number;
  part: 'review' | 'plan' | 'other';
}

const slotsSchema = z.array(
  z.union([z.null(), z.object({ id: z.string(), region: z.string(), year: z.number().int(), part: z.enum(['review', 'plan', 'other']) })]),
);

const bm25HeadSchema = z.object({
  parameters: z.object({ k1: z.number(), b: z.number() }),
  documentLengths: z.array(z.number()),
  postings: z.record(z.unknown()),
});

/** Validates bm25.json; the postings (tens of thousands of lists) are checked by a plain loop, zod is too slow there. */
function parseBm25(json: unknown): Bm25Data {
  const head = bm25HeadSchema.parse(json);
  for (const [term, list] of Object.entries(head.postings)) {
    if (!Array.isArray(list) || list.length % 2 !== 0 || !list.every((value) => Number.isInteger(value))) throw new Error(`bm25.json: the postings of "${term}" are malformed`);
  }
  return head as Bm25Data;
}

async function createGraph(dimensions: number, capacity: number, hnsw: HnswSettings): Promise<Graph> {
  const { HierarchicalNSW } = (await import('hnswlib-node')).default;
  const graph = new HierarchicalNSW('cosine', dimensions);
  graph.initIndex(Math.max(16, capacity), hnsw.M, hnsw.efConstruction, 100);
  graph.setEf(hnsw.efSearch);
  return graph;
}

function unit(vector: readonly number[]): Float32Array {
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm) || 1;
  return Float32Array.from(vector, (value) => value / norm);
}

export class LocalSearchBackend implements SearchBackend {
  private readonly slotOf = new Map<string, number>();

  private constructor(
    readonly dimensions: number,
    readonly hnsw: HnswSettings,
    private readonly slots: (SlotInfo | null)[],
    private readonly bm25: Bm25Index,
    /** The HNSW graph; exposed for the benchmark's efSearch sweep. */
    readonly graph: Graph,
    /** Row-major slots × dimensions, unit length; grown by doubling. */
    private vectors: Float32Array,
  ) {
    slots.forEach((slot, index) => {
      if (slot) this.slotOf.set(slot.id, index);
    });
  }

  static async create(dimensions: number, hnsw: HnswSettings, entries: readonly BackendEntry[] = []): Promise<LocalSearchBackend> {
    const graph = await createGraph(dimensions, entries.length, hnsw);
    const backend = new LocalSearchBackend(dimensions, hnsw, [], Bm25Index.build([]), graph, new Float32Array(Math.max(16, entries.length) * dimensions));
    backend.add(entries);
    return backend;
  }

  get size(): number {
    return this.slotOf.size;
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  idf(term: string): number {
    return this.bm25.idf(term);
  }

  documentFrequency(term: string): number {
    return this.bm25.documentFrequency(term);
  }

  private accepts(filter: SearchFilter | undefined): ((slot: number) => boolean) | undefined {
    if (!filter || (!filter.regions && !filter.years && !filter.parts && !filter.where)) return undefined;
    return (slot) => {
      const info = this.slots[slot];
      return Boolean(info) && matchesFilter(info!, filter) && (!filter.where || filter.where(info!.id));
    };
  }

  lexical(query: ReadonlyMap<string, number>, k: number, filter?: SearchFilter): LexicalHit[] {
    return this.bm25.search(query, k, this.accepts(filter)).map((hit) => ({ id: this.slots[hit.document]!.id, score: hit.score }));
  }

  dense(vector: readonly number[], k: number, filter?: SearchFilter): DenseHit[] {
    if (this.size === 0) return [];
    const accept = this.accepts(filter);
    if (accept) {
      const allowed: number[] = [];
      for (const slot of this.slotOf.values()) if (accept(slot)) allowed.push(slot);
      if (allowed.length < EXACT_BELOW) return this.exact(vector, k, allowed);
      return this.approximate(vector, k, accept);
    }
    return this.approximate(vector, k);
  }

  denseAmong(vector: readonly number[], k: number, ids: Iterable<string>): DenseHit[] {
    const slots: number[] = [];
    for (const id of ids) {
      const slot = this.slotOf.get(id);
      if (slot !== undefined) slots.push(slot);
    }
    return this.exact(vector, k, slots);
  }

  private approximate(vector: readonly number[], k: number, accept?: (slot: number) => boolean): DenseHit[] {
    const count = Math.min(k, this.size);
    const result = this.graph.searchKnn(vector as number[], count, accept);
    return result.neighbors.map((slot, rank) => ({ id: this.slots[slot]!.id, distance: result.distances[rank]! }));
  }

  private exact(vector: readonly number[], k: number, slots: readonly number[]): DenseHit[] {
    const { dimensions } = this;
    const hits: { slot: number; distance: number }[] = [];
    for (const slot of slots) {
      let similarity = 0;
      const offset = slot * dimensions;
      for (let index = 0; index < dimensions; index++) similarity += vector[index]! * this.vectors[offset + index]!;
      hits.push({ slot, distance: 1 - similarity });
    }
    return hits
      .sort((left, right) => left.distance - right.distance || left.slot - right.slot)
      .slice(0, k)
      .map((hit) => ({ id: this.slots[hit.slot]!.id, distance: hit.distance }));
  }

  vectorOf(id: string): Float32Array | undefined {
    const slot = this.slotOf.get(id);
    return slot === undefined ? undefined : this.vectors.subarray(slot * this.dimensions, (slot + 1) * this.dimensions);
  }

  add(entries: readonly BackendEntry[]): void {
    if (entries.length === 0) return;
    for (const entry of entries) {
      if (this.slotOf.has(entry.passage.id)) throw new Error(`Passage ${entry.passage.id} is already indexed`);
      if (entry.vector.length !== this.dimensions) throw new Error(`Passage ${entry.passage.id} has a vector of ${entry.vector.length} dimensions, the index ${this.dimensions}`);
    }
    const first = this.slots.length;
    const needed = first + entries.length;
    if (needed * this.dimensions > this.vectors.length) {
      const grown = new Float32Array(Math.max(needed, this.slots.length * 2) * this.dimensions);
      grown.set(this.vectors);
      this.vectors = grown;
    }
    if (needed > this.graph.getMaxElements()) this.graph.resizeIndex(Math.max(needed, this.graph.getMaxElements() * 2));
    const numbers = this.bm25.addAll(entries.map((entry) => [...entry.tokens]));
    entries.forEach((entry, index) => {
      const slot = first + index;
      if (numbers[index] !== slot) throw new Error('BM25 and the slot table disagree');
      const { id, region, year, part } = entry.passage;
      this.slots.push({ id, region, year, part });
      this.slotOf.set(id, slot);
      const vector = unit(entry.vector);
      this.vectors.set(vector, slot * this.dimensions);
      this.graph.addPoint(Array.from(vector), slot);
    });
  }

  remove(ids: readonly string[]): void {
    const slots: number[] = [];
    for (const id of ids) {
      const slot = this.slotOf.get(id);
      if (slot === undefined) continue;
      slots.push(slot);
      this.slotOf.delete(id);
      this.slots[slot] = null;
      this.graph.markDelete(slot);
    }
    this.bm25.removeAll(slots);
  }

  async save(folder: string): Promise<void> {
    await Promise.all([
      writeFile(path.join(folder, 'slots.json'), JSON.stringify(this.slots)),
      writeFile(path.join(folder, 'bm25.json'), JSON.stringify(this.bm25.toData())),
      writeFile(path.join(folder, 'vectors.bin'), new Uint8Array(this.vectors.buffer, 0, this.slots.length * this.dimensions * 4)),
      this.graph.writeIndex(path.join(folder, 'hnswlib.index')),
    ]);
  }

  static async load(folder: string, dimensions: number, hnsw: HnswSettings): Promise<LocalSearchBackend> {
    const [slots, bm25Data, vectorBytes] = await Promise.all([
      readFile(path.join(folder, 'slots.json'), 'utf8').then((text) => slotsSchema.parse(JSON.parse(text))),
      readFile(path.join(folder, 'bm25.json'), 'utf8').then((text) => parseBm25(JSON.parse(text))),
      readFile(path.join(folder, 'vectors.bin')),
    ]);
    if (vectorBytes.byteLength !== slots.length * dimensions * 4) throw new Error('vectors.bin does not match slots.json');
    const bm25 = Bm25Index.fromData(bm25Data);
    if (bm25.capacity !== slots.length) throw new Error('bm25.json does not match slots.json');
    const { HierarchicalNSW } = (await import('hnswlib-node')).default;
    const graph = new HierarchicalNSW('cosine', dimensions);
    await graph.readIndex(path.join(folder, 'hnswlib.index'));
    graph.setEf(hnsw.efSearch);
    if (graph.getCurrentCount() !== slots.length) throw new Error('the HNSW index does not match slots.json');
    const vectors = new Float32Array(Math.max(16, slots.length) * dimensions);
    vectors.set(new Float32Array(vectorBytes.buffer.slice(vectorBytes.byteOffset, vectorBytes.byteOffset + vectorBytes.byteLength)));
    return new LocalSearchBackend(dimensions, hnsw, slots, bm25, graph, vectors);
  }
}
