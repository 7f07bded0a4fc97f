// One suite for the conversation store, run against both databases it supports: SQLite in a temporary file
// and PostgreSQL on a server of its own (initdb into a temporary folder, a free port). What a user keeps —
// conversations, share links, feedback — must behave the same on either, and survive a restart.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openStore, type SqlStore } from '../../src/conversations/conversation-store.ts';
import { appliedVersions, migrate, MIGRATIONS } from '../../src/conversations/migrations.ts';
import { openPostgres, openSqlite, type SqlDatabase } from '../../src/conversations/sql-database.ts';
import { AppError } from '../../src/errors.ts';
import { conversation, exchange, jiangsuExchange, suzhouExchange } from '../helpers/conversations.ts';
import { postgresSkip, startPostgres, type TestPostgres } from '../helpers/postgres.ts';

interface Backend {
  name: string;
  skip: string | false;
  /** A new, empty database. */
  fresh(): Promise<() => SqlDatabase>;
  setup?(): Promise<void>;
  teardown?(): Promise<void>;
}

const folder = mkdtempSync(path.join(tmpdir(), 'conversations-'));
let postgres: TestPostgres | undefined;
let databases = 0;

const backends: Backend[] = [
  {
    name: 'SQLite',
    skip: false,
    fresh: async () => {
      const file = path.join(folder, `store-${++databases}.sqlite`);
      return () => openSqlite(file);
    },
  },
  {
    name: 'PostgreSQL',
    skip: postgresSkip,
    setup: async () => {
      postgres = await startPostgres();
    },
    teardown: async () => {
      await postgres?.stop();
    },
    fresh: async () => {
      const url = await postgres!.createDatabase(`store_${++databases}`);
      return () => openPostgres(url);
    },
  },
];

after(() => rmSync(folder, { recursive: true, force: true }));

const ALICE = 'owner-alice';
const BOB = 'owner-bob';

for (const backend of backends) {
  describe(`the conversation store on ${backend.name}`, { skip: backend.skip }, () => {
    let connect: () => SqlDatabase;
    let store: SqlStore;

    before(async () => {
      await backend.setup?.();
      connect = await backend.fresh();
      store = await openStore(connect());
    });
    after(async () => {
      await store?.close();
      await backend.teardown?.();
    });

    test('keeps a conversation with its exchanges, sources and quoted spans, for its owner only', async () => {
      const kept = conversation('c-jiangsu', [jiangsuExchange(), suzhouExchange()]);
      await store.save(ALICE, kept);
      const read = await store.get(ALICE, 'c-jiangsu');
      assert.deepEqual(read?.conversation, kept);
      assert.equal(read?.share, undefined);
      assert.equal(await store.get(BOB, 'c-jiangsu'), undefined, 'another owner does not see it');
      // The same id under another owner is another conversation.
      await store.save(BOB, conversation('c-jiangsu', [suzhouExchange('b1')], 1_700_000_200_000, '苏州就业'));
      assert.equal((await store.get(ALICE, 'c-jiangsu'))?.conversation.exchanges.length, 2);
      assert.equal((await store.get(BOB, 'c-jiangsu'))?.conversation.title, '苏州就业');
      const list = await store.list(ALICE);
      assert.deepEqual(list.map((item) => [item.id, item.exchanges, item.shared]), [['c-jiangsu', 2, false]]);
    });

    test('a save replaces the exchanges (a regenerated or edited answer), a rename keeps them, a removal takes everything', async () => {
      await store.save(ALICE, conversation('c-edit', [jiangsuExchange('e1'), suzhouExchange('e2')], 1_700_000_300_000));
      const edited = exchange('e3', '2024年江苏省城镇新增就业目标是多少？', '城镇新增就业120万人以上 [1]。');
      await store.save(ALICE, conversation('c-edit', [jiangsuExchange('e1'), edited], 1_700_000_400_000));
      assert.deepEqual((await store.get(ALICE, 'c-edit'))?.conversation.exchanges.map((item) => item.id), ['e1', 'e3']);
      assert.equal(await store.rename(ALICE, 'c-edit', '江苏就业核对'), true);
      assert.equal(await store.rename(BOB, 'c-edit', 'x'), false, 'nobody renames another owner’s conversation');
      const renamed = (await store.get(ALICE, 'c-edit'))!.conversation;
      assert.equal(renamed.title, '江苏就业核对');
      assert.equal(renamed.renamed, true);
      assert.equal(renamed.exchanges.length, 2);
      assert.deepEqual((await store.list(ALICE)).map((item) => item.id), ['c-edit', 'c-jiangsu'], 'newest first');
      assert.equal(await store.remove(ALICE, 'c-edit'), true);
      assert.equal(await store.remove(ALICE, 'c-edit'), false);
      assert.equal(await store.get(ALICE, 'c-edit'), undefined);
    });

    test('search finds words in titles, questions and answers, literally, with where it found them', async () => {
      await store.save(ALICE, conversation('c-search', [jiangsuExchange('s1'), suzhouExchange('s2')], 1_700_000_500_000, '长三角目标'));
      const bySuzhou = await store.list(ALICE, { query: '苏州' });
      assert.deepEqual(bySuzhou.map((item) => item.id), ['c-search', 'c-jiangsu']);
      assert.equal(bySuzhou[0]?.match?.field, 'question');
      assert.equal(bySuzhou[0]?.match?.exchangeId, 's2');
      assert.match(bySuzhou[0]?.match?.text ?? '', /那苏州呢/);
      const byFigure = await store.list(ALICE, { query: '17万人' });
      assert.equal(byFigure[0]?.match?.field, 'answer');
      assert.match(byFigure[0]?.match?.text ?? '', /城镇新增就业17万人/);
      assert.deepEqual((await store.list(ALICE, { query: '长三角' })).map((item) => [item.id, item.match?.field]), [['c-search', 'title']]);
      assert.deepEqual(await store.list(ALICE, { query: '5%_' }), [], '% and _ are taken literally');
      assert.equal((await store.list(ALICE, { query: '5%以上' })).length, 2, 'a % in the words still matches');
      assert.deepEqual(await store.list(BOB, { query: '江苏' }), [], 'search stays within the owner');
    });

    test('a share link shows the conversation as it was shared; sharing again brings it up to date; revoking ends it', async () => {
      await store.save(ALICE, conversation('c-share', [jiangsuExchange('h1')], 1_700_000_600_000));
      const share = await store.share(ALICE, 'c-share');
      assert.ok(share && /^[A-Za-z0-9_-]{24}$/.test(share.token), 'an unguessable token');
      assert.equal(share.exchanges, 1);
      assert.equal(await store.share(BOB, 'c-share'), undefined, 'nobody shares another owner’s conversation');
      await store.save(ALICE, conversation('c-share', [jiangsuExchange('h1'), suzhouExchange('h2')], 1_700_000_700_000));
      const opened = await store.shared(share.token);
      assert.equal(opened?.state, 'active');
      assert.deepEqual(opened?.state === 'active' && opened.conversation.exchanges.map((item) => item.id), ['h1'], 'a question asked after sharing is not shown');
      const again = await store.share(ALICE, 'c-share');
      assert.equal(again?.token, share.token, 'the same link');
      assert.equal(again?.exchanges, 2);
      const updated = await store.shared(share.token);
      assert.deepEqual(updated?.state === 'active' && updated.conversation.exchanges.map((item) => item.id), ['h1', 'h2']);
      assert.equal((await store.get(ALICE, 'c-share'))?.share?.token, share.token);
      assert.equal((await store.list(ALICE)).find((item) => item.id === 'c-share')?.shared, true);
      assert.equal(await store.unshare(BOB, 'c-share'), false);
      assert.equal(await store.unshare(ALICE, 'c-share'), true);
      assert.equal((await store.shared(share.token))?.state, 'revoked');
      const fresh = await store.share(ALICE, 'c-share');
      assert.notEqual(fresh?.token, share.token, 'sharing after a revoke makes a new link; the old one stays dead');
      assert.equal((await store.shared(share.token))?.state, 'revoked');
      await store.remove(ALICE, 'c-share');
      assert.equal(await store.shared(fresh!.token), undefined, 'removing the conversation removes its links');
      assert.equal(await store.shared('no-such-token-at-all-000'), undefined);
    });

    test('feedback: one rating per answer and owner, changed in place, listed per conversation and for export', async () => {
      const base = { conversationId: 'c-jiangsu', question: '2024年江苏省地区生产总值增长目标是多少？', history: [], answer: '地区生产总值增长5%以上 [1]。', grounded: true, mode: 'extractive' as const, regions: ['江苏省'], citations: [1], sources: jiangsuExchange().sources };
      const first = await store.putFeedback(ALICE, 'a1', { ...base, rating: 'down', reason: 'wrong_figure', comment: '应为5.5%' });
      assert.equal(first.rating, 'down');
      const changed = await store.putFeedback(ALICE, 'a1', { ...base, rating: 'up' });
      assert.equal(changed.createdAt, first.createdAt, 'a change keeps when it was first given');
      await store.putFeedback(BOB, 'a1', { ...base, rating: 'down', reason: 'wrong_region' });
      await store.putFeedback(ALICE, 'a2', { ...base, conversationId: 'c-other', question: '西藏2024年城镇新增就业目标是多少？', answer: '报告中没有。', grounded: false, rating: 'down', reason: 'should_have_answered' });
      assert.deepEqual((await store.feedbackOn(ALICE, 'c-jiangsu')).map((item) => [item.exchangeId, item.rating, item.reason]), [['a1', 'up', undefined]]);
      const all = await store.allFeedback();
      assert.equal(all.length, 3);
      assert.deepEqual((await store.allFeedback({ rating: 'down' })).map((item) => item.reason).sort(), ['should_have_answered', 'wrong_region']);
      assert.deepEqual(all.find((item) => item.reason === 'wrong_region')?.sources[0]?.quotes, base.sources[0]?.quotes, 'the sources travel with it');
      assert.equal(await store.removeFeedback(ALICE, 'a1'), true);
      assert.equal((await store.feedbackOn(ALICE, 'c-jiangsu')).length, 0);
    });

    test('nothing is lost on a restart, and the migrations run once, recorded by version', async () => {
      await store.close();
      const database = connect();
      assert.deepEqual(await migrate(database), [], 'already current');
      assert.deepEqual(await appliedVersions(database), MIGRATIONS.map((migration) => migration.version));
      await database.close();
      store = await openStore(connect());
      assert.equal((await store.get(ALICE, 'c-jiangsu'))?.conversation.exchanges.length, 2);
      assert.equal((await store.allFeedback()).length, 2);
    });

    test('a database at version 1 is brought to the latest; one newer than the server is refused', async () => {
      const open = await backend.fresh();
      const old = open();
      assert.deepEqual(await migrate(old, MIGRATIONS.slice(0, 1)), [1]);
      await old.run('INSERT INTO conversations (owner, id, title, renamed, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)', [ALICE, 'c-old', '旧对话', false, 1, 2]);
      await old.close();
      const upgraded = await openStore(open());
      assert.deepEqual((await upgraded.list(ALICE)).map((item) => item.title), ['旧对话'], 'its conversations are kept');
      await upgraded.putFeedback(ALICE, 'x1', { question: '问题', answer: '回答', grounded: true, rating: 'up', history: [], mode: null, regions: null, citations: [], sources: [] });
      await upgraded.close();
      const newer = open();
      await newer.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [99, 'from a newer server', 3]);
      await newer.close();
      await assert.rejects(openStore(open()), (error: unknown) => error instanceof AppError && /schema version 99, newer than this server knows/.test(error.message));
    });

    test('several servers on one database (replicas) migrate once and see each other’s writes', async () => {
      const open = await backend.fresh();
      const replicas = await Promise.all([openStore(open()), openStore(open()), openStore(open())]);
      try {
        await replicas[0]!.save(ALICE, conversation('c-replica', [jiangsuExchange('r1')]));
        const share = await replicas[1]!.share(ALICE, 'c-replica');
        const opened = await replicas[2]!.shared(share!.token);
        assert.equal(opened?.state, 'active');
        await Promise.all(replicas.map((replica, position) => replica.putFeedback(ALICE, `r${position}`, { question: '问题', answer: '回答', grounded: true, rating: 'up', history: [], mode: null, regions: null, citations: [], sources: [] })));
        assert.equal((await replicas[0]!.allFeedback()).length, 3);
      } finally {
        await Promise.all(replicas.map((replica) => replica.close()));
      }
    });
  });
}
