/**
 * Plain-text reader: a table pasted as text, or the text a PDF extractor gives.
 *
 * A tab-separated paste goes to the delimited reader. Otherwise the text has lost its table: cells are
 * broken across lines and several cells can share one line. The heuristic, in order:
 * 1. the header block (STT / Nội dung / chủ trì / phối hợp / Kết quả / Thời gian ...) gives the column order;
 * 2. a Roman numeral at the start of a line ("II", "II.1") opens a group, its text is the group title;
 * 3. a line holding only a number opens a task; the lines after it belong to it. A number line followed
 *    directly by another number line is a page number and is dropped (with a doubt on the next task);
 * 4. in a task, the lines before the first line that starts with a known unit phrase are the content;
 *    from there the text is joined and read as: the lead cell, the coordinating cell (known unit phrases,
 *    several in one cell only when joined by ";" or ","), then the rest. The rest is split at the first
 *    known deadline-phrase start written with a capital ("Thường xuyên", "Tháng 2/2024", "Theo Kế hoạch",
 *    "Khi có ...", "Chậm nhất ...", "Hàng quý ..."): before it the result, from it the deadline (when the
 *    header puts the deadline after the result; the other order is not split and is flagged).
 * Whatever the heuristic is not sure of becomes a doubt ("cần kiểm tra lại") on the row.
 */
import type { RawRow } from '../core/plan-table.ts';
import { fold, foldWords } from '../core/text.ts';
import { romanToInt } from '../core/task-code.ts';
import { PlanFileError } from './errors.ts';
import { readDelimitedText } from './read-delimited.ts';

export const TEXT_HEADER = ['STT', 'Nội dung công việc', 'Đơn vị chủ trì', 'Đơn vị phối hợp', 'Thời gian thực hiện', 'Kết quả thực hiện', 'Ghi chú'];

/** Reads text: tab-separated when most content lines carry tabs, the PDF-text heuristic otherwise. */
export function readPlainText(text: string, file?: string): RawRow[] {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') throw new PlanFileError(`Tệp rỗng${file ? `: ${file}` : ''}`, file ? { file } : undefined);
  const lines = body.split(/\r?\n/);
  const tabbed = lines.filter((l) => (l.match(/\t/g) ?? []).length >= 2).length;
  if (tabbed >= 3) return readDelimitedText(body, '\t', file);
  return readExtractedText(body, file);
}

// ---------------------------------------------------------------------------------------------------------
// Known phrases

/** Unit phrases a cell can start with, tried in order (longest forms first). Case matters: cells start capitalised. */
const UNIT_PHRASES: RegExp[] = [
  /^Các (?:phòng|Phòng), (?:đơn vị|ban, ngành)(?: thuộc (?:Sở|Ban|BQLKKT)| huyện| tỉnh)?(?: có liên quan)?/u,
  /^Các (?:phòng|Phòng) ban,? ngành(?: huyện| tỉnh)?(?: có liên quan)?/u,
  /^Các (?:Sở|sở), (?:ban|Ban), (?:ngành|Ngành)(?: tỉnh)?/u,
  /^Sở, ban, ngành(?: tỉnh)?/u,
  /^Các (?:đơn vị|cơ quan)(?: có liên quan| liên quan)?/u,
  /^(?:UBND|Ủy ban nhân dân) (?:cấp xã|cấp huyện|các xã, (?:phường, )?thị trấn|các xã, phường|tỉnh|huyện)/u,
  /^Văn phòng(?:(?: HĐND và UBND| UBND| HĐND| Sở| [A-ZĐ][A-ZĐ0-9&-]+)+(?: tỉnh| huyện)?)?/u,
  /^Thanh tra(?: Sở| tỉnh| huyện)?/u,
  /^Sở (?:Tư pháp|Nội vụ|Tài chính|Kế hoạch và Đầu tư|Thông tin và Truyền thông|Tài nguyên và Môi trường|Xây dựng|Giao thông vận tải|Y tế|Giáo dục và Đào tạo|Công Thương|Lao động - Thương binh và Xã hội|Nông nghiệp và Phát triển nông thôn|Nông nghiệp và Môi trường|Khoa học và Công nghệ|Văn hóa, Thể thao và Du lịch|Ngoại vụ|Dân tộc và Tôn giáo)/u,
  // "Phòng Tư pháp", "Trung tâm PVHCC tỉnh", "Bộ phận TN&TKQ": a head and capitalised/abbreviated words.
  /^(?:Phòng|Trung tâm|Bộ phận|Chi cục|Công an|Bưu điện|Ban Quản lý)(?: (?:[\p{Lu}][\p{L}&-]*|và|cấp xã|cấp huyện|tỉnh|huyện))+/u,
];

function unitPhraseAt(text: string): string | null {
  for (const re of UNIT_PHRASES) {
    const m = re.exec(text);
    if (m && (text.length === m[0].length || /^[\s;,.]/.test(text.slice(m[0].length)))) return m[0];
  }
  return null;
}

/** Where a deadline phrase starts: the leftmost of these, written with a capital, at a word boundary. */
const DEADLINE_START =
  /(?:^|\s)((?:Thường xuyên|Theo (?:Kế hoạch|kế hoạch|yêu cầu|Thư mời|quy định)|Trong (?:năm|tháng|quý|thời gian|thời hạn)|Tháng \d|Quý [IV]|Năm \d{4}|Khi có|Chậm nhất|Trước (?:ngày )?\d|Hàng |Hằng |Định kỳ|Ngay sau|Ngày \d|Sau khi|Đột xuất|\d{1,2}\/\d{1,2}\/\d{4}|\d{2} lần|6 tháng))/u;

const HEADER_WORDS =
  /\b(stt|tt|noi dung( cong viec)?|phan cong( thuc hien)?|ket qua( cong viec| thuc hien)?|san pham|thoi gian( thuc hien| hoan thanh)?|(don vi|co quan) (chu tri|phoi hop)|ghi chu)\b/g;

function isHeaderLine(line: string): boolean {
  const f = foldWords(line);
  return f !== '' && f.replace(HEADER_WORDS, '').trim() === '';
}

const GROUP_LINE = /^([IVXLC]+(?:\.\d{1,2})*)\.?\s+(\S.*)$/u;
/** A task number alone on its line; from 1000 on (a year, an amount) only the number expected next counts. */
const NUMBER_LINE = /^(\d{1,5})\s*[.)]?$/;
const PART_LINE = /^(\d{1,2})\.\s+(\p{Lu}.*)$/u;

function groupOf(line: string): { roman: string; title: string } | null {
  const m = GROUP_LINE.exec(line);
  if (!m) return null;
  const roman = m[1] as string;
  if (romanToInt(roman.split('.')[0] ?? '') === null) return null;
  return { roman, title: (m[2] as string).trim() };
}

function joinLines(lines: string[]): string {
  let out = '';
  for (const line of lines) {
    if (out === '') out = line;
    else out += /^[-+•]\s/.test(line) ? `\n${line}` : ` ${line}`;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// The heuristic

type Line = { text: string; no: number };
type Block = { number: string; no: number; lines: Line[]; doubts: string[]; expectedBefore: number };

/** The PDF-text heuristic described at the top of this file. */
export function readExtractedText(text: string, file?: string): RawRow[] {
  const lines: Line[] = text
    .split(/\r?\n/)
    .map((t, i) => ({ text: t.replace(/\s+/g, ' ').trim(), no: i + 1 }))
    .filter((l) => l.text !== '');
  const headerAt = lines.findIndex((l) => /^(stt|tt)\b/.test(foldWords(l.text)) && isHeaderLine(l.text));
  if (headerAt < 0) {
    throw new PlanFileError(
      `Không tìm thấy dòng tiêu đề của bảng (STT, Nội dung, Đơn vị chủ trì, Thời gian ...) trong văn bản${file ? ` ${file}` : ''}`,
      file ? { file } : undefined,
    );
  }
  let bodyAt = headerAt;
  const headerText: string[] = [];
  while (bodyAt < lines.length && isHeaderLine((lines[bodyAt] as Line).text)) headerText.push(fold((lines[bodyAt++] as Line).text));
  const allHeader = headerText.join(' ');
  const deadlineLast = !/thoi gian/.test(allHeader) || !/ket qua|san pham/.test(allHeader) || allHeader.search(/thoi gian/) > allHeader.search(/ket qua|san pham/);

  const rows: RawRow[] = [];
  for (const l of lines.slice(0, headerAt)) rows.push({ cells: [l.text], outside: true, source: { row: l.no } });
  rows.push({ cells: [...TEXT_HEADER], source: { row: (lines[headerAt] as Line).no } });

  let block: Block | undefined;
  let groupRow: RawRow | undefined;
  let pendingDoubt: string | undefined;
  let expected = 1;

  const flush = (): void => {
    if (!block) return;
    const current = block;
    block = undefined;
    if (current.lines.length === 0) {
      pendingDoubt = `bỏ qua số "${current.number}" đứng riêng ở dòng ${current.no} (có lẽ là số trang), cần kiểm tra lại`;
      return;
    }
    if (pendingDoubt) current.doubts.push(pendingDoubt);
    pendingDoubt = undefined;
    rows.push(taskRow(current, deadlineLast));
  };

  for (let i = bodyAt; i < lines.length; i++) {
    const line = lines[i] as Line;
    if (isHeaderLine(line.text) && /^(stt|tt)\b/.test(foldWords(line.text))) {
      // A header repeated on a new page: skip it and its second line.
      while (i + 1 < lines.length && isHeaderLine((lines[i + 1] as Line).text)) i++;
      continue;
    }
    const group = groupOf(line.text);
    if (group) {
      flush();
      groupRow = { cells: [group.roman, group.title, '', '', '', '', ''], source: { row: line.no } };
      rows.push(groupRow);
      expected = 1;
      continue;
    }
    const part = PART_LINE.exec(line.text);
    const nextLine = lines[i + 1];
    if (part && nextLine && (groupOf(nextLine.text) || isHeaderLine(nextLine.text))) {
      flush();
      groupRow = undefined;
      rows.push({ cells: [line.text], outside: true, source: { row: line.no } });
      continue;
    }
    const num = NUMBER_LINE.exec(line.text);
    if (num && ((num[1] as string).length <= 3 || Number(num[1]) === expected)) {
      const n = Number.parseInt(num[1] as string, 10);
      if (block && block.lines.length === 0) {
        // Two numbers in a row: the first was a page number.
        pendingDoubt = `bỏ qua số "${block.number}" đứng riêng ở dòng ${block.no} (có lẽ là số trang), cần kiểm tra lại`;
        expected = block.expectedBefore;
        block = undefined;
      }
      flush();
      const doubts = n === expected ? [] : [`số thứ tự ${n} không liền sau số trước (chờ ${expected}), cần kiểm tra lại`];
      block = { number: num[1] as string, no: line.no, lines: [], doubts, expectedBefore: expected };
      expected = n + 1;
      groupRow = undefined;
      continue;
    }
    if (block) block.lines.push(line);
    else if (groupRow) groupRow.cells[1] = `${groupRow.cells[1] ?? ''} ${line.text}`.trim();
  }
  flush();
  return rows;
}

/** Splits one task's lines into the canonical columns of TEXT_HEADER. */
function taskRow(block: Block, deadlineLast: boolean): RawRow {
  const doubts = [...block.doubts];
  const firstUnit = block.lines.findIndex((l) => unitPhraseAt(l.text) !== null);
  const contentLines = firstUnit < 0 ? block.lines : block.lines.slice(0, firstUnit);
  const content = joinLines(contentLines.map((l) => l.text));
  let rest = firstUnit < 0 ? '' : joinLines(block.lines.slice(firstUnit).map((l) => l.text));

  const unitCells: string[] = [];
  while (unitCells.length < 2 && rest !== '') {
    const phrase = unitPhraseAt(rest);
    if (!phrase) break;
    let cell = phrase;
    rest = rest.slice(phrase.length).trimStart();
    // "A; B" or "A, B" stays in one cell; a bare space means the next column.
    for (;;) {
      const sep = /^[;,]\s*/.exec(rest);
      const more = sep ? unitPhraseAt(rest.slice(sep[0].length)) : null;
      if (!sep || !more) break;
      cell += `; ${more}`;
      rest = rest.slice(sep[0].length + more.length).trimStart();
    }
    unitCells.push(cell);
  }
  const lead = unitCells[0] ?? '';
  const coord = unitCells[1] ?? '';
  rest = rest.replace(/^[;,.]\s*/, '');

  let result = rest;
  let deadline = '';
  if (deadlineLast) {
    const m = DEADLINE_START.exec(rest);
    if (m) {
      const at = m.index + (m[0].length - (m[1] as string).length);
      result = rest.slice(0, at).trim();
      deadline = rest.slice(at).trim();
    }
  }
  if (content === '') doubts.push('không đọc được nội dung, cần kiểm tra lại');
  if (lead === '') doubts.push('không nhận ra đơn vị chủ trì, cần kiểm tra lại');
  else if (coord === '') doubts.push('không nhận ra đơn vị phối hợp, cần kiểm tra lại');
  if (deadline === '') doubts.push('không tách được thời hạn khỏi cột kết quả, cần kiểm tra lại');
  const hidden = /\((chậm nhất|trước ngày|trong thời hạn|trong vòng)[^)]*\)/iu.exec(content);
  if (hidden) doubts.push(`nội dung có một thời hạn riêng "${hidden[0]}", cần kiểm tra lại`);

  return {
    cells: [block.number, content, lead, coord, deadline, result, ''],
    ...(doubts.length > 0 ? { doubts } : {}),
    source: { row: block.no },
  };
}
