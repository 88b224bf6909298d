import ExcelJS from 'exceljs';
import { deterministicZip } from './deterministic-zip.ts';
import { dateParts, formatVi, type LocalDate } from '../core/dates.ts';
import { countTotal, scopeLine, type Report, type ReportRow } from '../core/report.ts';
import { STATUS_LABELS, type ReportStatus } from '../core/status.ts';

/**
 * The report as a workbook for the coordinating office: "Tổng hợp" (one row per unit and a totals row),
 * "Chi tiết" (every counted occurrence, and each assignment without a deadline), "Quá hạn" (the late items
 * with days late) and "Theo phần" (the figures per part of the plan). Deterministic: the same report gives
 * the same bytes (workbook and zip entry dates are the report's instant).
 */

const STATUSES: ReportStatus[] = ['done_on_time', 'done_late', 'open_in_time', 'open_overdue', 'no_deadline'];
const TITLE = 'BÁO CÁO TÌNH HÌNH THỰC HIỆN KẾ HOẠCH KIỂM SOÁT THỦ TỤC HÀNH CHÍNH';

export const SUMMARY_HEADERS = ['Đơn vị', ...STATUSES.map((s) => STATUS_LABELS[s]), 'Tổng'];
export const DETAIL_HEADERS = ['Mã', 'Nội dung', 'Đơn vị', 'Hạn', 'Trạng thái', 'Ngày hoàn thành', 'Người đánh dấu', 'Ghi chú'];
export const LATE_HEADERS = ['Mã', 'Nội dung', 'Đơn vị', 'Hạn', 'Trạng thái', 'Ngày hoàn thành', 'Số ngày làm việc quá hạn', 'Số ngày (lịch) quá hạn'];
export const PART_HEADERS = ['Phần', 'Nội dung', ...STATUSES.map((s) => STATUS_LABELS[s]), 'Tổng'];

/** A civil date as an Excel date cell: UTC midnight, so the serial is that day whatever the server's TZ. */
function excelDate(d: LocalDate | null): Date | null {
  if (!d) return null;
  const { year, month, day } = dateParts(d);
  return new Date(Date.UTC(year, month - 1, day));
}

/** The "Ghi chú" of a detail row: carried over from an earlier period, or the last check-in answer. */
export function rowNote(row: ReportRow): string {
  if (row.carriedOver) return 'Tồn từ kỳ trước';
  if (row.lastCheckin) return `Báo cáo ngày ${formatVi(row.lastCheckin.on)} (${row.lastCheckin.actor}): ${row.lastCheckin.answer}`;
  return '';
}

const thin = { style: 'thin' as const, color: { argb: 'FF999999' } };
const border = { top: thin, left: thin, bottom: thin, right: thin };
const headerFill = { type: 'pattern' as const, pattern: 'solid' as const, fgColor: { argb: 'FFDCE6F1' } };

/** Title rows, header row, column widths, frozen header, print setup; returns the header row number. */
function setUpSheet(ws: ExcelJS.Worksheet, report: Report, heading: string, headers: string[], widths: number[], dateColumns: number[] = []): number {
  const last = headers.length;
  const titles = [TITLE, report.plan, scopeLine(report), heading];
  titles.forEach((t, i) => {
    const row = ws.getRow(i + 1);
    row.getCell(1).value = t;
    row.getCell(1).font = { bold: i !== 2, size: i === 0 ? 14 : 12 };
    row.getCell(1).alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    ws.mergeCells(i + 1, 1, i + 1, last);
    row.height = i === 1 ? 32 : 20;
  });
  const headerRow = titles.length + 2;
  const row = ws.getRow(headerRow);
  headers.forEach((h, i) => {
    const cell = row.getCell(i + 1);
    cell.value = h;
    cell.font = { bold: true };
    cell.fill = headerFill;
    cell.border = border;
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  });
  row.height = 36;
  widths.forEach((w, i) => (ws.getColumn(i + 1).width = w));
  for (const c of dateColumns) ws.getColumn(c).numFmt = 'dd/mm/yyyy';
  ws.views = [{ state: 'frozen', xSplit: 0, ySplit: headerRow, topLeftCell: `A${headerRow + 1}`, activeCell: `A${headerRow + 1}` }];
  ws.pageSetup = {
    paperSize: 9, // A4
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalCentered: true,
    margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
    printTitlesRow: `${headerRow}:${headerRow}`,
  };
  ws.headerFooter = { oddFooter: '&CTrang &P/&N' };
  return headerRow;
}

function addBodyRow(ws: ExcelJS.Worksheet, values: (string | number | Date | null)[], opts: { bold?: boolean } = {}): ExcelJS.Row {
  const row = ws.addRow(values);
  row.eachCell({ includeEmpty: true }, (cell, col) => {
    if (col > values.length) return;
    cell.border = border;
    cell.alignment = { vertical: 'top', wrapText: true, horizontal: typeof values[col - 1] === 'number' ? 'center' : undefined };
    if (opts.bold) cell.font = { bold: true };
  });
  return row;
}

/** The report's workbook as XLSX bytes. */
// "Văn bản xin lỗi": since Thông tư 03/2025/TT-VPCP the letter is the "Văn bản xin lỗi và đề nghị gia hạn thời
// gian giải quyết" (the 2018 name, "Phiếu xin lỗi", is one of the two forms it counts); "không rõ ngày": returned
// dossiers whose export gave no return date (core/dossier-report.ts)
export const DOSSIER_HEADERS = ['Tháng', 'Đơn vị', 'Trả trước hạn', 'Trả đúng hạn', 'Trả quá hạn', 'Đã trả, không rõ ngày trả', 'Văn bản xin lỗi'];

export async function reportWorkbook(report: Report): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'nhacviec';
  wb.lastModifiedBy = 'nhacviec';
  wb.title = TITLE;
  wb.subject = report.plan;
  wb.created = report.judgedAt;
  wb.modified = report.judgedAt;
  wb.calcProperties = { fullCalcOnLoad: false };

  // Tổng hợp
  const summary = wb.addWorksheet('Tổng hợp');
  setUpSheet(summary, report, 'TỔNG HỢP THEO ĐƠN VỊ', SUMMARY_HEADERS, [42, 14, 14, 14, 14, 14, 10]);
  report.units.forEach((u) => addBodyRow(summary, [u.unit, ...STATUSES.map((s) => u[s]), countTotal(u)]));
  addBodyRow(summary, ['Tổng cộng', ...STATUSES.map((s) => report.totals[s]), countTotal(report.totals)], { bold: true });

  // Chi tiết
  const detail = wb.addWorksheet('Chi tiết');
  setUpSheet(detail, report, 'CHI TIẾT TỪNG NHIỆM VỤ CỦA TỪNG ĐƠN VỊ', DETAIL_HEADERS, [9, 60, 30, 12, 22, 13, 22, 40], [4, 6]);
  for (const r of report.rows) {
    addBodyRow(detail, [r.code, r.content, r.unit, excelDate(r.due), r.statusLabel, excelDate(r.doneOn), r.doneBy ?? '', rowNote(r)]);
  }

  // Quá hạn
  const late = wb.addWorksheet('Quá hạn');
  setUpSheet(late, report, 'NHIỆM VỤ QUÁ HẠN (chưa hoàn thành hoặc hoàn thành sau hạn)', LATE_HEADERS, [9, 60, 30, 12, 22, 13, 14, 12], [4, 6]);
  for (const l of report.late) {
    addBodyRow(late, [l.code, l.content, l.unit, excelDate(l.due), STATUS_LABELS[l.status], excelDate(l.doneOn), l.workingDaysLate, l.daysLate]);
  }
  if (!report.late.length) addBodyRow(late, ['', 'Không có nhiệm vụ quá hạn.']);

  // Theo phần
  const parts = wb.addWorksheet('Theo phần');
  setUpSheet(parts, report, 'TỔNG HỢP THEO PHẦN CỦA KẾ HOẠCH', PART_HEADERS, [7, 60, 14, 14, 14, 14, 14, 10]);
  for (const p of report.parts) addBodyRow(parts, [p.part, p.title, ...STATUSES.map((s) => p[s]), countTotal(p)]);
  addBodyRow(parts, ['', 'Tổng cộng', ...STATUSES.map((s) => report.totals[s]), countTotal(report.totals)], { bold: true });

  if (report.dossiers.length) {
    const dossiers = wb.addWorksheet('Hồ sơ');
    setUpSheet(dossiers, report, 'HỒ SƠ THỦ TỤC HÀNH CHÍNH THEO THÁNG', DOSSIER_HEADERS, [10, 42, 14, 14, 14, 16, 16]);
    for (const d of report.dossiers) {
      const [y, m] = d.month.split('-');
      addBodyRow(dossiers, [`${m}/${y}`, d.unit, d.returned_early, d.returned_on_time, d.returned_late, d.returned_undated, d.apologies]);
    }
  }

  const raw = await wb.xlsx.writeBuffer();
  return deterministicZip(new Uint8Array(raw as ArrayBuffer), report.judgedAt);
}


function csvField(value: string): string {
  return /[",\r\n;]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The "Chi tiết" rows as CSV: UTF-8 with a BOM (Excel opens it with the diacritics), CRLF, dd/mm/yyyy dates. */
export function reportCsv(report: Report): string {
  const lines = [DETAIL_HEADERS.map(csvField).join(',')];
  for (const r of report.rows) {
    lines.push(
      [r.code, r.content, r.unit, r.due ? formatVi(r.due) : '', r.statusLabel, r.doneOn ? formatVi(r.doneOn) : '', r.doneBy ?? '', rowNote(r)]
        .map(csvField)
        .join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
