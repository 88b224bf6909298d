/**
 * "Phiếu xin lỗi và hẹn lại ngày trả kết quả" (Mẫu số 04, Thông tư 01/2018/TT-VPCP): the letter a unit sends
 * an applicant whose dossier will be late. The wording lives in an editable template
 * (templates/phieu-xin-loi.txt, or the file named by NHACVIEC_APOLOGY_TEMPLATE): the legal basis changes.
 *
 * The template is split into sections ("[co-quan]", "[quoc-hieu]", "[tieu-de]", "[kinh-gui]", "[noi-dung]",
 * "[noi-nhan]", "[ky-ten]", optionally "[mau-so]"); lines starting with "#" are comments. The text form prints
 * the sections one after the other; the DOCX lays them out like the form (header table, centred title,
 * justified body, recipients and signature side by side). Missing data prints as "…………".
 *
 * The DOCX is deterministic: the same data gives the same bytes (fixed package dates, sorted entries).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AlignmentType,
  BorderStyle,
  Document,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { deterministicZip } from './deterministic-zip.ts';
import { dateParts, formatVi, type LocalDate } from '../core/dates.ts';

export const BLANK = '…………';
export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export type ApologyLetterData = {
  /** the deciding unit (tên cơ quan giải quyết) */
  agency: string | null;
  /** its governing body (tên cơ quan chủ quản), e.g. "UBND HUYỆN CHÂU THÀNH" */
  parentAgency?: string | null;
  /** the letter's number (số), e.g. "12/PXL-TP" */
  number?: string | null;
  /** place name for "địa danh, ngày ... tháng ... năm ..." */
  place?: string | null;
  /** the letter's date */
  date?: LocalDate | null;
  applicant: string | null;
  received?: LocalDate | null;
  procedure: string | null;
  code: string;
  /** the appointment date on the receipt */
  originalDue: LocalDate;
  reason?: string | null;
  newDue?: LocalDate | null;
  signer?: string | null;
  signerTitle?: string | null;
  /** the one-stop desk named under "Nơi nhận" */
  oneStopDesk?: string | null;
};

/** What a deployment fixes once for all its letters (settings NHACVIEC_LETTER_*); the rest comes from the dossier. */
export type LetterHeader = Pick<ApologyLetterData, 'parentAgency' | 'place' | 'oneStopDesk'>;

const SECTION_NAMES = ['mau-so', 'co-quan', 'quoc-hieu', 'tieu-de', 'kinh-gui', 'noi-dung', 'noi-nhan', 'ky-ten'] as const;
type SectionName = (typeof SECTION_NAMES)[number];
export type LetterSections = Record<SectionName, string[]>;

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_TEMPLATE_PATH = path.resolve(HERE, '..', '..', 'templates', 'phieu-xin-loi.txt');

/** Reads the template: `file`, else NHACVIEC_APOLOGY_TEMPLATE, else templates/phieu-xin-loi.txt. */
export function loadTemplate(file?: string): string {
  const chosen = file ?? process.env.NHACVIEC_APOLOGY_TEMPLATE ?? DEFAULT_TEMPLATE_PATH;
  try {
    return readFileSync(chosen, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    throw new Error(`Không đọc được mẫu phiếu xin lỗi ${chosen}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

function spelledDate(d: LocalDate | null | undefined): string {
  if (!d) return 'ngày …… tháng …… năm ……';
  const { year, month, day } = dateParts(d);
  return `ngày ${String(day).padStart(2, '0')} tháng ${String(month).padStart(2, '0')} năm ${year}`;
}

const filled = (v: string | null | undefined): string => (v && v.trim() ? v.trim().replace(/\s+/g, ' ') : BLANK);
const dateOrBlank = (d: LocalDate | null | undefined): string => (d ? formatVi(d) : BLANK);

/** The value of each {{placeholder}} for the data. */
export function placeholderValues(data: ApologyLetterData): Record<string, string> {
  return {
    co_quan_chu_quan: filled(data.parentAgency?.toUpperCase()),
    co_quan: filled(data.agency),
    co_quan_in_hoa: filled(data.agency?.toUpperCase()),
    so: filled(data.number),
    dia_danh: filled(data.place),
    ngay_lap: spelledDate(data.date),
    nguoi_nop: filled(data.applicant),
    ngay_tiep_nhan: dateOrBlank(data.received),
    thu_tuc: filled(data.procedure),
    ma_ho_so: filled(data.code),
    ngay_hen_cu: dateOrBlank(data.originalDue),
    ly_do: filled(data.reason?.replace(/[.\s]+$/, '')),
    ngay_hen_moi: dateOrBlank(data.newDue),
    nguoi_ky: filled(data.signer),
    chuc_vu_ky: data.signerTitle?.trim() ? data.signerTitle.trim().toUpperCase() : 'THỦ TRƯỞNG CƠ QUAN',
    bo_phan_mot_cua: data.oneStopDesk?.trim() || 'Bộ phận Tiếp nhận và Trả kết quả',
  };
}

function fill(line: string, values: Record<string, string>): string {
  return line.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (_, name: string) => values[name] ?? BLANK);
}

/** Splits a template into its sections, comments dropped, placeholders filled; unknown sections are kept in the body. */
export function letterSections(template: string, data: ApologyLetterData): LetterSections {
  const values = placeholderValues(data);
  const sections = Object.fromEntries(SECTION_NAMES.map((n) => [n, [] as string[]])) as LetterSections;
  let current: SectionName = 'noi-dung';
  for (const raw of template.split(/\r?\n/)) {
    if (raw.trimStart().startsWith('#')) continue;
    const header = /^\s*\[([a-z-]+)\]\s*$/.exec(raw);
    if (header) {
      current = (SECTION_NAMES as readonly string[]).includes(header[1]!) ? (header[1] as SectionName) : 'noi-dung';
      continue;
    }
    sections[current].push(fill(raw.trimEnd(), values));
  }
  for (const name of SECTION_NAMES) sections[name] = trimBlankLines(sections[name]);
  return sections;
}

function trimBlankLines(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && !lines[start]!.trim()) start++;
  while (end > start && !lines[end - 1]!.trim()) end--;
  return lines.slice(start, end);
}

/** The letter as plain text (for a chat message). */
export function renderApologyText(template: string, data: ApologyLetterData): string {
  const s = letterSections(template, data);
  const blocks = [s['co-quan'], s['quoc-hieu'], s['tieu-de'], s['kinh-gui'], s['noi-dung'], s['noi-nhan'], s['ky-ten']];
  return blocks
    .filter((b) => b.length)
    .map((b) => b.join('\n'))
    .join('\n\n');
}

/** A file name for the letter: phieu-xin-loi-<code>.docx with only safe characters. */
export function letterFileName(code: string): string {
  const safe = code.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  return `phieu-xin-loi-${safe || 'ho-so'}.docx`;
}

// ---------------------------------------------------------------------------------------------------------
// DOCX

const FONT = 'Times New Roman';
const NONE = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
const NO_BORDERS = { top: NONE, bottom: NONE, left: NONE, right: NONE, insideHorizontal: NONE, insideVertical: NONE };

type Style = { bold?: boolean; italics?: boolean; size?: number; align?: (typeof AlignmentType)[keyof typeof AlignmentType]; indent?: boolean; after?: number };

function para(text: string, style: Style = {}): Paragraph {
  return new Paragraph({
    alignment: style.align ?? AlignmentType.LEFT,
    spacing: { after: style.after ?? 0, line: 300 },
    ...(style.indent ? { indent: { firstLine: 567 } } : {}),
    children: [new TextRun({ text, bold: style.bold ?? false, italics: style.italics ?? false, size: style.size ?? 26, font: FONT })],
  });
}

function cell(children: Paragraph[], width: number): TableCell {
  return new TableCell({ children: children.length ? children : [para('')], width: { size: width, type: WidthType.DXA }, borders: { top: NONE, bottom: NONE, left: NONE, right: NONE } });
}

function twoColumns(left: Paragraph[], right: Paragraph[], widths: [number, number]): Table {
  return new Table({
    width: { size: widths[0] + widths[1], type: WidthType.DXA },
    columnWidths: widths,
    borders: NO_BORDERS,
    rows: [new TableRow({ children: [cell(left, widths[0]), cell(right, widths[1])] })],
  });
}

/** The letter as a Word document (A4, Times New Roman 13, the layout of Mẫu số 04). */
export async function apologyDocx(data: ApologyLetterData, template: string = loadTemplate()): Promise<Uint8Array> {
  const s = letterSections(template, data);
  const center = AlignmentType.CENTER;
  const agency = s['co-quan'].map((line, i, all) => para(line, { align: center, bold: i > 0 && i === all.length - 2, size: 26 }));
  const motto = s['quoc-hieu'].map((line, i, all) =>
    i === all.length - 1 && all.length > 2 ? para(line, { align: center, italics: true, size: 26 }) : para(line, { align: center, bold: true, size: i === 0 ? 24 : 26 }),
  );
  const children: (Paragraph | Table)[] = [];
  for (const line of s['mau-so']) children.push(para(line, { align: AlignmentType.RIGHT, italics: true, size: 22 }));
  children.push(twoColumns(agency, motto, [3800, 5600]));
  children.push(para(''));
  for (const line of s['tieu-de']) children.push(para(line, { align: center, bold: true, size: 28, after: 120 }));
  for (const line of s['kinh-gui']) children.push(para(line, { align: center, after: 240 }));
  for (const line of s['noi-dung']) if (line.trim()) children.push(para(line, { align: AlignmentType.JUSTIFIED, indent: true, after: 120 }));
  children.push(para(''));
  const recipients = s['noi-nhan'].map((line, i) => para(line, i === 0 ? { bold: true, italics: true, size: 24 } : { size: 22 }));
  const signature = s['ky-ten'].map((line, i) => para(line, i === 0 ? { align: center, bold: true } : { align: center, italics: i === 1, size: i === 1 ? 24 : 26 }));
  children.push(twoColumns(recipients, signature, [4700, 4700]));

  const doc = new Document({
    creator: 'nhacviec',
    lastModifiedBy: 'nhacviec',
    title: `Phiếu xin lỗi và hẹn lại ngày trả kết quả — hồ sơ ${data.code}`,
    styles: { default: { document: { run: { font: FONT, size: 26 } } } },
    sections: [{ properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 1134, bottom: 1134, left: 1701, right: 1134 } } }, children }],
  });
  return deterministicZip(await Packer.toBuffer(doc));
}


/** The letter's data from a dossier: before an apology the dates and reason are blanks to fill by hand. */
export function dossierLetterData(
  d: { code: string; applicant: string; procedure: string; received?: LocalDate | null; due: LocalDate; originalDue?: LocalDate | null; unitName: string | null; apologized: boolean; apologyReason?: string | null },
  extra: Partial<Pick<ApologyLetterData, 'date' | 'number' | 'place' | 'parentAgency' | 'signer' | 'signerTitle' | 'oneStopDesk'>> = {},
): ApologyLetterData {
  return {
    ...extra,
    agency: d.unitName,
    applicant: d.applicant,
    received: d.received ?? null,
    procedure: d.procedure,
    code: d.code,
    originalDue: d.apologized ? (d.originalDue ?? d.due) : d.due,
    newDue: d.apologized ? d.due : null,
    reason: d.apologized ? (d.apologyReason ?? null) : null,
  };
}
