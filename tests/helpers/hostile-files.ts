// Hostile documents made at test time, small on disk and costly to read: a .docx whose document.xml
// inflates to far more than it weighs (a zip bomb), a PDF page whose content stream does the same (a
// flate bomb), page trees that point to themselves or nest very deep, and PDFs with very many pages.
// The compressed data is produced by streaming zlib over a repeated chunk, so making a bomb never holds
// its inflated size in memory.
import { crc32, createDeflate, createDeflateRaw, type Deflate, type DeflateRaw } from 'node:zlib';

const MB = 1024 * 1024;

/** Compresses `prefix`, then `filler` repeated until `size` bytes, then `suffix`, without holding them whole. */
async function deflateRepeated(kind: 'zlib' | 'raw', parts: { prefix: string; filler: string; size: number; suffix: string }): Promise<{ data: Buffer; crc: number; size: number }> {
  const stream: Deflate | DeflateRaw = kind === 'zlib' ? createDeflate({ level: 9 }) : createDeflateRaw({ level: 9 });
  const output: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => output.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    stream.once('end', resolve);
    stream.once('error', reject);
  });
  // Whole fillers only, so that markup repeated stays well-formed.
  const chunk = Buffer.from(parts.filler.repeat(Math.max(1, Math.floor(MB / Buffer.byteLength(parts.filler)))));
  let crc = 0;
  let size = 0;
  const write = async (buffer: Buffer): Promise<void> => {
    crc = crc32(buffer, crc);
    size += buffer.length;
    if (!stream.write(buffer)) await new Promise((resolve) => stream.once('drain', resolve));
  };
  await write(Buffer.from(parts.prefix));
  for (let written = 0; written < parts.size; written += chunk.length) await write(chunk);
  await write(Buffer.from(parts.suffix));
  stream.end();
  await finished;
  return { data: Buffer.concat(output), crc, size };
}

// ------------------------------------------------------------------------------------------- zip

interface ZipEntry {
  name: string;
  data: Buffer;
  crc: number;
  size: number;
  /** 8: deflated; 0: stored. */
  method: 0 | 8;
}

/** A zip archive written by hand (local headers, central directory, end record), sizes stated honestly. */
function writeZip(entries: readonly ZipEntry[]): Uint8Array {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0, 6);
    local.writeUInt16LE(entry.method, 8);
    local.writeUInt32LE(0, 10); // time and date
    local.writeUInt32LE(entry.crc >>> 0, 14);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(entry.size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0, 8);
    header.writeUInt16LE(entry.method, 10);
    header.writeUInt32LE(0, 12);
    header.writeUInt32LE(entry.crc >>> 0, 16);
    header.writeUInt32LE(entry.data.length, 20);
    header.writeUInt32LE(entry.size, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offset, 42);
    locals.push(local, name, entry.data);
    central.push(header, name);
    offset += local.length + name.length + entry.data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

const stored = (name: string, text: string): ZipEntry => {
  const data = Buffer.from(text);
  return { name, data, crc: crc32(data), size: data.length, method: 0 };
};

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`;
const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`;

const paragraphXml = (text: string): string => `<w:p><w:r><w:t>${text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</w:t></w:r></w:p>`;

/**
 * A .docx whose word/document.xml is a real report's opening paragraphs followed by `inflatedMb` of
 * whitespace inside the body (about 1 kB on disk per MB it inflates to), or of `repeated` paragraphs.
 */
export async function docxZipBomb(paragraphs: readonly string[], inflatedMb: number, repeated?: string): Promise<Uint8Array> {
  const document = await deflateRepeated('raw', {
    prefix: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${paragraphs.map(paragraphXml).join('')}`,
    filler: repeated === undefined ? ' ' : paragraphXml(repeated),
    size: inflatedMb * MB,
    suffix: '</w:body></w:document>',
  });
  return writeZip([stored('[Content_Types].xml', CONTENT_TYPES), stored('_rels/.rels', ROOT_RELS), { name: 'word/document.xml', ...document, method: 8 }]);
}

/** A .docx of many small entries that together inflate to `inflatedMb` (each entry alone is modest). */
export async function docxManyEntries(entryMb: number, entries: number): Promise<Uint8Array> {
  const filler = await deflateRepeated('raw', { prefix: '<?xml version="1.0"?><x>', filler: ' ', size: entryMb * MB, suffix: '</x>' });
  const padding = Array.from({ length: entries }, (_, index): ZipEntry => ({ name: `word/media/part${index}.xml`, ...filler, method: 8 }));
  return writeZip([stored('[Content_Types].xml', CONTENT_TYPES), stored('_rels/.rels', ROOT_RELS), stored('word/document.xml', '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>'), ...padding]);
}

// ------------------------------------------------------------------------------------------- PDF

/** A PDF from its objects (numbered from 1; object 1 is the catalog), with a correct cross-reference table. */
function writePdf(objects: readonly (string | Buffer)[]): Uint8Array {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let length = parts[0]!.length;
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(length);
    const body = typeof object === 'string' ? Buffer.from(object, 'latin1') : object;
    const chunk = Buffer.concat([Buffer.from(`${index + 1} 0 obj\n`), body, Buffer.from('\nendobj\n')]);
    parts.push(chunk);
    length += chunk.length;
  });
  const xref = [`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`, ...offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`)].join('');
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`));
  return new Uint8Array(Buffer.concat(parts));
}

const FONT = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';
const streamObject = (dictionary: string, data: Buffer): Buffer =>
  Buffer.concat([Buffer.from(`<< ${dictionary} /Length ${data.length} >>\nstream\n`), data, Buffer.from('\nendstream')]);
const pageObject = (parent: number, contents: number, font: number): string =>
  `<< /Type /Page /Parent ${parent} 0 R /MediaBox [0 0 595 842] /Contents ${contents} 0 R /Resources << /Font << /F1 ${font} 0 R >> >> >>`;

/** One page whose content stream inflates to `inflatedMb` (spaces after a line of text). */
export async function pdfFlateBomb(inflatedMb: number): Promise<Uint8Array> {
  const content = await deflateRepeated('zlib', { prefix: 'BT /F1 12 Tf 72 720 Td (Government work report) Tj ET\n', filler: ' ', size: inflatedMb * MB, suffix: '\n' });
  return writePdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', pageObject(2, 4, 5), streamObject('/Filter /FlateDecode', content.data), FONT]);
}

/** A page tree whose root lists itself among its kids. */
export function pdfCircularPageTree(): Uint8Array {
  return writePdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>', pageObject(2, 4, 5), streamObject('', Buffer.from('BT /F1 12 Tf 72 720 Td (report) Tj ET')), FONT]);
}

/** One page at the bottom of a chain of `depth` page-tree nodes, each the only kid of the one above. */
export function pdfDeepPageTree(depth: number): Uint8Array {
  // 1 catalog, 2 font, 3 content, 4 … depth+3 the Pages chain, depth+4 the page.
  const objects: string[] = ['<< /Type /Catalog /Pages 4 0 R >>', FONT, streamObject('', Buffer.from('BT /F1 12 Tf 72 720 Td (report) Tj ET')).toString('latin1')];
  for (let level = 0; level < depth; level++) {
    const number = 4 + level;
    objects.push(`<< /Type /Pages /Kids [${number + 1} 0 R] /Count 1${level > 0 ? ` /Parent ${number - 1} 0 R` : ''} >>`);
  }
  objects.push(pageObject(3 + depth, 3, 2));
  return writePdf(objects);
}

/** `pages` pages that share one small content stream. */
export function pdfManyPages(pages: number): Uint8Array {
  // 1 catalog, 2 pages, 3 font, 4 content, 5 … the pages.
  const kids = Array.from({ length: pages }, (_, index) => `${index + 5} 0 R`).join(' ');
  const objects: string[] = ['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Kids [${kids}] /Count ${pages} >>`, FONT, streamObject('', Buffer.from('BT /F1 12 Tf 72 720 Td (Government work report) Tj ET')).toString('latin1')];
  for (let page = 0; page < pages; page++) objects.push(pageObject(2, 4, 3));
  return writePdf(objects);
}

/** One page showing one deflated image of `inflatedMb` (grey pixels): large when decoded, never decoded to read text. */
export async function pdfWithLargeImage(inflatedMb: number): Promise<Uint8Array> {
  const side = Math.floor(Math.sqrt(inflatedMb * MB));
  const pixels = await deflateRepeated('zlib', { prefix: '', filler: '\x80', size: side * side, suffix: '' });
  const content = Buffer.from(`q ${side / 10} 0 0 ${side / 10} 0 0 cm /Im1 Do Q BT /F1 12 Tf 72 720 Td (Figure 1) Tj ET`);
  return writePdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >> >> >>',
    streamObject('', content),
    FONT,
    streamObject(`/Type /XObject /Subtype /Image /Width ${side} /Height ${side} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode`, pixels.data),
  ]);
}
