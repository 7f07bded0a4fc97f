// Opening the configured embedder: LSA or an OpenAI-compatible endpoint as they are, or a local model —
// started when `npm run models` installed it, else LSA with a notice (for the default) or an error that
// says how to install it (when EMBEDDINGS names the model).
import { access, readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { AppError } from '../errors.ts';
import { EMBEDDING_MODELS, type EmbeddingModel, type ModelName } from './embedding-models.ts';
import type { EmbedderRequest, EmbedderSettings } from './embedders.ts';
import { ModelEmbeddings, type ModelBackend, type ModelStatus } from './model-embeddings.ts';
import { ModelProcess } from './model-process.ts';
import { OnnxModel } from './onnx-model.ts';

export const INSTALL_COMMAND = 'npm run models';

export interface OpenedEmbedder {
  settings: EmbedderSettings;
  /** Why the configured model is not the one in use (for /healthz and the log). */
  notice?: string;
  /** The model's state, when a local model runs. */
  status(): ModelStatus | undefined;
  stop(): Promise<void>;
}

/** The folder a model is installed in. */
export const modelFolder = (modelsDir: string, name: ModelName): string => path.join(path.resolve(modelsDir), name);

const exists = (file: string): Promise<boolean> => access(file).then(() => true, () => false);

/** Why a model cannot run here, or undefined when it is installed (the marker `npm run models` writes, and its files). */
export async function whyUnavailable(model: EmbeddingModel, modelsDir: string): Promise<string | undefined> {
  const folder = modelFolder(modelsDir, model.name);
  const marker = await readFile(path.join(folder, 'installed.json'), 'utf8').then((text) => JSON.parse(text) as { id?: string }, () => undefined);
  if (!marker) return `${model.title} is not installed in ${folder} (\`${INSTALL_COMMAND}\` installs it)`;
  if (marker.id !== model.id) return `${folder} holds ${marker.id ?? 'another model'}, not ${model.id} (\`${INSTALL_COMMAND}\` installs it)`;
  if (model.runtime === 'child-process') {
    return (await exists(pythonOf(folder))) ? undefined : `${pythonOf(folder)} is missing (\`${INSTALL_COMMAND}\` installs it)`;
  }
  for (const file of Object.values(model.files)) if (!(await exists(path.join(folder, file)))) return `${path.join(folder, file)} is missing (\`${INSTALL_COMMAND}\` installs it)`;
  try {
    await import('onnxruntime-node');
  } catch (error) {
    return `onnxruntime-node cannot be loaded (${(error as Error).message.split('\n')[0]}); \`npm ci\` installs it`;
  }
  return undefined;
}

const pythonOf = (folder: string): string => path.join(folder, 'venv', 'bin', 'python');

/**
 * Child processes an in-process model embeds many passages in for a command (an ingest, reports added): one a
 * core, at most two; none on one core. The server embeds an uploaded report in its own thread instead, so
 * that its memory with the model stays within budget while it does (each process holds some 110–180 MB).
 */
export function commandProcesses(): number {
  const cores = Math.min(2, availableParallelism());
  return cores > 1 ? cores : 0;
}

export interface OpenOptions {
  log?: (line: string) => void;
  /** Child processes for embedding many passages at once (`commandProcesses()` for a command); 0, the default, embeds them in this thread. */
  bulkProcesses?: number;
}

export function createBackend(model: EmbeddingModel, modelsDir: string, log: (line: string) => void = () => {}, bulkProcesses = 0): ModelBackend {
  const folder = modelFolder(modelsDir, model.name);
  const threads = Math.min(2, availableParallelism());
  return model.runtime === 'child-process' ? new ModelProcess(model, { python: pythonOf(folder), threads, log }) : new OnnxModel(model, folder, threads, bulkProcesses);
}

export async function openEmbedder(request: EmbedderRequest | EmbedderSettings, options: OpenOptions = {}): Promise<OpenedEmbedder> {
  const log = options.log ?? (() => {});
  if (request.kind !== 'model-request') return { settings: request, status: () => (request.kind === 'model' ? request.embeddings.backend.status() : undefined), stop: async () => {} };
  const model = EMBEDDING_MODELS[request.model];
  const lsa = (notice: string): OpenedEmbedder => {
    log(`Notice: ${notice}. Dense search uses LSA.`);
    return { settings: { kind: 'lsa' }, notice, status: () => undefined, stop: async () => {} };
  };
  const unavailable = await whyUnavailable(model, request.modelsDir);
  if (unavailable) {
    if (request.explicit) throw new AppError('config_invalid', `EMBEDDINGS=${model.name}, but ${unavailable}.`);
    return lsa(unavailable);
  }
  const backend = createBackend(model, request.modelsDir, log, options.bulkProcesses);
  try {
    await backend.start();
  } catch (error) {
    if (request.explicit) throw error;
    return lsa(`${model.title} did not start (${(error as Error).message})`);
  }
  log(`Embedding model: ${model.title}${backend.status().pid ? ` (pid ${backend.status().pid})` : ''}.`);
  const embeddings = new ModelEmbeddings(backend);
  return { settings: { kind: 'model', model: model.name, embeddings }, status: () => backend.status(), stop: () => backend.stop() };
}
