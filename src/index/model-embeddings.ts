// A local embedding model behind LangChain's `Embeddings`, the interface the index already uses: questions
// go through `embedQuery`, passages and sentences through `embedDocuments` (or a passage with its sentences
// through `embedWithSpans`, when the model pools them from one run), and the model's prefix for
// each side is applied here and nowhere else. The backend runs the model (in this process or in a child).
import { Embeddings } from '@langchain/core/embeddings';
import type { EmbeddingModel, ModelName, TextSide } from './embedding-models.ts';

export interface ModelStatus {
  model: ModelName;
  title: string;
  /** `ready`: answering; `restarting`: it died or stopped answering and is being started again. */
  state: 'starting' | 'ready' | 'restarting' | 'failed' | 'stopped';
  restarts: number;
  /** The child process, for a model that runs in one. */
  pid?: number;
  lastError?: string;
}

/** Character offsets into a text: `text.slice(start, end)`. */
export interface TextSpan {
  start: number;
  end: number;
}

/** A text and the spans of it that get vectors of their own (a passage and its sentences). */
export interface SpannedText {
  text: string;
  spans: readonly TextSpan[];
}

/** The text's vector and one for each of its spans, in order; all unit length. */
export interface SpannedVectors {
  vector: number[];
  spans: number[][];
}

/** Runs a model: texts in (already prefixed), unit vectors out. */
export interface ModelBackend {
  readonly model: EmbeddingModel;
  start(): Promise<void>;
  embed(texts: readonly string[], side: TextSide): Promise<number[][]>;
  /**
   * A text's vector and its spans' from one run of the model over the text (a backend that cannot pool spans
   * lacks it); `onEmbedded` is told how many texts are done after each.
   */
  embedWithSpans?(items: readonly SpannedText[], side: TextSide, onEmbedded?: (count: number) => void): Promise<SpannedVectors[]>;
  /** Starts ahead what embedding many texts needs, when a caller knows that it will (optional; never fails). */
  prepare?(): void;
  /** Whether the model answers now (a small embedding, or the child's health route). */
  check(): Promise<boolean>;
  status(): ModelStatus;
  stop(): Promise<void>;
}

/** Texts per request to the backend (the index's batches are cut to this). */
const BATCH = 32;

export class ModelEmbeddings extends Embeddings {
  constructor(readonly backend: ModelBackend) {
    super({});
  }

  get model(): EmbeddingModel {
    return this.backend.model;
  }

  /** The text the model sees for a side: the one place prefixes are written. */
  prefixed(text: string, side: TextSide): string {
    return `${this.model.prefixes[side]}${text}`;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let offset = 0; offset < texts.length; offset += BATCH) {
      vectors.push(...(await this.backend.embed(texts.slice(offset, offset + BATCH).map((text) => this.prefixed(text, 'document')), 'document')));
    }
    return vectors;
  }

  /** Starts ahead what embedding many texts needs (an ingest or a report added is about to). */
  prepare(): void {
    this.backend.prepare?.();
  }

  /** Whether the model gives a passage's sentences their vectors from the passage's own run (`embedWithSpans`). */
  get poolsSpans(): boolean {
    return this.backend.embedWithSpans !== undefined;
  }

  /** Documents and the vectors of their spans from the same run (the prefix written before each, its spans moved past it). */
  async embedWithSpans(items: readonly SpannedText[], onEmbedded?: (count: number) => void): Promise<SpannedVectors[]> {
    if (!this.backend.embedWithSpans) throw new Error(`${this.model.title} cannot pool spans of a text`);
    const prefix = this.model.prefixes.document;
    return this.backend.embedWithSpans(
      items.map(({ text, spans }) => ({ text: `${prefix}${text}`, spans: spans.map(({ start, end }) => ({ start: start + prefix.length, end: end + prefix.length })) })),
      'document',
      onEmbedded,
    );
  }

  async embedQuery(text: string): Promise<number[]> {
    const [vector] = await this.backend.embed([this.prefixed(text, 'query')], 'query');
    return vector!;
  }
}
