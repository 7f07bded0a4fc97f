// The few dense and sparse linear-algebra routines the LSA model needs: products with a sparse matrix,
// Gram–Schmidt orthonormalisation and a symmetric eigen-decomposition. Pure and deterministic.

/** A sparse matrix in compressed-row form: row i holds columns[rowStart[i]..rowStart[i+1]). */
export interface SparseRows {
  rows: number;
  columns: number;
  rowStart: Int32Array;
  column: Int32Array;
  value: Float64Array;
}

/** A deterministic pseudo-random generator (mulberry32) and normal samples from it (Box–Muller). */
export function createRandom(seed: number): { uniform: () => number; normal: () => number } {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    const u = Math.max(uniform(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
  return { uniform, normal };
}

/** A · M where M is given as columns of length A.columns; the result is columns of length A.rows. */
export function multiplySparse(matrix: SparseRows, columns: readonly Float64Array[]): Float64Array[] {
  return columns.map((input) => {
    const output = new Float64Array(matrix.rows);
    for (let row = 0; row < matrix.rows; row++) {
      let sum = 0;
      for (let index = matrix.rowStart[row]!; index < matrix.rowStart[row + 1]!; index++) {
        sum += matrix.value[index]! * input[matrix.column[index]!]!;
      }
      output[row] = sum;
    }
    return output;
  });
}

/** Aᵀ · M where M is given as columns of length A.rows; the result is columns of length A.columns. */
export function multiplySparseTransposed(matrix: SparseRows, columns: readonly Float64Array[]): Float64Array[] {
  return columns.map((input) => {
    const output = new Float64Array(matrix.columns);
    for (let row = 0; row < matrix.rows; row++) {
      const factor = input[row]!;
      if (factor === 0) continue;
      for (let index = matrix.rowStart[row]!; index < matrix.rowStart[row + 1]!; index++) {
        output[matrix.column[index]!]! += matrix.value[index]! * factor;
      }
    }
    return output;
  });
}

export function dot(left: Float64Array, right: Float64Array): number {
  let sum = 0;
  for (let index = 0; index < left.length; index++) sum += left[index]! * right[index]!;
  return sum;
}

/** Orthonormalises columns in place (modified Gram–Schmidt, twice for stability); drops none. */
export function orthonormalize(columns: Float64Array[]): Float64Array[] {
  for (let pass = 0; pass < 2; pass++) {
    for (let current = 0; current < columns.length; current++) {
      const vector = columns[current]!;
      for (let previous = 0; previous < current; previous++) {
        const basis = columns[previous]!;
        const projection = dot(vector, basis);
        for (let index = 0; index < vector.length; index++) vector[index]! -= projection * basis[index]!;
      }
      const norm = Math.sqrt(dot(vector, vector));
      if (norm > 1e-12) for (let index = 0; index < vector.length; index++) vector[index]! /= norm;
    }
  }
  return columns;
}

/**
 * Eigen-decomposition of a symmetric matrix (cyclic Jacobi). Returns eigenvalues in descending order and
 * the matching eigenvectors as columns.
 */
export function symmetricEigen(input: Float64Array[], maxSweeps = 30): { values: number[]; vectors: Float64Array[] } {
  const size = input.length;
  const a = input.map((row) => Float64Array.from(row));
  const v = Array.from({ length: size }, (_, row) => {
    const identity = new Float64Array(size);
    identity[row] = 1;
    return identity;
  });
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let offDiagonal = 0;
    for (let p = 0; p < size; p++) for (let q = p + 1; q < size; q++) offDiagonal += a[p]![q]! ** 2;
    if (offDiagonal < 1e-22) break;
    for (let p = 0; p < size; p++) {
      for (let q = p + 1; q < size; q++) {
        const apq = a[p]![q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < size; k++) {
          const akp = a[k]![p]!;
          const akq = a[k]![q]!;
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < size; k++) {
          const apk = a[p]![k]!;
          const aqk = a[q]![k]!;
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
        }
        for (let k = 0; k < size; k++) {
          const vkp = v[k]![p]!;
          const vkq = v[k]![q]!;
          v[k]![p] = c * vkp - s * vkq;
          v[k]![q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: size }, (_, index) => index).sort((left, right) => a[right]![right]! - a[left]![left]!);
  return {
    values: order.map((index) => a[index]![index]!),
    vectors: order.map((column) => Float64Array.from(v, (row) => row[column]!)),
  };
}
