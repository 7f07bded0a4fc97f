// The local embedding models the model tests run (installed by `npm ci`'s set-up or `npm run models`, into
// the project's .models/): whether they are there; in CI their absence is an error, elsewhere a skip.
import { fileURLToPath } from 'node:url';
import { EMBEDDING_MODELS, type ModelName } from '../../src/index/embedding-models.ts';
import { whyUnavailable } from '../../src/index/model-runtime.ts';

export const MODELS_DIR = fileURLToPath(new URL('../../.models', import.meta.url));

/** Why the tests of a model skip (outside CI, when it is not installed), or false when they run. */
export async function modelSkip(name: ModelName): Promise<string | false> {
  const problem = await whyUnavailable(EMBEDDING_MODELS[name], MODELS_DIR);
  if (problem && process.env.CI) throw new Error(`${problem}; CI installs it with \`npm run models -- ${name}\``);
  return problem ? `${problem}; skipped` : false;
}
