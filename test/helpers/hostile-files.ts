/**
 * Hostile Office files, generated on the spot: a sparse XLSX (one far cell), and zip bombs (a DOCX and an XLSX
 * whose main part unpacks to hundreds of MB from a few hundred KB). The bombs are deflated as a stream, so
 * building one never holds its unpacked size in memory.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import zlib from 'node:zlib';
import ExcelJS from 'exceljs';

/** `declared`: the unpacked size written in the zip's headers, when it should lie. */
type BombEntry = ({ name: string; text: string } | { name: string; head: string; repeat: string; times: number; tail: string }) & { declared?: number };

const MiB = 1024 * 1024;

async function deflate(entry: BombEntry): Promise<{ data: Buffer; crc: number; size: number }> {
  if ('text' in entry) {
    const raw = Buffer.from(entry.text, 'utf8');
    return { data: zlib.deflateRawSync(raw, { level: 9 }), crc: zlib.crc32(raw), size: raw.length };
  }
  const deflater = zlib.createDeflateRaw({ level: 9, memLevel: 9 });
  const out: Buffer[] = [];
  deflater.on('data', (chunk: Buffer) => out.push(chunk));
  const done = once(deflater, 'end');
  let crc = 0;
  let size = 0;
  const write = async (buf: Buffer): Promise<void> => {
    crc = zlib.crc32(buf, crc);
    size += buf.length;
    if (!deflater.write(buf)) await once(deflater, 'drain');
  };
  await write(Buffer.from(entry.head, 'utf8'));
  // one MiB block of the repeated unit, written as many times as needed
  const unit = Buffer.from(entry.repeat, 'utf8');
  const perBlock = Math.max(1, Math.floor(MiB / unit.length));
  const block = Buffer.concat(Array.from({ length: perBlock }, () => unit));
  let left = entry.times;
  while (left > 0) {
    const n = Math.min(left, perBlock);
    await write(n === perBlock ? block : block.subarray(0, n * unit.length));
    left -= n;
  }
  await write(Buffer.from(entry.tail, 'utf8'));
  deflater.end();
  await done;
  return { data: Buffer.concat(out), crc, size };
}

/** A plain zip (deflate, no ZIP64) with the given entries; sizes must stay under 4 GiB. */
export async function writeBombZip(file: string, entries: BombEntry[]): Promise<{ bytes: number; unpacked: number }> {
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  let unpacked = 0;
  for (const entry of entries) {
    const { data, crc, size } = await deflate(entry);
    unpacked += size;
    const name = Buffer.from(entry.name, 'utf8');
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(0x0800, 6); // UTF-8 names
    header.writeUInt16LE(8, 8); // deflate
    header.writeUInt32LE(0x00210000, 10); // 1980-01-01
    header.writeUInt32LE(crc, 14);
    header.writeUInt32LE(data.length, 18);
    header.writeUInt32LE(entry.declared ?? size, 22);
    header.writeUInt16LE(name.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(0x0800, 8);
    dir.writeUInt16LE(8, 10);
    dir.writeUInt32LE(0x00210000, 12);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(data.length, 20);
    dir.writeUInt32LE(entry.declared ?? size, 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE(offset, 42);
    local.push(header, name, data);
    central.push(dir, name);
    offset += header.length + name.length + data.length;
  }
  const centralSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  const stream = createWriteStream(file);
  for (const b of [...local, ...central, end]) stream.write(b);
  stream.end();
  await once(stream, 'finish');
  return { bytes: offset + centralSize + end.length, unpacked };
}

export const CONTENT_TYPES_DOCX =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
export const RELS_DOCX =
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>';
const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';

/** A DOCX whose document.xml is a table of about `mib` MiB: the plan header, then the same task row repeated. */
export function writeDocxBomb(file: string, mib = 400, declared?: number): Promise<{ bytes: number; unpacked: number }> {
  const cell = (text: string) => `<w:tc><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:tc>`;
  const header = `<w:tr>${['STT', 'Nội dung công việc', 'Đơn vị chủ trì', 'Đơn vị phối hợp', 'Thời gian hoàn thành', 'Kết quả', 'Ghi chú'].map(cell).join('')}</w:tr>`;
  const row = `<w:tr>${['1', 'Rà soát thủ tục hành chính', 'Văn phòng', 'Các phòng', 'Quý I/2024', 'Báo cáo', ''].map(cell).join('')}</w:tr>`;
  return writeBombZip(file, [
    { name: '[Content_Types].xml', text: CONTENT_TYPES_DOCX },
    { name: '_rels/.rels', text: RELS_DOCX },
    {
      name: 'word/document.xml',
      head: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ${W}><w:body><w:tbl>${header}`,
      repeat: row,
      times: Math.ceil((mib * MiB) / Buffer.byteLength(row)),
      tail: '</w:tbl></w:body></w:document>',
      ...(declared !== undefined ? { declared } : {}),
    },
  ]);
}

export const CONTENT_TYPES_XLSX =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>';
export const RELS_XLSX =
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>';
export const WORKBOOK =
  '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>';
export const WORKBOOK_RELS =
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>';

/**
 * An XLSX whose shared-strings part is about `mib` MiB of the same string: a valid workbook (a header row and one
 * data row that use the strings) that compresses about a thousandfold, as the XLSX bombs in the wild do.
 */
export function writeXlsxBomb(file: string, header: string[], row: string[], mib = 400): Promise<{ bytes: number; unpacked: number }> {
  const strings = [...header, ...row];
  const cells = (values: string[], rowNo: number, offset: number) =>
    values.map((_, i) => `<c r="${String.fromCharCode(65 + i)}${rowNo}" t="s"><v>${offset + i}</v></c>`).join('');
  const sheet = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">${cells(header, 1, 0)}</row><row r="2">${cells(row, 2, header.length)}</row></sheetData></worksheet>`;
  const filler = '<si><t>Rà soát, đánh giá thủ tục hành chính</t></si>';
  return writeBombZip(file, [
    { name: '[Content_Types].xml', text: CONTENT_TYPES_XLSX },
    { name: '_rels/.rels', text: RELS_XLSX },
    { name: 'xl/workbook.xml', text: WORKBOOK },
    { name: 'xl/_rels/workbook.xml.rels', text: WORKBOOK_RELS },
    { name: 'xl/worksheets/sheet1.xml', text: sheet },
    {
      name: 'xl/sharedStrings.xml',
      head: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${strings.map((t) => `<si><t>${t}</t></si>`).join('')}`,
      repeat: filler,
      times: Math.ceil((mib * MiB) / Buffer.byteLength(filler)),
      tail: '</sst>',
    },
  ]);
}

/** A real workbook (written by exceljs) with a header row and one value far away, at `address` (GR100000). */
export async function writeSparseXlsx(file: string, header: string[], address = 'GR100000'): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Sheet1');
  sheet.addRow(header);
  sheet.getCell(address).value = 'x';
  await workbook.xlsx.writeFile(file);
}

export const PLAN_HEADER_CELLS = ['STT', 'Nội dung công việc', 'Đơn vị chủ trì', 'Đơn vị phối hợp', 'Thời gian hoàn thành', 'Kết quả thực hiện', 'Ghi chú'];
export const DOSSIER_HEADER_CELLS = ['Mã hồ sơ', 'Tên thủ tục', 'Người nộp', 'Ngày tiếp nhận', 'Ngày hẹn trả', 'Đơn vị giải quyết'];
