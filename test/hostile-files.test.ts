/**
 * Hostile files (#18 item 4): each is refused with exit 1 and a Vietnamese message, within bounded memory, by
 * the real CLI in a child process, and the database stays as it was. The files are made here: a sparse XLSX
 * (one value at GR100000, 6 KB), a DOCX and an XLSX that unpack to 400 MB from about 1-2 MB.
 * The child reports its peak RSS (getrusage's maxrss) through a preloaded module; figures are printed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.ts';
import { PlanFileError } from '../src/import/errors.ts';
import { LIMITS } from '../src/import/limits.ts';
import { readDossierFile } from '../src/import/read-dossiers.ts';
import { readPlanRows } from '../src/import/read-plan-file.ts';
import { cli } from './helpers/cli.ts';
import { tempSqliteUrl } from './helpers/db.ts';
import {
  CONTENT_TYPES_DOCX,
  CONTENT_TYPES_XLSX,
  DOSSIER_HEADER_CELLS,
  PLAN_HEADER_CELLS,
  RELS_DOCX,
  RELS_XLSX,
  WORKBOOK,
  WORKBOOK_RELS,
  writeBombZip,
  writeDocxBomb,
  writeSparseXlsx,
  writeXlsxBomb,
} from './helpers/hostile-files.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhacviec-hostile-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const GB = 1024 ** 3;
const MB = 1024 ** 2;
const usageModule = pathToFileURL(path.resolve(import.meta.dirname, 'helpers', 'report-usage.mjs')).href;

type Usage = { maxRssBytes: number; ms: number };

async function runMeasured(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string; usage: Usage; wallMs: number }> {
  const usageFile = path.join(dir, `usage-${Math.random().toString(36).slice(2)}.json`);
  const started = Date.now();
  const r = await cli(args, { ...env, NHACVIEC_TEST_USAGE_FILE: usageFile }, { preload: [usageModule] });
  const wallMs = Date.now() - started;
  const usage = JSON.parse(fs.readFileSync(usageFile, 'utf8')) as Usage;
  return { ...r, usage, wallMs };
}

const files = {
  sparsePlan: path.join(dir, 'thua-o.xlsx'),
  sparseDossiers: path.join(dir, 'ho-so-thua-o.xlsx'),
  docxBomb: path.join(dir, 'ke-hoach-bom.docx'),
  xlsxBomb: path.join(dir, 'ke-hoach-bom.xlsx'),
  dossierBomb: path.join(dir, 'ho-so-bom.xlsx'),
};
const sizes: Record<string, { bytes: number; unpacked: number }> = {};

beforeAll(async () => {
  await writeSparseXlsx(files.sparsePlan, PLAN_HEADER_CELLS);
  await writeSparseXlsx(files.sparseDossiers, DOSSIER_HEADER_CELLS);
  sizes.docxBomb = await writeDocxBomb(files.docxBomb, 400);
  sizes.xlsxBomb = await writeXlsxBomb(files.xlsxBomb, PLAN_HEADER_CELLS, ['1', 'Rà soát', 'Văn phòng', '', 'Quý I/2024', '', ''], 400);
  sizes.dossierBomb = await writeXlsxBomb(files.dossierBomb, DOSSIER_HEADER_CELLS, ['HS-1', 'Cấp phép', 'Nguyễn Văn A', '01/03/2024', '15/03/2024', 'Văn phòng'], 400);
}, 120_000);

async function taskAndDossierCounts(url: string) {
  const db = await openDatabase(url);
  try {
    return { tasks: await db.prisma.task.count(), dossiers: await db.prisma.dossier.count(), units: await db.prisma.unit.count() };
  } finally {
    await db.close();
  }
}

describe('hostile files through the real CLI: exit 1, a Vietnamese message, under 1 GB, nothing written', () => {
  const figures: string[] = [];
  afterAll(() => console.log(`Hostile files (peak RSS of the CLI process, its run time, wall time with start-up):\n${figures.join('\n')}`));

  it('the bombs are small files that really unpack to hundreds of MB', () => {
    for (const s of [sizes.docxBomb, sizes.xlsxBomb, sizes.dossierBomb]) {
      expect(s!.bytes).toBeLessThan(2.5 * MB);
      expect(s!.unpacked).toBeGreaterThan(400 * MB);
    }
    expect(fs.statSync(files.sparsePlan).size).toBeLessThan(10_000);
  });

  it.each([
    ['sparse XLSX plan', ['import', 'sparsePlan', '--year', '2024'], /trang tính "Sheet1" trải tới ô GR100000 \(100\.000 dòng × 200 cột\)/],
    ['sparse XLSX unit registry', ['units', 'import', 'sparsePlan'], /trải tới ô GR100000/],
    ['sparse XLSX dossier list', ['dossier', 'import', 'sparseDossiers'], /trải tới ô GR100000/],
    ['DOCX bomb plan', ['import', 'docxBomb', '--year', '2024'], /phần "word\/document\.xml" giải nén ra hơn 40 MB/],
    ['XLSX bomb plan', ['import', 'xlsxBomb', '--year', '2024'], /phần "xl\/sharedStrings\.xml" giải nén ra hơn 40 MB/],
    ['XLSX bomb dossier list', ['dossier', 'import', 'dossierBomb'], /phần "xl\/sharedStrings\.xml" giải nén ra hơn 40 MB/],
  ] as const)('%s', async (label, template, message) => {
    const url = tempSqliteUrl();
    const args = template.map((a) => (a in files ? files[a as keyof typeof files] : a));
    const r = await runMeasured(args, { DATABASE_URL: url });
    figures.push(`- ${label}: ${(r.usage.maxRssBytes / MB).toFixed(0)} MB, ${r.usage.ms} ms (wall ${r.wallMs} ms)`);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/bị từ chối vì quá lớn hoặc bất thường.*Chưa đọc gì từ tệp/s);
    expect(r.stderr).not.toMatch(/Error|heap|at \w/);
    expect(r.stdout).toBe('');
    expect(r.usage.maxRssBytes).toBeLessThan(1 * GB);
    if (fs.existsSync(url.slice('file:'.length))) expect(await taskAndDossierCounts(url)).toEqual({ tasks: 0, dossiers: 0, units: 0 });
  }, 120_000);
});

describe('the bounded reading layer, in process', () => {
  const refused = async (read: Promise<unknown>, message: RegExp) => {
    const error = await read.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PlanFileError);
    expect((error as Error).message).toMatch(message);
  };

  it('never trusts the sizes a zip declares: a part that claims 1 KB is stopped while it inflates', async () => {
    const file = path.join(dir, 'noi-doi.docx');
    await writeDocxBomb(file, 100, 1024);
    await refused(readPlanRows(file), /giải nén ra hơn 40 MB/);
  });

  it('refuses a package of too many parts before indexing it', async () => {
    const file = path.join(dir, 'nhieu-phan.xlsx');
    await writeBombZip(file, Array.from({ length: LIMITS.zipEntries + 1 }, (_, i) => ({ name: `xl/media/p${i}.xml`, text: '<x/>' })));
    await refused(readPlanRows(file), /chứa 5\.001 phần \(giới hạn 5\.000\)/);
  });

  it('refuses a file over the size limit without reading it', async () => {
    const file = path.join(dir, 'qua-lon.xlsx');
    fs.writeFileSync(file, 'PK');
    fs.truncateSync(file, LIMITS.officeFileBytes + 1); // sparse on disk
    await refused(readPlanRows(file), /tệp nặng 50 MB, giới hạn 50 MB/);
    await refused(readDossierFile(file), /tệp nặng 50 MB/);
    await refused(readPlanRows(dir), /không phải là một tệp/);
  });

  const sheetXlsx = async (name: string, sheetBody: string, workbook = WORKBOOK) => {
    const file = path.join(dir, name);
    const header = `<row r="1">${PLAN_HEADER_CELLS.map((h, i) => `<c r="${String.fromCharCode(65 + i)}1" t="inlineStr"><is><t>${h}</t></is></c>`).join('')}</row>`;
    const task = `<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="inlineStr"><is><t>Rà soát thủ tục</t></is></c><c r="C2" t="inlineStr"><is><t>Văn phòng</t></is></c><c r="E2" t="inlineStr"><is><t>Quý I/2024</t></is></c></row>`;
    await writeBombZip(file, [
      { name: '[Content_Types].xml', text: CONTENT_TYPES_XLSX },
      { name: '_rels/.rels', text: RELS_XLSX },
      { name: 'xl/workbook.xml', text: workbook },
      { name: 'xl/_rels/workbook.xml.rels', text: WORKBOOK_RELS },
      {
        name: 'xl/worksheets/sheet1.xml',
        text: `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cols><col min="1" max="16384" width="9"/></cols><sheetData>${header}${task}</sheetData>${sheetBody}</worksheet>`,
      },
    ]);
    return file;
  };

  it('reads a sheet whose validations, print area and column styles cover the whole sheet (exceljs would expand them cell by cell)', async () => {
    const file = await sheetXlsx(
      'toan-trang.xlsx',
      '<dataValidations count="1"><dataValidation type="list" sqref="A1:XFD1048576"><formula1>"a,b"</formula1></dataValidation></dataValidations>',
      WORKBOOK.replace('</sheets>', '</sheets><definedNames><definedName name="_xlnm.Print_Area" localSheetId="0">Sheet1!$A$1:$XFD$1048576</definedName></definedNames>'),
    );
    const started = Date.now();
    const { rows } = await readPlanRows(file);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(rows.map((r) => r.cells.slice(0, 5))).toEqual([PLAN_HEADER_CELLS.slice(0, 5), ['1', 'Rà soát thủ tục', 'Văn phòng', '', 'Quý I/2024']]);
  });

  it('refuses a merge over the whole sheet, too many merges, and a far dimension', async () => {
    await refused(readPlanRows(await sheetXlsx('gop-ca-trang.xlsx', '<mergeCells count="1"><mergeCell ref="A3:XFD1048576"/></mergeCells>')), /trải tới ô XFD1048576/);
    const many = Array.from({ length: LIMITS.merges + 1 }, (_, i) => `<mergeCell ref="H${i + 3}:I${i + 3}"/>`).join('');
    await refused(readPlanRows(await sheetXlsx('nhieu-vung-gop.xlsx', `<mergeCells>${many}</mergeCells>`)), /5\.001 vùng gộp ô/);
    const far = await sheetXlsx('kich-thuoc.xlsx', '');
    const withDimension = path.join(dir, 'kich-thuoc-xa.xlsx');
    // the same workbook declaring its dimension out to ZZ500000
    const { default: JSZip } = await import('jszip');
    const zip = await JSZip.loadAsync(fs.readFileSync(far));
    const sheet = (await zip.file('xl/worksheets/sheet1.xml')!.async('string')).replace('<cols>', '<dimension ref="A1:ZZ500000"/><cols>');
    zip.file('xl/worksheets/sheet1.xml', sheet);
    fs.writeFileSync(withDimension, await zip.generateAsync({ type: 'nodebuffer' }));
    await refused(readPlanRows(withDimension), /trải tới ô ZZ500000 \(500\.000 dòng × 702 cột\), quá 100\.000 dòng/);
  });

  it('clamps a DOCX cell spanning a billion columns', async () => {
    const file = path.join(dir, 'gop-ty-cot.docx');
    const cell = (t: string, span?: number) => `<w:tc>${span ? `<w:tcPr><w:gridSpan w:val="${span}"/></w:tcPr>` : ''}<w:p><w:r><w:t>${t}</w:t></w:r></w:p></w:tc>`;
    const body = `<w:tbl><w:tr>${PLAN_HEADER_CELLS.map((h) => cell(h)).join('')}</w:tr><w:tr>${cell('I. Nhóm', 1_000_000_000)}</w:tr></w:tbl>`;
    await writeBombZip(file, [
      { name: '[Content_Types].xml', text: CONTENT_TYPES_DOCX },
      { name: '_rels/.rels', text: RELS_DOCX },
      { name: 'word/document.xml', text: `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>` },
    ]);
    const { rows } = await readPlanRows(file);
    expect(rows[1]!.cells).toHaveLength(LIMITS.columns);
    expect(rows[1]!.cells[0]).toBe('I. Nhóm');
  });

  it('counts a Word-made body without its revision ids and proofing marks, and reads its text whole', async () => {
    const file = path.join(dir, 'word-that.docx');
    const run = (t: string) => `<w:r w:rsidRPr="00C41A2B"><w:rPr><w:sz w:val="26"/></w:rPr><w:t xml:space="preserve">${t}</w:t></w:r>`;
    const cell = (...parts: string[]) => `<w:tc><w:p w:rsidR="00A1B2C3" w:rsidRDefault="00A1B2C3" w:rsidP="00D4E5F6">${parts.join('<w:proofErr w:type="spellStart"/>')}<w:bookmarkStart w:id="0" w:name="_GoBack"/><w:bookmarkEnd w:id="0"/></w:p></w:tc>`;
    const row = `<w:tr w:rsidR="00A1B2C3" w:rsidTr="00A1B2C3">${cell(run('1'))}${cell(run('Rà soát '), run('thủ tục'))}${cell(run('Văn phòng'))}${cell(run(''))}${cell(run('Quý I/2024'))}${cell(run(''))}${cell(run(''))}</w:tr>`;
    const header = `<w:tr>${PLAN_HEADER_CELLS.map((h) => cell(run(h))).join('')}</w:tr>`;
    // 20,000 rows: 3.4 million XML nodes as written (over the limit), 2.0 million once the revision ids and marks are dropped
    await writeBombZip(file, [
      { name: '[Content_Types].xml', text: CONTENT_TYPES_DOCX },
      { name: '_rels/.rels', text: RELS_DOCX },
      { name: 'word/document.xml', head: `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:tbl>${header}`, repeat: row, times: 20_000, tail: '</w:tbl></w:body></w:document>' },
    ]);
    const { rows } = await readPlanRows(file);
    expect(rows).toHaveLength(20_001);
    expect(rows[1]!.cells.slice(0, 5)).toEqual(['1', 'Rà soát thủ tục', 'Văn phòng', '', 'Quý I/2024']);
  }, 120_000);

  it('refuses a DOCX body of too many XML nodes before parsing it', async () => {
    const file = path.join(dir, 'nhieu-nut.docx');
    await writeDocxBomb(file, 20);
    await refused(readPlanRows(file), /nội dung văn bản có khoảng [\d.]+ phần tử XML \(giới hạn 2\.500\.000\)/);
  });

  it('refuses a CSV over the row or column limits, and says what is wrong with a broken one in Vietnamese', async () => {
    const wide = path.join(dir, 'rong.csv');
    fs.writeFileSync(wide, `${PLAN_HEADER_CELLS.join(',')}\n${Array.from({ length: 300 }, (_, i) => `c${i}`).join(',')}\n`);
    await refused(readPlanRows(wide), /một dòng có 300 cột \(giới hạn 256\)/);
    const tall = path.join(dir, 'dai.csv');
    fs.writeFileSync(tall, `${PLAN_HEADER_CELLS.join(',')}\n${'1,a,b,c,d,e,f\n'.repeat(LIMITS.rows + 1)}`);
    await refused(readPlanRows(tall), /bảng có hơn 100\.000 dòng/);
    const open = path.join(dir, 'ngoac.csv');
    fs.writeFileSync(open, `${PLAN_HEADER_CELLS.join(',')}\n1,"Rà soát,Văn phòng,,Quý I,,\n`);
    await refused(readPlanRows(open), /Tệp CSV không đọc được.*dấu ngoặc kép mở mà không đóng/);
    const lines = path.join(dir, 'nhieu-dong.txt');
    fs.writeFileSync(lines, 'a\n'.repeat(LIMITS.textLines + 1));
    await refused(readPlanRows(lines), /tệp văn bản có hơn 500\.000 dòng/);
  });
});
