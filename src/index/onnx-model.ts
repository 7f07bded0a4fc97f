// bge-small-zh in this process: the ONNX model and its tokenizer.json (unpacked from the Maven JAR by
// `npm run models`), tokenized by @huggingface/tokenizers and run by onnxruntime-node, pooled at [CLS] and
// normalized as BGE is. onnxruntime-node is an optional dependency: without it the model is unavailable.
// Questions run in this thread's session; many texts at once (passages with their sentences) run there too,
// or, for a command, in a pool of child processes with a single-threaded session each, one a core
// (onnx-process-pool.ts), tokenized and pooled here.
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import type { InProcessModel, TextSide } from './embedding-models.ts';
import type { ModelBackend, ModelStatus, SpannedText, SpannedVectors, TextSpan } from './model-embeddings.ts';
import { OnnxProcessPool, type HiddenState } from './onnx-process-pool.ts';

type Runtime = typeof import('onnxruntime-node');

/**
 * How much of its passage's mean token state a sentence's pooled vector gives up: what every sentence of a
 * passage shares (the passage's topic) would otherwise make neighbours alike, and the figure of one
 * question lose to the next sentence's (Jiangsu's 进出口总额 to its Belt and Road share of 进出口). 0.5
 * brought the answers on the shared sets back to those of sentences embedded alone (see the README).
 */
const SHARED_CONTEXT = 0.5;

/** The mean of rows `from` to `to` (exclusive) of a row-major matrix `width` numbers wide (summed in doubles). */
function meanOf(data: Float32Array, width: number, from: number, to: number): Float64Array {
  const sum = new Float64Array(width);
  for (let row = from; row < to; row++) {
    const offset = row * width;
    for (let dimension = 0; dimension < width; dimension++) sum[dimension]! += data[offset + dimension]!;
  }
  const count = Math.max(1, to - from);
  for (let dimension = 0; dimension < width; dimension++) sum[dimension]! /= count;
  return sum;
}

/** A vector divided by its length (a zero vector stays zero). */
function unit(values: ArrayLike<number>): number[] {
  let norm = 0;
  for (let index = 0; index < values.length; index++) norm += values[index]! * values[index]!;
  norm = Math.sqrt(norm) || 1;
  const result = new Array<number>(values.length);
  for (let index = 0; index < values.length; index++) result[index] = values[index]! / norm;
  return result;
}

/**
 * A text's vector and its spans' from one run: [CLS] for the text, as BGE pools; for each span, the mean of
 * its tokens' states less `SHARED_CONTEXT` times the text's mean (over the tokens between [CLS] and [SEP]),
 * L2-normalized. A span without a range (past the model's length) gets undefined.
 */
function poolSpans({ data, width }: HiddenState, tokens: number, ranges: readonly ({ from: number; to: number } | undefined)[]): { vector: number[]; spans: (number[] | undefined)[] } {
  const passage = meanOf(data, width, 1, tokens - 1);
  const spans = ranges.map((range) => {
    if (!range) return undefined;
    const sentence = meanOf(data, width, range.from, range.to);
    for (let dimension = 0; dimension < width; dimension++) sentence[dimension]! -= SHARED_CONTEXT * passage[dimension]!;
    return unit(sentence);
  });
  return { vector: unit(data.subarray(0, width)), spans };
}

export class OnnxModel implements ModelBackend {
  private session: InferenceSession | undefined;
  private runtime: Runtime | undefined;
  private tokenizer: { encode(text: string, options?: { add_special_tokens?: boolean }): { ids: number[] }; token_to_id(token: string): number | undefined } | undefined;
  /** The ids of [CLS] and [SEP], read from the tokenizer. */
  private special = { cls: 0, sep: 0 };
  private state: ModelStatus['state'] = 'stopped';
  private restarts = 0;
  private lastError: string | undefined;
  private starting: Promise<void> | undefined;
  private pool: OnnxProcessPool | undefined;

  constructor(
    readonly model: InProcessModel,
    /** The folder holding the model's files. */
    readonly folder: string,
    /** Intra-op threads of this thread's session (questions). */
    private readonly threads = Math.min(2, availableParallelism()),
    /** Child processes for many texts at once (a command's ingest or reports); 0 runs them in this thread's session. */
    private readonly processes = 0,
  ) {}

  /** Loads the tokenizer and the session (once, however many callers wait for it). */
  start(): Promise<void> {
    this.starting ??= this.load().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async load(): Promise<void> {
    this.state = this.state === 'restarting' ? 'restarting' : 'starting';
    try {
      if (!this.runtime) {
        const loaded = (await import('onnxruntime-node')) as Runtime & { default?: Runtime };
        this.runtime = loaded.InferenceSession ? loaded : loaded.default!;
      }
      if (!this.tokenizer) {
        const { Tokenizer } = await import('@huggingface/tokenizers');
        const json = JSON.parse(await readFile(path.join(this.folder, this.model.files.tokenizer), 'utf8')) as object;
        const tokenizer = new Tokenizer(json, {});
        const [cls, sep] = ['[CLS]', '[SEP]'].map((token) => tokenizer.token_to_id(token));
        if (cls === undefined || sep === undefined) throw new Error(`${this.model.files.tokenizer} has no [CLS] or [SEP] token`);
        this.special = { cls, sep };
        this.tokenizer = tokenizer;
      }
      this.session = await this.runtime.InferenceSession.create(path.join(this.folder, this.model.files.model), {
        intraOpNumThreads: this.threads,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
        // Threads that sleep when idle: the server shares two cores with everything else it does.
        extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
      });
      this.pool ??=
        this.processes > 0
          ? new OnnxProcessPool({
              modelFile: path.join(this.folder, this.model.files.model),
              size: this.processes,
              onChildLost: (reason) => {
                this.restarts++;
                this.lastError = reason;
              },
            })
          : undefined;
      this.state = 'ready';
    } catch (error) {
      this.state = 'failed';
      this.lastError = (error as Error).message;
      throw error;
    }
  }

  /** Token ids with [CLS] … [SEP], cut to the model's length (the last id, [SEP], kept). After `start`. */
  tokenize(text: string): number[] {
    const ids = this.tokenizer!.encode(text).ids;
    if (ids.length <= this.model.maxTokens) return ids;
    return [...ids.slice(0, this.model.maxTokens - 1), ids.at(-1)!];
  }

  /**
   * A text's token ids with [CLS] … [SEP], and the tokens of each span as a range of them: the text is
   * tokenized piece by piece, cut at the spans' edges (which fall between tokens: the tokenizer splits at
   * every Chinese character and every punctuation mark). A span beyond the model's length gets no range.
   * After `start`.
   */
  tokenizeSpans(text: string, spans: readonly TextSpan[]): { ids: number[]; ranges: ({ from: number; to: number } | undefined)[] } {
    const pieceIds = (piece: string): number[] => (piece ? this.tokenizer!.encode(piece, { add_special_tokens: false }).ids : []);
    const ids = [this.special.cls];
    const ranges: ({ from: number; to: number } | undefined)[] = [];
    let at = 0;
    for (const span of spans) {
      ids.push(...pieceIds(text.slice(at, span.start)));
      const from = ids.length;
      ids.push(...pieceIds(text.slice(span.start, span.end)));
      ranges.push({ from, to: ids.length });
      at = span.end;
    }
    ids.push(...pieceIds(text.slice(at)));
    const room = this.model.maxTokens - 1;
    return { ids: [...ids.slice(0, room), this.special.sep], ranges: ranges.map((range) => (range && range.to <= room && range.to > range.from ? range : undefined)) };
  }

  /**
   * The last hidden state of one text's tokens, `width` numbers a token. One text a run: as fast as batches
   * of 4–32 on the reports' passages (some 300 tokens already fill the matrix products), with no padding,
   * and a text's vector does not depend on the texts beside it (the quantized model scales its activations
   * over a whole batch, padding included).
   */
  private async run(ids: readonly number[]): Promise<HiddenState> {
    const runtime = this.runtime!;
    const dims = [1, ids.length];
    const output = await this.session!.run({
      input_ids: new runtime.Tensor('int64', BigInt64Array.from(ids, (id) => BigInt(id)), dims),
      attention_mask: new runtime.Tensor('int64', new BigInt64Array(ids.length).fill(1n), dims),
      token_type_ids: new runtime.Tensor('int64', new BigInt64Array(ids.length), dims),
    });
    const hidden = output.last_hidden_state as Tensor;
    return { data: hidden.data as Float32Array, width: hidden.dims[2]! };
  }

  /** Runs one token id list in this thread's session, making a failed session anew once. */
  private async runHere(ids: readonly number[]): Promise<HiddenState> {
    try {
      return await this.run(ids);
    } catch (error) {
      // A session that failed is made anew once; a second failure is the caller's.
      this.lastError = (error as Error).message;
      this.state = 'restarting';
      this.restarts++;
      await this.session?.release().catch(() => {});
      await this.start();
      return this.run(ids);
    }
  }

  async embed(texts: readonly string[], _side: TextSide): Promise<number[][]> {
    if (!this.session) await this.start();
    // BGE's sentence vector is the [CLS] token's, L2-normalized.
    const vectors: number[][] = [];
    for (const text of texts) {
      const { data, width } = await this.runHere(this.tokenize(text));
      vectors.push(unit(data.subarray(0, width)));
    }
    return vectors;
  }

  /**
   * Texts and, from the same run, a vector for each of their spans: the mean of the last hidden state over
   * the span's tokens less half the text's mean (`SHARED_CONTEXT`), L2-normalized ("late chunking": a
   * sentence read in its passage, at no cost beyond the passage's own run). A span past the model's
   * length is embedded alone.
   */
  async embedWithSpans(items: readonly SpannedText[], side: TextSide, onEmbedded: (count: number) => void = () => {}): Promise<SpannedVectors[]> {
    if (!this.session) await this.start();
    const pool = this.pool;
    const results: { vector: number[]; spans: (number[] | undefined)[] }[] = new Array(items.length);
    // Longest first, so that no process is left with a long text when the others are done.
    const order = items.map((_, position) => position).sort((left, right) => items[right]!.text.length - items[left]!.text.length);
    let next = 0;
    let embedded = 0;
    let failed = false;
    // Each lane tokenizes a text, waits for its run and pools it; two lanes a process keep every process busy.
    const lane = async (): Promise<void> => {
      while (next < order.length && !failed) {
        const position = order[next++]!;
        const { ids, ranges } = this.tokenizeSpans(items[position]!.text, items[position]!.spans);
        try {
          results[position] = poolSpans(pool ? await pool.run(ids) : await this.runHere(ids), ids.length, ranges);
        } catch (error) {
          failed = true;
          throw error;
        }
        onEmbedded(++embedded);
      }
    };
    await Promise.all(Array.from({ length: pool ? 2 * this.processes : 1 }, lane));
    const alone = results.flatMap((result, position) => result.spans.flatMap((vector, index) => (vector ? [] : [{ position, index }])));
    if (alone.length > 0) {
      const vectors = await this.embed(alone.map(({ position, index }) => items[position]!.text.slice(items[position]!.spans[index]!.start, items[position]!.spans[index]!.end)), side);
      alone.forEach(({ position, index }, row) => (results[position]!.spans[index] = vectors[row]!));
    }
    return results.map((result) => ({ vector: result.vector, spans: result.spans as number[][] }));
  }

  /** Starts the processes ahead of `embedWithSpans` (they exit again when nothing comes). */
  prepare(): void {
    void (this.session ? Promise.resolve() : this.start()).then(
      () => this.pool?.warm(),
      () => {},
    );
  }

  async check(): Promise<boolean> {
    try {
      const [vector] = await this.embed(['健康检查'], 'document');
      return vector?.length === this.model.dimensions;
    } catch {
      return false;
    }
  }

  status(): ModelStatus {
    return { model: this.model.name, title: this.model.title, state: this.state, restarts: this.restarts, ...(this.lastError ? { lastError: this.lastError } : {}) };
  }

  async stop(): Promise<void> {
    const { session, pool } = this;
    this.session = undefined;
    this.pool = undefined;
    this.state = 'stopped';
    await Promise.all([session?.release(), pool?.close()]);
  }
}
