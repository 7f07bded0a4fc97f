// Latent semantic analysis trained on the corpus at ingest: TF-IDF over jieba tokens and character
// bigrams, reduced by a randomized truncated SVD. It gives dense vectors offline, with no download.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import {
  createRandom,
  dot,
  multiplySparse,
  multiplySparseTransposed,
  orthonormalize,
  symmetricEigen,
  type SparseRows,
} from './linear-algebra.ts';
import { hanziBigrams, tokenize } from './tokenize.ts';

export interface LsaOptions {
  dimensions: number;
  vocabularySize: number;
  minDocumentFrequency: number;
  oversampling: number;
  powerIterations: number;
  seed: number;
}

export const DEFAULT_LSA_OPTIONS: LsaOptions = {
  dimensions: 192,
  vocabularySize: 30000,
  minDocumentFrequency: 2,
  oversampling: 20,
  powerIterations: 1,
  seed: 7919,
};

export function extractFeatures(text: string): string[] {
  return [...tokenize(text), ...hanziBigrams(text)];
}

export class LsaModel {
  readonly dimensions: number;
  private readonly vocabulary: Map<string, number>;
  private readonly idf: Float64Array;
  /** Row-major terms × dimensions: the term vectors (right singular vectors). */
  private readonly projection: Float32Array;

  constructor(terms: readonly string[], idf: Float64Array, projection: Float32Array, dimensions: number) {
    this.vocabulary = new Map(terms.map((term, index) => [term, index]));
    this.idf = idf;
    this.projection = projection;
    this.dimensions = dimensions;
  }

  /** Sparse TF-IDF of a text: sublinear term frequency, L2-normalised. */
  weigh(text: string): Map<number, number> {
    const counts = new Map<number, number>();
    for (const feature of extractFeatures(text)) {
      const column = this.vocabulary.get(feature);
      if (column !== undefined) counts.set(column, (counts.get(column) ?? 0) + 1);
    }
    let norm = 0;
    const weights = new Map<number, number>();
    for (const [column, count] of counts) {
      const weight = (1 + Math.log(count)) * this.idf[column]!;
      weights.set(column, weight);
      norm += weight * weight;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [column, weight] of weights) weights.set(column, weight / norm);
    return weights;
  }

  /** The unit-length dense vector of a text (all zeros when it shares no term with the corpus). */
  embed(text: string): number[] {
    const vector = new Float64Array(this.dimensions);
    for (const [column, weight] of this.weigh(text)) {
      const offset = column * this.dimensions;
      for (let dimension = 0; dimension < this.dimensions; dimension++) vector[dimension]! += weight * this.projection[offset + dimension]!;
    }
    const norm = Math.sqrt(dot(vector, vector)) || 1;
    return Array.from(vector, (value) => value / norm);
  }

  async save(directory: string): Promise<void> {
    const terms = [...this.vocabulary.keys()];
    await writeFile(path.join(directory, 'lsa.json'), JSON.stringify({ dimensions: this.dimensions, terms, idf: Array.from(this.idf) }));
    await writeFile(path.join(directory, 'lsa.bin'), new Uint8Array(this.projection.buffer, this.projection.byteOffset, this.projection.byteLength));
  }

  static async load(directory: string): Promise<LsaModel> {
    const meta = lsaFileSchema.parse(JSON.parse(await readFile(path.join(directory, 'lsa.json'), 'utf8')));
    const bytes = await readFile(path.join(directory, 'lsa.bin'));
    const expected = meta.terms.length * meta.dimensions * 4;
    if (bytes.byteLength !== expected || meta.idf.length !== meta.terms.length) {
      throw new Error(`lsa.bin holds ${bytes.byteLength} bytes, expected ${expected}`);
    }
    const projection = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    return new LsaModel(meta.terms, Float64Array.from(meta.idf), projection, meta.dimensions);
  }
}

const lsaFileSchema = z.object({ dimensions: z.number().int().positive(), terms: z.array(z.string()), idf: z.array(z.number()) });

/** Fits the model on the corpus passages (the indexed texts). */
export function trainLsa(texts: readonly string[], options: LsaOptions = DEFAULT_LSA_OPTIONS): LsaModel {
  const documents = texts.map(extractFeatures);
  const documentFrequency = new Map<string, number>();
  for (const features of documents) for (const feature of new Set(features)) documentFrequency.set(feature, (documentFrequency.get(feature) ?? 0) + 1);
  const terms = [...documentFrequency]
    .filter(([, frequency]) => frequency >= options.minDocumentFrequency && frequency < documents.length * 0.5)
    .sort((left, right) => right[1] - left[1] || (left[0] < right[0] ? -1 : 1))
    .slice(0, options.vocabularySize)
    .map(([term]) => term)
    .sort();
  const idf = Float64Array.from(terms, (term) => Math.log((1 + documents.length) / (1 + documentFrequency.get(term)!)) + 1);
  const identity = new Float32Array(0);
  const weigher = new LsaModel(terms, idf, identity, 0);
  const matrix = toSparseRows(texts.map((text) => weigher.weigh(text)), terms.length);
  const rank = Math.min(options.dimensions, matrix.rows - 1, terms.length - 1);
  const width = Math.min(rank + options.oversampling, matrix.rows, terms.length);
  const random = createRandom(options.seed);
  const omega = Array.from({ length: width }, () => Float64Array.from({ length: terms.length }, () => random.normal()));
  let basis = orthonormalize(multiplySparse(matrix, omega));
  for (let iteration = 0; iteration < options.powerIterations; iteration++) {
    basis = orthonormalize(multiplySparse(matrix, multiplySparseTransposed(matrix, basis)));
  }
  // B = Qᵀ A; B Bᵀ = Qᵀ A Aᵀ Q is small, and its eigenvectors give B's (and so A's) singular vectors.
  const spread = multiplySparse(matrix, multiplySparseTransposed(matrix, basis));
  const gram = basis.map(() => new Float64Array(basis.length));
  for (let row = 0; row < basis.length; row++) {
    for (let column = row; column < basis.length; column++) {
      const value = dot(basis[row]!, spread[column]!);
      gram[row]![column] = value;
      gram[column]![row] = value;
    }
  }
  const { values, vectors } = symmetricEigen(gram);
  const sigmas = values.slice(0, rank).map((value) => Math.sqrt(Math.max(value, 1e-12)));
  // Left singular vectors U = Q·U_B; term vectors V = Aᵀ·U·Σ⁻¹, so that A·V = U·Σ (classic LSA doc vectors).
  const left = sigmas.map((sigma, dimension) => {
    const vector = new Float64Array(matrix.rows);
    vectors[dimension]!.forEach((weight, row) => {
      const source = basis[row]!;
      for (let document = 0; document < matrix.rows; document++) vector[document]! += (weight * source[document]!) / sigma;
    });
    return vector;
  });
  const termVectors = multiplySparseTransposed(matrix, left);
  const projection = new Float32Array(terms.length * rank);
  termVectors.forEach((column, dimension) => {
    for (let term = 0; term < terms.length; term++) projection[term * rank + dimension] = column[term]!;
  });
  return new LsaModel(terms, idf, projection, rank);
}

function toSparseRows(rows: readonly Map<number, number>[], columns: number): SparseRows {
  const total = rows.reduce((sum, row) => sum + row.size, 0);
  const rowStart = new Int32Array(rows.length + 1);
  const column = new Int32Array(total);
  const value = new Float64Array(total);
  let offset = 0;
  rows.forEach((row, index) => {
    rowStart[index] = offset;
    for (const [term, weight] of [...row].sort((left, right) => left[0] - right[0])) {
      column[offset] = term;
      value[offset] = weight;
      offset++;
    }
  });
  rowStart[rows.length] = offset;
  return { rows: rows.length, columns, rowStart, column, value };
}
