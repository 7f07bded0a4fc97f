// A child process of onnx-process-pool.ts: one single-threaded ONNX Runtime session of an embedding model,
// token ids in, the last hidden state out, over the IPC channel. Plain JavaScript, run by plain node: the
// bundled server (dist/server/) and the TypeScript sources start this same file, without a loader.
import ort from 'onnxruntime-node';

const runtime = ort.InferenceSession ? ort : ort.default;
const [modelFile, sessionOptions] = [process.argv[2], JSON.parse(process.argv[3] ?? '{}')];
// The parent gone (its end of the channel closed), there is nothing left to do.
process.on('disconnect', () => process.exit(0));

/** @param {ArrayLike<number>} ids */
function feeds(ids) {
  const dims = [1, ids.length];
  return {
    input_ids: new runtime.Tensor('int64', BigInt64Array.from(ids, (id) => BigInt(id)), dims),
    attention_mask: new runtime.Tensor('int64', new BigInt64Array(ids.length).fill(1n), dims),
    token_type_ids: new runtime.Tensor('int64', new BigInt64Array(ids.length), dims),
  };
}

let session;
try {
  session = await runtime.InferenceSession.create(modelFile, sessionOptions);
} catch (error) {
  process.send({ type: 'failed', message: error instanceof Error ? error.message : String(error) }, () => process.exit(1));
}
if (session) {
  process.on('message', async (/** @type {{ job: number; ids: Int32Array }} */ { job, ids }) => {
    try {
      const hidden = (await session.run(feeds(ids))).last_hidden_state;
      process.send({ type: 'done', job, data: hidden.data, width: hidden.dims[2] });
    } catch (error) {
      process.send({ type: 'error', job, message: error instanceof Error ? error.message : String(error) });
    }
  });
  process.send({ type: 'ready' });
}
