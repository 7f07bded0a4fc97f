// bge-small-zh in this process: the ONNX model and its tokenizer.json (unpacked from the Maven JAR by
// `npm run models`), tokenized by @huggingface/tokenizers and run by onnxruntime-node, pooled at [CLS] and
// normalized as BGE is. onnxruntime-node is an optional dependency: without it the model is unavailable.
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import type { InProcessModel, TextSide } from './embedding-models.ts';
import type { ModelBackend, ModelStatus } from './model-embeddings.ts';

type Runtime = typeof import('onnxruntime-node');

/** Texts run together: sorted by length first, so that a batch pads little. */
const RUN_BATCH = 16;

export class OnnxModel implements ModelBackend {
  private session: InferenceSession | undefined;
  private runtime: Runtime | undefined;
  private tokenizer: { encode(text: string): { ids: number[] } } | undefined;
  private state: ModelStatus['state'] = 'stopped';
  private restarts = 0;
  private lastError: string | undefined;
  private starting: Promise<void> | undefined;

  constructor(
    readonly model: InProcessModel,
    /** The folder holding the model's files. */
    readonly folder: string,
    private readonly threads = Math.min(2, availableParallelism()),
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
        this.tokenizer = new Tokenizer(json, {});
      }
      this.session = await this.runtime.InferenceSession.create(path.join(this.folder, this.model.files.model), {
        intraOpNumThreads: this.threads,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
        // Threads that sleep when idle: the server shares two cores with everything else it does.
        extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
      });
      this.state = 'ready';
    } catch (error) {
      this.state = 'failed';
      this.lastError = (error as Error).message;
      throw error;
    }
  }

  /** Token ids with [CLS] … [SEP], cut to the model's length (the last id, [SEP], kept). */
  private tokenize(text: string): number[] {
    const ids = this.tokenizer!.encode(text).ids;
    if (ids.length <= this.model.maxTokens) return ids;
    return [...ids.slice(0, this.model.maxTokens - 1), ids.at(-1)!];
  }

  private async run(batch: readonly number[][]): Promise<number[][]> {
    const runtime = this.runtime!;
    const length = Math.max(...batch.map((ids) => ids.length));
    const size = batch.length * length;
    const inputIds = new BigInt64Array(size);
    const attention = new BigInt64Array(size);
    batch.forEach((ids, row) => {
      ids.forEach((id, column) => {
        inputIds[row * length + column] = BigInt(id);
        attention[row * length + column] = 1n;
      });
    });
    const dims = [batch.length, length];
    const output = await this.session!.run({
      input_ids: new runtime.Tensor('int64', inputIds, dims),
      attention_mask: new runtime.Tensor('int64', attention, dims),
      token_type_ids: new runtime.Tensor('int64', new BigInt64Array(size), dims),
    });
    const hidden = output.last_hidden_state as Tensor;
    const width = hidden.dims[2]!;
    const data = hidden.data as Float32Array;
    return batch.map((_, row) => {
      // BGE's sentence vector is the [CLS] token's, L2-normalized.
      const cls = data.subarray(row * length * width, row * length * width + width);
      let norm = 0;
      for (const value of cls) norm += value * value;
      norm = Math.sqrt(norm) || 1;
      return Array.from(cls, (value) => value / norm);
    });
  }

  async embed(texts: readonly string[], _side: TextSide): Promise<number[][]> {
    if (!this.session) await this.start();
    const tokenized = texts.map((text) => this.tokenize(text));
    const order = tokenized.map((_, index) => index).sort((left, right) => tokenized[left]!.length - tokenized[right]!.length);
    const vectors: number[][] = new Array(texts.length);
    for (let offset = 0; offset < order.length; offset += RUN_BATCH) {
      const positions = order.slice(offset, offset + RUN_BATCH);
      let result: number[][];
      try {
        result = await this.run(positions.map((position) => tokenized[position]!));
      } catch (error) {
        // A session that failed is made anew once; a second failure is the caller's.
        this.lastError = (error as Error).message;
        this.state = 'restarting';
        this.restarts++;
        await this.session?.release().catch(() => {});
        await this.start();
        result = await this.run(positions.map((position) => tokenized[position]!));
      }
      positions.forEach((position, index) => (vectors[position] = result[index]!));
    }
    return vectors;
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
    const session = this.session;
    this.session = undefined;
    this.state = 'stopped';
    await session?.release();
  }
}
