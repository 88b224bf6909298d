/**
 * DOCX reader: jszip + fast-xml-parser over word/document.xml.
 * Every table (w:tbl) of the body in document order; rows w:tr, cells w:tc placed on the grid with
 * w:gridBefore/w:gridSpan; a w:vMerge continuation repeats the text of the cell above (fromAbove). A cell's
 * paragraphs are joined with "\n"; a table nested in a cell becomes lines of its own (one per nested row,
 * its cells joined by " "). Paragraphs before the first table and between tables are kept as `outside`
 * rows (title, part headings); those after the last table (signatures, "Nơi nhận") are dropped.
 */
import { XMLParser } from 'fast-xml-parser';
import type { RawRow } from '../core/plan-table.ts';
import { PlanFileError } from './errors.ts';
import { count, LIMITS, tooLarge } from './limits.ts';
import { openOfficeZip, readInputFile } from './office-zip.ts';

/** fast-xml-parser's preserveOrder shape: { tag: children[], ':@'?: attributes } or { '#text': text }. */
type XmlNode = Record<string, unknown>;

function tagOf(node: XmlNode): string {
  return Object.keys(node).find((k) => k !== ':@') ?? '';
}

function childrenOf(node: XmlNode): XmlNode[] {
  const value = node[tagOf(node)];
  return Array.isArray(value) ? (value as XmlNode[]) : [];
}

function attr(node: XmlNode, name: string): string | undefined {
  const attrs = node[':@'];
  if (attrs && typeof attrs === 'object') {
    const value = (attrs as Record<string, unknown>)[`@_${name}`];
    if (value !== undefined) return String(value);
  }
  return undefined;
}

function child(node: XmlNode, tag: string): XmlNode | undefined {
  return childrenOf(node).find((c) => tagOf(c) === tag);
}

/** Descends through content controls and tracked insertions, which wrap paragraphs, rows and cells. */
function flatten(nodes: XmlNode[]): XmlNode[] {
  return nodes.flatMap((n) => {
    const tag = tagOf(n);
    if (tag === 'w:sdt') return flatten(childrenOf(child(n, 'w:sdtContent') ?? {}));
    if (tag === 'w:customXml' || tag === 'w:ins' || tag === 'w:smartTag') return flatten(childrenOf(n));
    return [n];
  });
}

function paragraphText(p: XmlNode): string {
  let out = '';
  const walk = (nodes: XmlNode[]): void => {
    for (const n of nodes) {
      const tag = tagOf(n);
      if (tag === '#text') continue;
      if (tag === 'w:t') out += childrenOf(n).map((t) => String(t['#text'] ?? '')).join('');
      else if (tag === 'w:tab') out += ' ';
      else if (tag === 'w:br' || tag === 'w:cr') out += '\n';
      else if (tag === 'w:del' || tag === 'w:pPr' || tag === 'w:rPr' || tag === 'w:instrText') continue;
      else walk(childrenOf(n));
    }
  };
  walk(childrenOf(p));
  return out;
}

function cellText(tc: XmlNode): string {
  const lines: string[] = [];
  for (const n of flatten(childrenOf(tc))) {
    const tag = tagOf(n);
    if (tag === 'w:p') lines.push(paragraphText(n));
    else if (tag === 'w:tbl') {
      for (const row of tableRows(n)) lines.push(row.cells.filter((c) => c.trim() !== '').join(' '));
    }
  }
  return lines.join('\n').trim();
}

type GridRow = { cells: string[]; spans: number[]; fromAbove: boolean[] };

function tableRows(tbl: XmlNode): GridRow[] {
  const rows: GridRow[] = [];
  let above: GridRow | undefined;
  for (const tr of flatten(childrenOf(tbl)).filter((n) => tagOf(n) === 'w:tr')) {
    const row: GridRow = { cells: [], spans: [], fromAbove: [] };
    const trPr = child(tr, 'w:trPr');
    // spans are clamped to the column limit: a w:gridSpan of a billion must not become a billion cells
    let col = Math.max(0, Math.min(LIMITS.columns, Number.parseInt(attr(child(trPr ?? {}, 'w:gridBefore') ?? {}, 'w:val') ?? '0', 10) || 0));
    for (let k = 0; k < col; k++) {
      row.cells.push('');
      row.spans.push(1);
      row.fromAbove.push(false);
    }
    for (const tc of flatten(childrenOf(tr)).filter((n) => tagOf(n) === 'w:tc')) {
      const tcPr = child(tc, 'w:tcPr') ?? {};
      const span = Math.min(LIMITS.columns, Math.max(1, Number.parseInt(attr(child(tcPr, 'w:gridSpan') ?? {}, 'w:val') ?? '1', 10) || 1));
      const vMerge = child(tcPr, 'w:vMerge');
      const continues = vMerge !== undefined && attr(vMerge, 'w:val') !== 'restart';
      const text = continues ? (above?.cells[col] ?? '') : cellText(tc);
      row.cells[col] = text;
      row.spans[col] = span;
      row.fromAbove[col] = continues;
      for (let k = 1; k < span; k++) {
        row.cells[col + k] = '';
        row.spans[col + k] = 0;
        row.fromAbove[col + k] = continues;
      }
      col += span;
    }
    rows.push(row);
    above = row;
  }
  return rows;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
});

/**
 * The XML's elements and attributes, counted before it is parsed: the parsed tree costs a few hundred bytes a
 * node, so this bounds the reader's memory whatever the part's byte size.
 */
function checkXmlNodes(xml: string, file: string): void {
  let nodes = 0;
  for (let i = xml.indexOf('<'); i >= 0; i = xml.indexOf('<', i + 1)) nodes++;
  for (let i = xml.indexOf('="'); i >= 0; i = xml.indexOf('="', i + 2)) nodes++;
  if (nodes > LIMITS.xmlNodes) throw tooLarge(file, `nội dung văn bản có khoảng ${count(nodes)} phần tử XML (giới hạn ${count(LIMITS.xmlNodes)})`);
}

/**
 * What Word writes that no reader uses, dropped before counting and parsing: revision ids on paragraphs and runs
 * (w:rsidR="00A1B2C3"), proofing marks, bookmarks, rendered page breaks. A Word-made plan is about a third
 * lighter for it.
 */
function leanXml(xml: string): string {
  return xml
    .replace(/\s+w:rsid\w*="[^"]*"/g, '')
    .replace(/<w:(?:proofErr|bookmarkStart|bookmarkEnd|lastRenderedPageBreak)\b[^>]*\/>/g, '');
}

/** Reads the tables of a DOCX held in memory. */
export async function readDocxBuffer(data: Uint8Array, file = 'tệp DOCX'): Promise<RawRow[]> {
  const zip = await openOfficeZip(data, file, 'DOCX');
  const packed = await zip.text('word/document.xml');
  if (packed === null) throw new PlanFileError(`Tệp DOCX bị hỏng hoặc không đầy đủ: ${file} (thiếu word/document.xml)`, { file });
  const xml = leanXml(packed);
  checkXmlNodes(xml, file);
  let tree: XmlNode[];
  try {
    tree = parser.parse(xml) as XmlNode[];
  } catch (error) {
    throw new PlanFileError(`Tệp DOCX bị hỏng hoặc không đầy đủ: ${file} (word/document.xml không đọc được)`, { file, cause: error });
  }
  const document = tree.find((n) => tagOf(n) === 'w:document');
  const body = document ? child(document, 'w:body') : undefined;
  if (!body) throw new PlanFileError(`Tệp DOCX bị hỏng hoặc không đầy đủ: ${file} (không có phần thân văn bản)`, { file });

  const rows: RawRow[] = [];
  let pending: RawRow[] = [];
  let tableRowNo = 0;
  let tables = 0;
  for (const node of flatten(childrenOf(body))) {
    const tag = tagOf(node);
    if (tag === 'w:p') {
      const text = paragraphText(node).trim();
      if (text !== '') pending.push({ cells: [text], outside: true, source: { row: tableRowNo + 1 } });
    } else if (tag === 'w:tbl') {
      tables++;
      for (const r of pending) rows.push(r); // no spread: a long list would overflow the call stack
      pending = [];
      for (const r of tableRows(node)) {
        tableRowNo++;
        rows.push({ cells: r.cells, spans: r.spans, fromAbove: r.fromAbove, source: { row: tableRowNo } });
      }
    }
  }
  if (tables === 0) throw new PlanFileError(`Không tìm thấy bảng nào trong tệp ${file}`, { file });
  return rows;
}

export async function readDocx(path: string): Promise<RawRow[]> {
  return readDocxBuffer(await readInputFile(path), path);
}
