/**
 * Loads an XLSX into exceljs within bounded memory. Before exceljs sees anything, every part it will read is
 * inflated under the limits (office-zip.ts) and each worksheet's extent is measured from its XML: the last row
 * and column any cell, merge or declared dimension reaches, the cells, the merged area. exceljs then gets a
 * package of only what the readers use (the workbook, its relations, styles, shared strings and each sheet's
 * cells and merges): data validations, defined names, column ranges, drawings and the like are left out,
 * since exceljs expands some of them cell by cell (a validation or a print area over a whole sheet is
 * seventeen billion cells).
 */
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { PlanFileError } from './errors.ts';
import { count, LIMITS, tooLarge } from './limits.ts';
import { openOfficeZip, type OfficeZip } from './office-zip.ts';

/** Excel's own ceiling on cell formats; a styles part far beyond it is not a spreadsheet's. */
const MAX_CELL_FORMATS = 65_000;
const STYLES_BYTES = 16 * 1024 * 1024;

const WORKSHEET = /^xl\/worksheets\/sheet\d+\.xml$/;
const KEPT = new Set(['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml', 'xl/styles.xml']);

export type SheetExtent = {
  /** the last row and column any cell, merge or the declared dimension reaches (1-based; 0 when empty) */
  rows: number;
  columns: number;
  /** <row> and <c> elements, merged ranges and the cells they cover */
  rowElements: number;
  cells: number;
  merges: number;
  mergedCells: number;
};

export function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + ch.charCodeAt(0) - 64;
  return n;
}

export function columnLetters(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

const CELL_REF = /^\$?([A-Za-z]{1,4})\$?(\d{1,9})$/;
const TAG = /<(?:[A-Za-z_][\w.-]*:)?(row|c|mergeCell|dimension)(?=[\s/>])([^>]*)>/g;

function ref(text: string | undefined): { row: number; col: number } | null {
  const m = text ? CELL_REF.exec(text) : null;
  return m ? { col: columnNumber(m[1] as string), row: Number(m[2]) } : null;
}

const ATTRIBUTES = new Map(['r', 'ref', 'Id', 'Target', 'name', 'id'].map((n) => [n, new RegExp(`(?:^|\\s)${n}\\s*=\\s*["']([^"']*)["']`)]));

function attribute(attrs: string, name: 'r' | 'ref' | 'Id' | 'Target' | 'name' | 'id'): string | undefined {
  return ATTRIBUTES.get(name)?.exec(attrs)?.[1];
}

/** Measures a worksheet from its XML (read as latin1: markup is ASCII, so offsets are byte offsets). */
export function sheetExtent(xml: string): SheetExtent {
  const e: SheetExtent = { rows: 0, columns: 0, rowElements: 0, cells: 0, merges: 0, mergedCells: 0 };
  let row = 0;
  let col = 0;
  const reach = (r: number, c: number) => {
    if (r > e.rows) e.rows = r;
    if (c > e.columns) e.columns = c;
  };
  for (const m of xml.matchAll(TAG)) {
    const attrs = m[2] ?? '';
    switch (m[1]) {
      case 'row': {
        e.rowElements++;
        const r = Number(attribute(attrs, 'r'));
        row = Number.isInteger(r) && r > 0 ? r : row + 1;
        col = 0;
        reach(row, 0);
        break;
      }
      case 'c': {
        e.cells++;
        const at = ref(attribute(attrs, 'r'));
        if (at) {
          row = Math.max(row, at.row);
          col = at.col;
        } else col++;
        reach(at?.row ?? row, col);
        break;
      }
      case 'mergeCell': {
        const [a, b] = (attribute(attrs, 'ref') ?? '').split(':');
        const from = ref(a);
        const to = ref(b ?? a);
        if (!from || !to) break;
        e.merges++;
        e.mergedCells += (Math.abs(to.row - from.row) + 1) * (Math.abs(to.col - from.col) + 1);
        reach(Math.max(from.row, to.row), Math.max(from.col, to.col));
        break;
      }
      case 'dimension': {
        const last = ref((attribute(attrs, 'ref') ?? '').split(':').at(-1));
        if (last) reach(last.row, last.col);
        break;
      }
    }
  }
  return e;
}

/** Refuses a sheet whose extent is over the limits; names where it reaches. */
export function checkSheetExtent(e: SheetExtent, sheet: string, file: string): void {
  const where = `trang tính "${sheet}"`;
  const corner = `${columnLetters(Math.max(1, e.columns))}${e.rows}`;
  const spans = `${where} trải tới ô ${corner} (${count(e.rows)} dòng × ${count(e.columns)} cột)`;
  if (e.rows > LIMITS.rows) throw tooLarge(file, `${spans}, quá ${count(LIMITS.rows)} dòng`, 'hãy xóa các dòng, ô thừa ở xa bảng rồi lưu lại');
  if (e.columns > LIMITS.columns) throw tooLarge(file, `${spans}, quá ${count(LIMITS.columns)} cột`, 'hãy xóa các cột, ô thừa ở xa bảng rồi lưu lại');
  if (e.rows * e.columns > LIMITS.gridCells) throw tooLarge(file, `${spans}, quá ${count(LIMITS.gridCells)} ô`, 'hãy xóa các ô thừa ở xa bảng rồi lưu lại');
  if (e.rowElements > LIMITS.rows) throw tooLarge(file, `${where} có ${count(e.rowElements)} dòng (giới hạn ${count(LIMITS.rows)})`);
  if (e.merges > LIMITS.merges) throw tooLarge(file, `${where} có ${count(e.merges)} vùng gộp ô (giới hạn ${count(LIMITS.merges)})`);
  if (e.cells + e.mergedCells > LIMITS.cells) {
    throw tooLarge(file, `${where} có ${count(e.cells + e.mergedCells)} ô có nội dung hoặc định dạng, kể cả ô gộp (giới hạn ${count(LIMITS.cells)})`);
  }
}

/** [start, end) of the first element `name` (any prefix), self-closing or not; null when absent. */
function elementRange(xml: string, name: string, from = 0): [number, number] | null {
  const open = new RegExp(`<((?:[A-Za-z_][\\w.-]*:)?)${name}(?=[\\s/>])[^>]*?(/?)>`, 'g');
  open.lastIndex = from;
  const m = open.exec(xml);
  if (!m) return null;
  if (m[2] === '/') return [m.index, m.index + m[0].length];
  const close = `</${m[1]}${name}>`;
  const end = xml.indexOf(close, m.index + m[0].length);
  return end < 0 ? null : [m.index, end + close.length];
}

/** The worksheet reduced to its root element, its cells and its merges. */
function keepCellsAndMerges(data: Buffer, xml: string): Buffer {
  const root = /<((?:[A-Za-z_][\w.-]*:)?)worksheet(?=[\s>])[^>]*>/.exec(xml);
  if (!root) return data;
  const parts: Buffer[] = [Buffer.from('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'), data.subarray(root.index, root.index + root[0].length)];
  const cells = elementRange(xml, 'sheetData');
  if (cells) parts.push(data.subarray(cells[0], cells[1]));
  const merges = elementRange(xml, 'mergeCells', cells?.[1] ?? 0);
  if (merges) parts.push(data.subarray(merges[0], merges[1]));
  parts.push(Buffer.from(`</${root[1]}worksheet>`));
  return Buffer.concat(parts);
}

/** workbook.xml without its defined names (print areas and titles, which exceljs expands cell by cell). */
function withoutDefinedNames(data: Buffer): Buffer {
  const xml = data.toString('latin1');
  const names = elementRange(xml, 'definedNames');
  return names ? Buffer.concat([data.subarray(0, names[0]), data.subarray(names[1])]) : data;
}

/** A relationship's target as a part name: relative to xl/ ("worksheets/s.xml", "./s.xml", "../xl/s.xml") or absolute ("/xl/s.xml"). */
export function relationshipPart(target: string): string {
  const t = target.trim().replace(/\\/g, '/');
  const segments = (t.startsWith('/') ? t.slice(1) : `xl/${t}`).split('/');
  const out: string[] = [];
  for (const seg of segments) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return out.join('/');
}

type SheetParts = {
  /** the package's worksheet part -> the name exceljs reads ("xl/worksheets/sheetN.xml") */
  canonical: Map<string, string>;
  /** sheet names by canonical part, for messages */
  labels: Map<string, string>;
  /** the relationships with every worksheet's target rewritten to its canonical name */
  rels: string;
};

/**
 * The worksheets as the workbook's relationships name them. Writers other than Excel name and place the
 * parts freely ("/xl/worksheets/sheet1.xml", "worksheets/Sheet_A.xml"), while exceljs only reads
 * "xl/worksheets/sheetN.xml" reached by a relative target: each worksheet part gets that name.
 */
function sheetParts(workbookXml: string, relsXml: string): SheetParts {
  const canonical = new Map<string, string>();
  const byId = new Map<string, string>();
  const rels = relsXml.replace(/<((?:[\w.-]+:)?Relationship\b)([^>]*)>/g, (whole, tag: string, attrs: string) => {
    const id = attribute(attrs, 'Id');
    const target = attribute(attrs, 'Target');
    if (!id || !target || !/\/worksheet["']/.test(attrs) || /TargetMode\s*=\s*["']External/i.test(attrs)) return whole;
    const part = relationshipPart(target);
    const name = canonical.get(part) ?? `xl/worksheets/sheet${canonical.size + 1}.xml`;
    canonical.set(part, name);
    byId.set(id, name);
    return `<${tag}${attrs.replace(/(\sTarget\s*=\s*)(["'])[^"']*\2/, `$1$2${name.slice(3)}$2`)}>`;
  });
  const labels = new Map<string, string>();
  for (const m of workbookXml.matchAll(/<(?:[\w.-]+:)?sheet\b([^>]*)>/g)) {
    const id = /\br:id\s*=\s*["']([^"']*)["']/.exec(m[1] ?? '')?.[1] ?? attribute(m[1] ?? '', 'id');
    const name = attribute(m[1] ?? '', 'name');
    const part = id ? byId.get(id) : undefined;
    if (part && name) labels.set(part, name);
  }
  return { canonical, labels, rels };
}

/** Loads an opened XLSX package into exceljs, after checking it against the limits. */
export async function loadWorkbook(zip: OfficeZip): Promise<ExcelJS.Workbook> {
  const file = zip.file;
  const kept: [string, Buffer][] = [];
  const workbookXml = zip.has('xl/workbook.xml') ? await zip.bytes('xl/workbook.xml') : null;
  const relsXml = zip.has('xl/_rels/workbook.xml.rels') ? await zip.bytes('xl/_rels/workbook.xml.rels') : null;
  const sheets = sheetParts(workbookXml?.toString('latin1') ?? '', relsXml?.toString('latin1') ?? '');
  if (workbookXml) kept.push(['xl/workbook.xml', workbookXml]);
  if (relsXml) kept.push(['xl/_rels/workbook.xml.rels', Buffer.from(sheets.rels, 'latin1')]);
  for (const name of zip.names()) {
    if (name === 'xl/workbook.xml' || name === 'xl/_rels/workbook.xml.rels') continue;
    const as = KEPT.has(name) ? undefined : sheets.canonical.get(name);
    if (as === undefined && !KEPT.has(name)) continue;
    const data = await zip.bytes(name, name === 'xl/styles.xml' ? STYLES_BYTES : LIMITS.partBytes);
    if (data) kept.push([as ?? name, data]);
  }
  const part = (name: string) => kept.find(([n]) => n === name)?.[1];
  const labels = sheets.labels;
  const styles = part('xl/styles.xml');
  if (styles) {
    const formats = (styles.toString('latin1').match(/<(?:[\w.-]+:)?xf(?=[\s/>])/g) ?? []).length;
    if (formats > MAX_CELL_FORMATS) throw tooLarge(file, `phần định dạng có ${count(formats)} kiểu ô (Excel cho tối đa ${count(MAX_CELL_FORMATS)})`);
  }
  const out = new JSZip();
  for (const [name, data] of kept) {
    let content = data;
    if (WORKSHEET.test(name)) {
      const xml = data.toString('latin1');
      checkSheetExtent(sheetExtent(xml), labels.get(name) ?? name, file);
      content = keepCellsAndMerges(data, xml);
    } else if (name === 'xl/workbook.xml') content = withoutDefinedNames(data);
    out.file(name, content, { binary: true, compression: 'STORE' });
  }
  kept.length = 0;
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load((await out.generateAsync({ type: 'nodebuffer', compression: 'STORE' })) as unknown as ArrayBuffer);
  } catch (error) {
    throw new PlanFileError(`Tệp XLSX bị hỏng hoặc không đầy đủ: ${file} (nội dung bảng tính không đọc được)`, { file, cause: error });
  }
  return workbook;
}

/** Opens and loads an XLSX held in memory; `notWorkbook` is the message when the package has no workbook. */
export async function readWorkbook(data: Uint8Array, file: string, notWorkbook?: string): Promise<ExcelJS.Workbook> {
  const zip = await openOfficeZip(data, file, 'XLSX');
  if (!zip.has('xl/workbook.xml')) throw new PlanFileError(notWorkbook ?? `Tệp XLSX bị hỏng hoặc không đầy đủ: ${file} (thiếu xl/workbook.xml)`, { file });
  return loadWorkbook(zip);
}
