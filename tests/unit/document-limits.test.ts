// Hostile documents made at test time are refused by the limit they break, before they cost more than
// it: a zip bomb, a .docx of many entries, a flate bomb, a deep page tree, very many pages, and too much
// text. Every refusal is a DocumentError with its code and the setting that sets the limit. (A circular
// page tree, which needs pdfjs, is refused through the server in tests/integration/hostile-uploads.)
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DocumentError } from '../../src/corpus/document-error.ts';
import { DEFAULT_DOCUMENT_LIMITS, type DocumentLimits } from '../../src/corpus/document-limits.ts';
import { readDocument } from '../../src/corpus/read-document.ts';
import { readConfig } from '../../src/config.ts';
import { inspectPdf } from '../../src/corpus/inspect-pdf.ts';
import { docxManyEntries, docxZipBomb, pdfDeepPageTree, pdfFlateBomb, pdfManyPages, pdfWithLargeImage } from '../helpers/hostile-files.ts';
import { writeDocx } from '../helpers/make-documents.ts';
import { findReport, loadRealCorpus } from './real-corpus.ts';

const MB = 1024 * 1024;
const LIMITS: DocumentLimits = { ...DEFAULT_DOCUMENT_LIMITS, entryBytes: 8 * MB, unpackedBytes: 16 * MB, pages: 200, characters: 100_000 };
const suzhou = findReport(await loadRealCorpus(), 'suzhou-2024');
const opening = suzhou.text.split('\n').slice(0, 12);

async function refusal(bytes: Uint8Array, fileName: string, limits = LIMITS): Promise<DocumentError> {
  const started = performance.now();
  try {
    await readDocument({ bytes, fileName, limits });
  } catch (error) {
    assert.ok(error instanceof DocumentError, `expected a DocumentError, got ${String(error)}`);
    assert.ok(performance.now() - started < 20_000, 'refused within seconds');
    return error;
  }
  assert.fail(`${fileName} was accepted`);
}

describe('archives and compressed streams', () => {
  test('a .docx whose document.xml inflates to 40 MB is refused at the entry limit (413, DOCUMENT_MAX_ENTRY_MB)', async () => {
    const bomb = await docxZipBomb(opening, 40);
    assert.ok(bomb.byteLength < 200 * 1024, `the bomb is small on disk (${bomb.byteLength} bytes)`);
    const error = await refusal(bomb, '苏州.docx');
    assert.equal(error.problem, 'over_limit');
    assert.equal(error.status, 413);
    assert.deepEqual(error.limit, { name: 'entryBytes', setting: 'DOCUMENT_MAX_ENTRY_MB', value: 8 * MB });
    assert.match(error.message, /word\/document\.xml.*8 MB.*DOCUMENT_MAX_ENTRY_MB/);
  });

  test('entries each under the limit but 24 MB together are refused at the total (DOCUMENT_MAX_UNPACKED_MB)', async () => {
    const error = await refusal(await docxManyEntries(6, 4), 'parts.docx');
    assert.equal(error.limit?.setting, 'DOCUMENT_MAX_UNPACKED_MB');
    assert.equal(error.status, 413);
  });

  test('a PDF page whose content stream inflates to 40 MB is refused at the entry limit before pdfjs reads it', async () => {
    const error = await refusal(await pdfFlateBomb(40), 'bomb.pdf');
    assert.equal(error.limit?.setting, 'DOCUMENT_MAX_ENTRY_MB');
    assert.match(error.message, /stream/);
  });

  test('a PDF’s images, never decoded to read its text, are not counted: a 40 MB figure is no bomb', () => {
    return pdfWithLargeImage(40).then((bytes) => assert.deepEqual(inspectPdf(bytes, 'figure.pdf', LIMITS), { streams: 0, unpackedBytes: 0 }));
  });

  test('a real .docx within the limits still reads', async () => {
    const document = await readDocument({ bytes: await writeDocx(opening), fileName: '苏州.docx', limits: LIMITS });
    assert.deepEqual(document.text.split('\n'), opening);
  });
});

describe('page trees and pages', () => {
  test('a page tree 5,000 nodes deep is refused by the page limit, without walking it', async () => {
    const error = await refusal(pdfDeepPageTree(5000), 'deep.pdf');
    assert.equal(error.limit?.setting, 'DOCUMENT_MAX_PAGES');
    assert.match(error.message, /page tree has 5000 nodes/);
  });

  test('2,000 pages are refused by the page limit (413, DOCUMENT_MAX_PAGES)', async () => {
    const error = await refusal(pdfManyPages(2000), 'pages.pdf');
    assert.equal(error.status, 413);
    assert.deepEqual(error.limit, { name: 'pages', setting: 'DOCUMENT_MAX_PAGES', value: 200 });
  });
});

describe('text', () => {
  test('a text file over the character limit is refused naming DOCUMENT_MAX_CHARACTERS', async () => {
    const text = new TextEncoder().encode(suzhou.text.repeat(Math.ceil(120_000 / suzhou.text.length)));
    const error = await refusal(text, '苏州.txt');
    assert.equal(error.limit?.setting, 'DOCUMENT_MAX_CHARACTERS');
    assert.equal((await readDocument({ bytes: new TextEncoder().encode(suzhou.text), fileName: '苏州.txt', limits: LIMITS })).text.length > 10_000, true);
  });
});

describe('the limits are settings', () => {
  test('each is read from the environment, with defaults, and nonsense is refused at start', () => {
    const config = readConfig({ DOCUMENT_MAX_ENTRY_MB: '8', DOCUMENT_MAX_PAGES: '200', DOCUMENT_TIMEOUT_MS: '5000', DOCUMENT_MAX_HEAP_MB: '256' });
    assert.deepEqual(config.documentLimits, { ...DEFAULT_DOCUMENT_LIMITS, entryBytes: 8 * MB, pages: 200, milliseconds: 5000, memoryBytes: 256 * MB });
    assert.deepEqual(readConfig({}).documentLimits, DEFAULT_DOCUMENT_LIMITS);
    assert.throws(() => readConfig({ DOCUMENT_MAX_PAGES: '0' }), /DOCUMENT_MAX_PAGES must be a whole number/);
    assert.throws(() => readConfig({ DOCUMENT_MAX_ENTRY_MB: '512', DOCUMENT_MAX_UNPACKED_MB: '256' }), /DOCUMENT_MAX_ENTRY_MB \(512\) must not exceed DOCUMENT_MAX_UNPACKED_MB/);
  });
});
