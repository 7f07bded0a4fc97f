// The serving settings of issue 10 as read from the environment: host names, timeouts, caps, grace.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readConfig } from '../../src/config.ts';
import { createHostCheck } from '../../src/server/allowed-hosts.ts';

test('by default only loopback names (and a specific HOST) are allowed; ALLOWED_HOSTS adds to them', () => {
  assert.deepEqual(readConfig({}).allowedHosts, ['localhost', '127.0.0.1', '[::1]']);
  assert.deepEqual(readConfig({ HOST: '10.1.2.3' }).allowedHosts, ['localhost', '127.0.0.1', '[::1]', '10.1.2.3']);
  assert.deepEqual(readConfig({ HOST: '0.0.0.0' }).allowedHosts, ['localhost', '127.0.0.1', '[::1]'], 'a wildcard address is no host name');
  const allowed = createHostCheck(readConfig({ ALLOWED_HOSTS: 'Reports.Example, gov-reports.example.cn' }).allowedHosts);
  assert.ok(allowed('reports.example:3000'));
  assert.ok(allowed('GOV-REPORTS.EXAMPLE.CN'));
  assert.ok(allowed('localhost:3000'));
  assert.ok(allowed('[::1]:3000'));
  assert.equal(allowed('rebound.attacker.example'), false);
  assert.equal(allowed('reports.example.attacker.example'), false);
  assert.equal(allowed(undefined), false, 'HTTP/1.1 without a Host header');
  assert.ok(createHostCheck(readConfig({ ALLOWED_HOSTS: '*' }).allowedHosts)('anything.example'));
});

test('a bad serving setting stops start-up with a message naming the variable', () => {
  assert.throws(() => readConfig({ ALLOWED_HOSTS: 'https://reports.example' }), /ALLOWED_HOSTS must be comma-separated host names/);
  assert.throws(() => readConfig({ HEADERS_TIMEOUT_MS: '40000' }), /HEADERS_TIMEOUT_MS \(40000\) must not exceed REQUEST_TIMEOUT_MS \(30000\)/);
  assert.throws(() => readConfig({ MAX_SESSIONS_PER_ADDRESS: '-1' }), /MAX_SESSIONS_PER_ADDRESS must be a whole number/);
  const config = readConfig({ REQUEST_TIMEOUT_MS: '60000', HEADERS_TIMEOUT_MS: '5000', MAX_CONNECTIONS_PER_ADDRESS: '0', SHUTDOWN_GRACE_MS: '0' });
  assert.deepEqual([config.requestTimeoutMs, config.headersTimeoutMs, config.maxConnectionsPerAddress, config.maxSessionsPerAddress, config.shutdownGraceMs], [60000, 5000, 0, 100, 0]);
});

test('replica settings: REDIS_URL turns on shared state, TRUST_PROXY names the proxies, and bad values say how to fix them', () => {
  const single = readConfig({});
  assert.equal(single.redis, undefined, 'without REDIS_URL: one process, in memory');
  assert.deepEqual(single.trustedProxies, []);
  const replica = readConfig({ REDIS_URL: 'redis://127.0.0.1:6379/2', TRUST_PROXY: 'loopback, 10.0.0.0/8', REPLICA_NAME: 'replica-2' });
  assert.deepEqual(replica.redis, { url: 'redis://127.0.0.1:6379/2', prefix: 'gov-report:' });
  assert.deepEqual(replica.trustedProxies, ['loopback', '10.0.0.0/8']);
  assert.equal(replica.replicaName, 'replica-2');
  assert.equal(readConfig({ REDIS_URL: 'rediss://cache.example:6380', REDIS_PREFIX: 'reports-staging:' }).redis?.prefix, 'reports-staging:');
  assert.throws(() => readConfig({ REDIS_URL: 'http://127.0.0.1:6379' }), /REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
  assert.throws(() => readConfig({ TRUST_PROXY: 'nginx.internal' }), /TRUST_PROXY must be comma-separated addresses, CIDR ranges or loopback/);
  assert.throws(() => readConfig({ REDIS_PREFIX: 'has space' }), /REDIS_PREFIX must be/);
});
