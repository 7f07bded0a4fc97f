// Ranking pieces: tokenizing, BM25, rank fusion, and the LSA embedder with its linear algebra, on real text.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chunkReport } from '../../src/chunking/chunk-report.ts';
import { Bm25Index, weighQuery } from '../../src/index/bm25.ts';
import { createRandom, dot, orthonormalize, symmetricEigen } from '../../src/index/linear-algebra.ts';
import { DEFAULT_LSA_OPTIONS, trainLsa } from '../../src/index/lsa-model.ts';
import { hanziBigrams, tokenize } from '../../src/index/tokenize.ts';
import { fuseRankings, interleave, RRF_K } from '../../src/retrieval/fuse-rankings.ts';
import type { Passage } from '../../src/types.ts';
import { findReport, loadRealCorpus } from './real-corpus.ts';

/** Real sentences: Jiangsu, Jiangsu, the nation, Sichuan, Zhenjiang. */
const SENTENCES = [
  '实施跨境电商高质量发展三年行动计划，着力发展“跨境电商+产业带”，积极布局海外仓。',
  '确保粮食播种面积稳定在8100万亩以上、产量750亿斤左右。',
  '今年发展主要预期目标是：国内生产总值增长5%左右；城镇新增就业1200万人以上，城镇调查失业率5.5%左右；居民消费价格涨幅3%左右。',
  '全省经济社会发展主要预期目标是：地区生产总值增长6%左右；城镇新增就业85万人，城镇调查失业率5.5%左右；居民消费价格涨幅3%左右。',
  '新增跨境电商出口网店100家,跨境电商出口额增长5%以上。',
];
const documents = SENTENCES.map((sentence) => tokenize(sentence));
const index = Bm25Index.build(documents);
const query = (...terms: [string, number][]): Map<string, number> => new Map(terms);

describe('tokenizing', () => {
  test('keeps figures with a decimal point and a percent sign whole', () => {
    const tokens = tokenize('社会消费品零售总额增长5.5%左右');
    assert.ok(tokens.includes('5.5%'), tokens.join(' '));
    assert.ok(!tokens.includes('5') && !tokens.includes('%'));
    assert.ok(tokenize('地区生产总值达12.82万亿元').includes('12.82'));
  });

  test('splits Chinese into jieba words, including the shorter words inside longer ones', () => {
    const tokens = tokenize('地区生产总值增长5%以上');
    for (const word of ['地区', '生产总值', '增长', '5%', '以上']) assert.ok(tokens.includes(word), `${word} in ${tokens.join(' ')}`);
  });

  test('drops question fillers and lower-cases English', () => {
    const tokens = tokenize('江苏今年GDP目标是多少？');
    assert.ok(tokens.includes('gdp'));
    for (const filler of ['今年', '是', '多少']) assert.ok(!tokens.includes(filler), `${filler} in ${tokens.join(' ')}`);
    assert.deepEqual(tokenize('What is the R&D target of Jiangsu?'), ['r&d', 'target', 'jiangsu']);
  });

  test('character bigrams cover Chinese runs for the dense model', () => {
    assert.deepEqual(hanziBigrams('海外仓'), ['~海外', '~外仓']);
    assert.deepEqual(hanziBigrams('5G工厂'), ['~工厂']);
  });
});

describe('BM25', () => {
  test('ranks the passage with the rare query term first', () => {
    const hits = index.search(weighQuery([{ tokens: tokenize('海外仓'), weight: 1 }]), 5);
    assert.deepEqual(hits.map((hit) => hit.document), [0], 'only Jiangsu’s sentence mentions 海外仓');
    const crossBorder = index.search(weighQuery([{ tokens: tokenize('跨境电商出口额增长多少'), weight: 1 }]), 5);
    assert.equal(crossBorder[0]?.document, 4, 'Zhenjiang’s cross-border e-commerce sentence');
    assert.equal(crossBorder[1]?.document, 0);
  });

  test('finds a figure written in the question', () => {
    const hits = index.search(query(['5.5%', 1]), 5);
    assert.deepEqual(hits.map((hit) => hit.document).sort(), [2, 3]);
  });

  test('a term’s weight decides which passage wins', () => {
    const grainFirst = index.search(query(['粮食', 1], ['失业率', 0.1]), 5);
    const jobsFirst = index.search(query(['粮食', 0.1], ['失业率', 1]), 5);
    assert.equal(grainFirst[0]?.document, 1);
    assert.ok([2, 3].includes(jobsFirst[0]?.document ?? -1));
    assert.deepEqual(index.search(query(['粮食', 0]), 5), [], 'a zero weight contributes nothing');
  });

  test('the filter keeps other passages out, however well they match', () => {
    const hits = index.search(query(['跨境', 1], ['电商', 1]), 5, (document) => document !== 4);
    assert.deepEqual(hits.map((hit) => hit.document), [0]);
  });

  test('ties are broken by position, so results are the same every time', () => {
    const twins = Bm25Index.build([tokenize(SENTENCES[1]!), tokenize(SENTENCES[2]!), tokenize(SENTENCES[1]!)]);
    const hits = twins.search(query(['粮食', 1]), 5);
    assert.deepEqual(hits.map((hit) => hit.document), [0, 2]);
    assert.equal(hits[0]?.score, hits[1]?.score);
  });

  test('returns at most k passages, best first', () => {
    const hits = index.search(query(['增长', 1], ['左右', 1], ['城镇', 1]), 2);
    assert.equal(hits.length, 2);
    assert.ok(hits[0]!.score >= hits[1]!.score);
  });

  test('survives a round trip through JSON with identical scores', () => {
    const restored = Bm25Index.fromData(JSON.parse(JSON.stringify(index.toData())));
    assert.equal(restored.size, index.size);
    const weights = weighQuery([{ tokens: tokenize('城镇调查失业率5.5%左右'), weight: 1 }]);
    assert.deepEqual(restored.search(weights, 5), index.search(weights, 5));
  });

  test('weighQuery keeps the higher weight of a term that is both asked and expanded', () => {
    const weights = weighQuery([
      { tokens: ['粮食', '产量', '粮食'], weight: 1 },
      { tokens: ['粮食', '播种面积'], weight: 0.5 },
    ]);
    assert.deepEqual([...weights], [['粮食', 1], ['产量', 1], ['播种面积', 0.5]]);
  });
});

describe('fusing rankings by rank', () => {
  test('a passage ranked well in both lists beats one ranked first in only one', () => {
    const scores = fuseRankings([{ items: ['lexical-only', 'both', 'x'] }, { items: ['dense-only', 'both', 'y'] }]);
    assert.ok(scores.get('both')! > scores.get('lexical-only')!);
    assert.ok(scores.get('both')! > scores.get('dense-only')!);
  });

  test('scores are reciprocal ranks with the given weight, whatever the original scores were', () => {
    const scores = fuseRankings([{ items: ['a', 'b'] }, { items: ['b'], weight: 0.7 }]);
    assert.equal(scores.get('a'), 1 / (RRF_K + 1));
    assert.equal(scores.get('b'), 1 / (RRF_K + 2) + 0.7 / (RRF_K + 1));
  });

  test('a lower weight makes a list count less', () => {
    const scores = fuseRankings([{ items: ['lexical'] }, { items: ['dense'], weight: 0.7 }]);
    assert.ok(scores.get('lexical')! > scores.get('dense')!);
  });

  test('interleave gives each region a fair share of the first places', () => {
    const jiangsu = ['js1', 'js2', 'js3', 'js4'];
    const sichuan = ['sc1', 'sc2', 'sc3', 'sc4'];
    assert.deepEqual(interleave([jiangsu, sichuan], 4), ['js1', 'sc1', 'js2', 'sc2']);
    assert.deepEqual(interleave([jiangsu, ['sc1']], 4), ['js1', 'sc1', 'js2', 'js3'], 'a short list leaves its places to the others');
    assert.deepEqual(interleave([['a', 'b'], ['a', 'c']], 5), ['a', 'b', 'c'], 'an item in both lists appears once');
    assert.deepEqual(interleave([jiangsu, sichuan], 0), []);
  });
});

describe('linear algebra', () => {
  test('orthonormalize gives orthonormal columns', () => {
    const random = createRandom(7);
    const columns = Array.from({ length: 5 }, () => Float64Array.from({ length: 12 }, () => random.normal()));
    const basis = orthonormalize(columns);
    for (let left = 0; left < basis.length; left++) {
      for (let right = 0; right < basis.length; right++) {
        assert.ok(Math.abs(dot(basis[left]!, basis[right]!) - (left === right ? 1 : 0)) < 1e-10, `columns ${left}·${right}`);
      }
    }
  });

  test('symmetricEigen finds the eigenvalues 3 and 1 of [[2,1],[1,2]], largest first', () => {
    const { values, vectors } = symmetricEigen([Float64Array.from([2, 1]), Float64Array.from([1, 2])]);
    assert.ok(Math.abs(values[0]! - 3) < 1e-12 && Math.abs(values[1]! - 1) < 1e-12, values.join(', '));
    const [first, second] = [vectors[0]!, vectors[1]!];
    assert.ok(Math.abs(Math.abs(first[0]!) - Math.SQRT1_2) < 1e-12 && Math.abs(first[0]! - first[1]!) < 1e-12, 'eigenvector of 3 is ±(1,1)/√2');
    assert.ok(Math.abs(second[0]! + second[1]!) < 1e-12, 'eigenvector of 1 is ±(1,−1)/√2');
  });

  test('symmetricEigen satisfies A·v = λ·v on a 3×3 matrix', () => {
    const matrix = [Float64Array.from([4, 1, 0]), Float64Array.from([1, 3, 1]), Float64Array.from([0, 1, 2])];
    const { values, vectors } = symmetricEigen(matrix);
    assert.ok(Math.abs(values.reduce((sum, value) => sum + value, 0) - 9) < 1e-10, 'eigenvalues sum to the trace');
    assert.ok(values[0]! >= values[1]! && values[1]! >= values[2]!);
    values.forEach((value, index) => {
      const vector = vectors[index]!;
      for (let row = 0; row < 3; row++) {
        assert.ok(Math.abs(dot(matrix[row]!, vector) - value * vector[row]!) < 1e-10, `row ${row} of eigenpair ${index}`);
      }
    });
  });
});

describe('the LSA embedder trained on real passages', async () => {
  const corpus = await loadRealCorpus();
  const passages = ['china-2024', 'jiangsu-2024', 'henan-2024', 'sichuan-2024'].flatMap((id) => chunkReport(findReport(corpus, id)));
  const passageWith = (reportId: string, phrase: string): Passage => {
    const passage = passages.find((candidate) => candidate.reportId === reportId && candidate.text.includes(phrase));
    if (!passage) throw new Error(`no passage of ${reportId} has ${phrase}`);
    return passage;
  };
  // Pairs of passages from two reports about the same topic.
  const topics: Record<string, [Passage, Passage]> = {
    culture: [passageWith('jiangsu-2024', '实施文艺作品质量提升工程'), passageWith('henan-2024', '推进仰韶文化遗址')],
    science: [passageWith('jiangsu-2024', '构建高水平创新平台矩阵'), passageWith('sichuan-2024', '新获批2家全国重点实验室')],
    ecology: [passageWith('jiangsu-2024', '推进美丽河湖、美丽海湾建设'), passageWith('sichuan-2024', '推进生态文明建设和绿色低碳发展')],
    grain: [passageWith('jiangsu-2024', '确保粮食播种面积稳定在8100万亩以上'), passageWith('china-2024', '稳定粮食播种面积')],
  };
  const paired = new Set(Object.values(topics).flat());
  const others = passages.filter((passage) => !paired.has(passage)).filter((_, position) => position % 9 === 0).slice(0, 32);
  const training = [...paired, ...others].map((passage) => passage.text);
  const model = trainLsa(training, { ...DEFAULT_LSA_OPTIONS, dimensions: 16 });

  test('is trained on about forty passages', () => {
    assert.equal(training.length, 40);
    assert.equal(model.dimensions, 16);
  });

  test('gives unit vectors, and zeros for a text sharing no term with the corpus', () => {
    for (const text of training.slice(0, 10)) {
      const vector = model.embed(text);
      assert.equal(vector.length, 16);
      assert.ok(Math.abs(Math.hypot(...vector) - 1) < 1e-9);
    }
    assert.ok(model.embed('zzz qqq').every((value) => value === 0));
  });

  test('two passages on the same topic are closer than passages on different topics', () => {
    const cosine = (left: number[], right: number[]): number => left.reduce((sum, value, index) => sum + value * right[index]!, 0);
    for (const [topic, [first, second]] of Object.entries(topics)) {
      const same = cosine(model.embed(first.text), model.embed(second.text));
      for (const [other, [, otherSecond]] of Object.entries(topics)) {
        if (other === topic) continue;
        const different = cosine(model.embed(first.text), model.embed(otherSecond.text));
        assert.ok(same > different, `${topic} (${same.toFixed(2)}) is closer to ${topic} than to ${other} (${different.toFixed(2)})`);
      }
    }
  });

  test('training is deterministic', () => {
    const again = trainLsa(training, { ...DEFAULT_LSA_OPTIONS, dimensions: 16 });
    assert.deepEqual(again.embed(training[0]!), model.embed(training[0]!));
  });
});
