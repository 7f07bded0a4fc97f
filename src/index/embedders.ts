// The embedders behind the dense index: LSA trained at ingest (the offline fallback), a local embedding
// model (embedding-models.ts), or any OpenAI-compatible embeddings endpoint. All are LangChain `Embeddings`;
// the OpenAI client is loaded only when it is used (some 60 MB of a server's memory that the others do without).
import { Embeddings, type EmbeddingsInterface } from '@langchain/core/embeddings';
import { EMBEDDING_MODELS, type ModelName } from './embedding-models.ts';
import type { LsaModel } from './lsa-model.ts';
import type { ModelEmbeddings } from './model-embeddings.ts';

export class LsaEmbeddings extends Embeddings {
  readonly model: LsaModel;
  constructor(model: LsaModel) {
    super({});
    this.model = model;
  }
  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((text) => this.model.embed(text));
  }
  async embedQuery(text: string): Promise<number[]> {
    return this.model.embed(text);
  }
}

type OpenAISettings = { kind: 'openai'; model: string; baseURL?: string; apiKey?: string; timeoutMs: number };

/** The embedder an index is built and searched with (a local model running, see model-runtime.ts). */
export type EmbedderSettings = { kind: 'lsa' } | OpenAISettings | { kind: 'model'; model: ModelName; embeddings: ModelEmbeddings };

/**
 * The embedder asked for by the configuration: a local model is a request until it is opened
 * (`openEmbedder`); `explicit` is false for the default, which falls back to LSA when the model is absent.
 */
export type EmbedderRequest = { kind: 'lsa' } | OpenAISettings | { kind: 'model-request'; model: ModelName; modelsDir: string; explicit: boolean };

/** What an index records about the embedder that built it (never the API key). */
export function describeEmbedder(settings: EmbedderSettings): string {
  if (settings.kind === 'lsa') return 'lsa';
  if (settings.kind === 'model') return `model:${EMBEDDING_MODELS[settings.model].id}`;
  return `openai:${settings.model}@${settings.baseURL ?? 'https://api.openai.com/v1'}`;
}

/** The embeddings of a model or an endpoint (LSA's come from the index folder, where its model is kept). */
export async function createEmbeddings(settings: Exclude<EmbedderSettings, { kind: 'lsa' }>): Promise<EmbeddingsInterface> {
  return settings.kind === 'model' ? settings.embeddings : createOpenAIEmbeddings(settings);
}

export async function createOpenAIEmbeddings(settings: Extract<EmbedderSettings, { kind: 'openai' }>): Promise<Embeddings> {
  const { OpenAIEmbeddings } = await import('@langchain/openai');
  return new OpenAIEmbeddings({
    model: settings.model,
    apiKey: settings.apiKey ?? 'not-needed',
    batchSize: 64,
    maxRetries: 1,
    timeout: settings.timeoutMs,
    ...(settings.baseURL ? { configuration: { baseURL: settings.baseURL } } : {}),
  });
}
