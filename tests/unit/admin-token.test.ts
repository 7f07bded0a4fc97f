// The admin token is compared by its digest, so neither a wrong token's length nor its content changes
// what is compared: 32 bytes against 32 bytes, in constant time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { digestSecret } from '../../src/server/api-keys.ts';
import { tokenMatches } from '../../src/server/report-routes.ts';

const TOKEN = 'test-admin-token-0123456789';

test('only the admin token itself is accepted, whatever the length or script of a wrong one', () => {
  const digest = digestSecret(TOKEN);
  assert.equal(tokenMatches(`Bearer ${TOKEN}`, digest), true);
  assert.equal(tokenMatches(`bearer ${TOKEN}  `, digest), true);
  for (const wrong of [TOKEN.slice(0, -1), `${TOKEN}0`, TOKEN.replace('0', '1'), 'x', '令牌'.repeat(13), TOKEN.toUpperCase()]) {
    assert.equal(tokenMatches(`Bearer ${wrong}`, digest), false, wrong);
  }
  for (const header of [undefined, '', 'Bearer', 'Bearer ', `Basic ${TOKEN}`, TOKEN]) assert.equal(tokenMatches(header, digest), false, String(header));
});
