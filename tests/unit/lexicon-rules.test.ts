// Every named rule of the lexicon keeps passing its own cases: the texts it must match and those it must not.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lexiconRules } from '../../src/lexicon/lexicon.ts';

describe('the rules of lexicon/', () => {
  const rules = lexiconRules();
  test('are named once each and each has cases', () => {
    const names = rules.map((rule) => rule.name);
    assert.deepEqual(names.filter((name, index) => names.indexOf(name) !== index), [], 'duplicate names');
    for (const rule of rules) assert.ok(rule.match.length > 0, `${rule.name} has no case it must match`);
  });
  for (const rule of rules) {
    test(rule.name, () => {
      const fresh = (): RegExp => new RegExp(rule.pattern.source, rule.pattern.flags);
      for (const text of rule.match) assert.ok(fresh().test(text), `${rule.name} should match “${text}”`);
      for (const text of rule.noMatch) assert.ok(!fresh().test(text), `${rule.name} should not match “${text}”`);
    });
  }
});
