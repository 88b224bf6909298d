/**
 * The apology letter as files: its template read from disk (templates/van-ban-xin-loi-2025.txt by default,
 * templates/phieu-xin-loi-2018.txt for the 2018 form, or the file named by NHACVIEC_APOLOGY_TEMPLATE) and the
 * filled letter as a Word document laid out like the form (header table, centred title, justified body,
 * recipients and signature side by side). The text itself is src/core/apology-letter.ts.
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
import { FORM_NAMES, LetterTemplateError, letterSections, parseLetterTemplate, type ApologyForm, type ApologyLetterData, type LetterHeader, type LetterTemplate } from '../core/apology-letter.ts';

/** (re-exported: the settings, the round and the commands take it from here) */
export type { LetterHeader } from '../core/apology-letter.ts';

export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const TEMPLATES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates');
const FORM_FILES: Record<ApologyForm, string> = { '2025': 'van-ban-xin-loi-2025.txt', '2018': 'phieu-xin-loi-2018.txt' };

/** The template file a form ships as. */
export function formTemplateFile(form: ApologyForm): string {
  return path.join(TEMPLATES, FORM_FILES[form]);
}

/** The template file of a deployment: NHACVIEC_APOLOGY_TEMPLATE, else its form's (default 2025). */
export function templateFileOf(header: Pick<LetterHeader, 'templateFile' | 'form'> = {}): string {
  return header.templateFile ?? formTemplateFile(header.form ?? '2025');
}

/** Reads and checks a template file; a LetterTemplateError says in Vietnamese what is wrong. */
export function readLetterTemplate(file: string): LetterTemplate {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'không có tệp này' : error instanceof Error ? error.message : String(error);
    throw new LetterTemplateError(`Không đọc được mẫu văn bản xin lỗi ${file}: ${reason}`, { cause: error });
  }
  return parseLetterTemplate(text, `Mẫu văn bản xin lỗi ${file}`);
}

/** The deployment's template, read now (an administrator may fix it while the bot runs). */
export function deploymentTemplate(header: LetterHeader = {}): LetterTemplate {
  return readLetterTemplate(templateFileOf(header));
}

/** The letter's name for a prompt: the template's, or its form's when the template cannot be read. */
export function letterNameOf(header: LetterHeader = {}): string {
  try {
    return deploymentTemplate(header).name;
  } catch {
    return FORM_NAMES[header.form ?? '2025'];
  }
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

/** The letter as a Word document (A4, Times New Roman 13, the layout of the form). */
export async function apologyDocx(data: ApologyLetterData, template: LetterTemplate): Promise<Uint8Array> {
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
    title: `${template.name} — hồ sơ ${data.code}`,
    styles: { default: { document: { run: { font: FONT, size: 26 } } } },
    sections: [{ properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 1134, bottom: 1134, left: 1701, right: 1134 } } }, children }],
  });
  return deterministicZip(await Packer.toBuffer(doc));
}
