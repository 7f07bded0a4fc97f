// Every named rule of the lexicon keeps passing its own cases: the texts it must match and those it must not.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ENGLISH_FORMS, lexiconRules } from '../../src/lexicon/lexicon.ts';
import { TableDictionary } from '../../src/index/english-dictionary.ts';
import { englishForms } from '../../src/understand/topic.ts';

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

describe('English forms (lexicon/english-forms.json)', () => {
  test('each case reaches the form the glosses write', () => {
    assert.ok(ENGLISH_FORMS.cases.length > 0);
    for (const [word, base] of ENGLISH_FORMS.cases) assert.ok(englishForms(word).includes(base), `${word} → ${base}: got ${englishForms(word).join(', ')}`);
  });
  test('the word as written comes first, and an irregular form reaches its base through the table', () => {
    const table = new TableDictionary({ terms: { sell: ['销售'], 'overdue payment': ['拖欠账款'] }, words: ['sell'], forms: { sold: 'sell' }, verbs: ['sell', 'sold'] });
    assert.equal(englishForms('sales')[0], 'sales');
    assert.ok(englishForms('sold', table).includes('sell'));
    assert.ok(!englishForms('sold').includes('sell'), 'without the table, no guess at an irregular base');
    assert.ok(table.knows('sold'));
  });
});
