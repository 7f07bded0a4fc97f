// A terminal progress bar (cli-progress) for long work such as ingest; plain lines when not a TTY.
import cliProgress from 'cli-progress';
import type { ProgressListener } from '../index/index-store.ts';

const STAGES: Record<string, string> = {
  corpus: 'Reading and chunking the corpus',
  bm25: 'Building the BM25 index',
  lsa: 'Training the LSA model',
  embed: 'Embedding passages and sentences',
  dictionary: 'Finishing the English dictionary',
  hnsw: 'Building the HNSW graph',
};

export function createProgressBar(stream: NodeJS.WriteStream = process.stderr): { listener: ProgressListener; stop: () => void } {
  let bar: cliProgress.SingleBar | undefined;
  let stage = '';
  const stop = (): void => {
    bar?.stop();
    bar = undefined;
  };
  const listener: ProgressListener = (event) => {
    if (event.stage !== stage) {
      stop();
      stage = event.stage;
      const label = STAGES[event.stage] ?? event.stage;
      if (!stream.isTTY) {
        stream.write(`${label} …\n`);
        return;
      }
      bar = new cliProgress.SingleBar({ format: `${label.padEnd(34)} [{bar}] {percentage}% {value}/{total}`, stream, hideCursor: true }, cliProgress.Presets.shades_classic);
      bar.start(event.total, event.done);
      return;
    }
    bar?.update(event.done);
  };
  return { listener, stop };
}
