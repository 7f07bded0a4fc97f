// `npm run cluster -- --replicas 3`: Redis, N replicas and nginx on this machine, all on loopback, as one
// service at http://127.0.0.1:8080 (see "Running replicas" in the README). Ctrl-C stops them all, the
// replicas first so that answers in flight finish.
import { parseArgs } from 'node:util';
import { startCluster } from '../cluster/start-cluster.ts';

const USAGE = `npm run cluster -- [--replicas 3] [--port 8080] [--first-port 3001] [--host 127.0.0.1] [--redis-url redis://… | --redis-port 6379] [--nginx /usr/sbin/nginx]`;

const { values } = parseArgs({
  options: {
    replicas: { type: 'string', default: '3' },
    port: { type: 'string', default: '8080' },
    'first-port': { type: 'string', default: '3001' },
    host: { type: 'string', default: '127.0.0.1' },
    'redis-url': { type: 'string' },
    'redis-port': { type: 'string', default: '6379' },
    nginx: { type: 'string', default: '/usr/sbin/nginx' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const whole = (name: string, value: string | undefined, min: number, max: number): number => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    console.error(`--${name} must be a whole number from ${min} to ${max} (got "${value}").\n${USAGE}`);
    process.exit(2);
  }
  return parsed;
};
const replicas = whole('replicas', values.replicas, 1, 64);
const port = whole('port', values.port, 1, 65535);
const firstPort = whole('first-port', values['first-port'], 1, 65535 - replicas);

console.error(`Starting ${values['redis-url'] ? `with Redis at ${values['redis-url']}` : `a private Redis on port ${values['redis-port']}`}, ${replicas} replica(s) on ports ${firstPort}–${firstPort + replicas - 1} and nginx on ${values.host}:${port} …`);
let cluster: Awaited<ReturnType<typeof startCluster>>;
try {
  cluster = await startCluster({
    replicas,
    host: values.host!,
    proxyPort: port,
    firstReplicaPort: firstPort,
    ...(values['redis-url'] ? { redisUrl: values['redis-url'] } : { redisPort: whole('redis-port', values['redis-port'], 1, 65535) }),
    nginxPath: values.nginx!,
    log: (line) => console.error(line),
  });
} catch (error) {
  console.error(`Cannot start the cluster: ${(error as Error).message}`);
  process.exit(1);
}
console.error(`Ready: ${cluster.url} (nginx) → ${cluster.replicas.map((replica) => replica.url).join(', ')}; Redis ${cluster.redisUrl}. Each replica: GET /healthz and /readyz. Ctrl-C stops everything.`);

let stopping = false;
const stop = (signal: NodeJS.Signals): void => {
  if (stopping) return;
  stopping = true;
  console.error(`${signal}: stopping the replicas (answers in flight finish), then nginx and Redis …`);
  void cluster.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(`Stopping failed: ${(error as Error).message}`);
      process.exit(1);
    },
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
// A replica that dies is reported (nginx routes around it); the operator decides what to do.
for (const replica of cluster.replicas) {
  void replica.process.exited.then(({ code, signal }) => {
    if (!stopping) console.error(`${replica.name} exited (code ${code}, signal ${signal}); nginx sends its clients to the others.`);
  });
}
