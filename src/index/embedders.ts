// The embedders behind the dense index: LSA trained at ingest (the offline default) or any
// OpenAI-compatible embeddings endpoint. Both are LangChain `Embeddings`; the OpenAI client is loaded
// only when it is used (some 60 MB of a server's memory that the offline default does without).
import { Embeddings } from '@langchain/core/embeddings';
import type { LsaModel } from './lsa-model.ts';

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

export type EmbedderSettings =
  | { kind: 'lsa' }
  | { kind: 'openai'; model: string; baseURL?: string; apiKey?: string; timeoutMs: number };

/** What an index records about the embedder that built it (never the API key). */
export function describeEmbedder(settings: EmbedderSettings): string {
  return settings.kind === 'lsa' ? 'lsa' : `openai:${settings.model}@${settings.baseURL ?? 'https://api.openai.com/v1'}`;
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
