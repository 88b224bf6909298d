import path from 'node:path';
import { parseArgs } from 'node:util';
import { addDays, formatVi } from '../core/dates.ts';
import { countTotal, parsePeriod, reportText, type Report } from '../core/report.ts';
import { instantOf, localDateOf, parseInstant } from '../core/time.ts';
import { parseTypedDate } from '../core/typed-date.ts';
import { statusChartPng, reportChartOptions } from '../files/chart.ts';
import { writePrivateFile } from '../files/private-file.ts';
import { reportCsv, reportWorkbook } from '../files/report-xlsx.ts';
import { planReport, UnknownPlanError } from '../store/report.ts';
import { withApp } from './app.ts';
import { UsageError, type CliCommand } from './io.ts';

/**
 * `report [--plan NAME] [--at DATE] [--period q1|quy 2/2023|6t|thang3|nam] [--xlsx FILE] [--csv FILE] [--chart FILE]`:
 * the four-status figures per unit. --at takes a day (the figures at the end of that day, Vietnam time) or an
 * instant (2023-03-31T10:00); default now. --period limits the report to a reporting period (Nghị định 09).
 */

/** The instant of a typed --at: a day means the end of that day in the zone. */
export function parseReportAt(text: string, zone: string, now: Date): Date {
  const t = text.trim();
  if (/\d[T ]\d{1,2}:\d{2}/.test(t)) {
    const at = parseInstant(t.replace(' ', 'T'), zone);
    if (at) return at;
  } else {
    const typed = parseTypedDate(t, localDateOf(now, zone));
    if (typed.ok) return new Date(instantOf(addDays(typed.date, 1), '00:00', zone).getTime() - 1);
  }
  throw new UsageError(`--at "${text}" không phải ngày hợp lệ; ví dụ --at 2023-03-31, --at 31/03/2023 hoặc --at 2023-03-31T16:00 (giờ Việt Nam)`);
}

/** The contracts.md JSON (`at`, `units`) and more: totals, parts, late items, the period, the files written. */
export function reportJson(report: Report, files: Record<string, string> = {}) {
  const counts = (c: Report['totals']) => ({
    done_on_time: c.done_on_time,
    done_late: c.done_late,
    open_in_time: c.open_in_time,
    open_overdue: c.open_overdue,
    no_deadline: c.no_deadline,
    total: countTotal(c),
  });
  return {
    at: report.judgedOn,
    at_instant: report.judgedAt.toISOString(),
    plan: report.plan,
    period: report.period ? { from: report.period.from, to: report.period.to, label: report.period.label } : null,
    units: report.units.map((u) => ({ unit: u.unit, ...counts(u) })),
    totals: counts(report.totals),
    dossiers: report.dossiers,
    parts: report.parts.map((p) => ({ part: p.part, title: p.title, ...counts(p) })),
    late: report.late.map((l) => ({
      code: l.code,
      unit: l.unit,
      due: l.due,
      status: l.status,
      done_on: l.doneOn,
      working_days_late: l.workingDaysLate,
      days_late: l.daysLate,
    })),
    files,
  };
}

const FILE_KINDS: Record<string, string> = { xlsx: 'bảng tính Excel', csv: 'tệp CSV', chart: 'biểu đồ PNG' };

export const report: CliCommand = {
  usage: 'report [--plan TÊN] [--at NGÀY] [--period q1|6t|thang3|nam] [--xlsx TỆP] [--csv TỆP] [--chart TỆP.png]',
  summary: 'số liệu bốn trạng thái theo từng đơn vị; xuất tệp Excel, CSV, biểu đồ cho văn thư',
  options: [
    ['--plan TÊN', 'chỉ một kế hoạch (mặc định: mọi kế hoạch)'],
    ['--at NGÀY', 'số liệu tính đến hết ngày đó (2023-03-31, 31/03/2023) hoặc đến một thời điểm (2023-03-31T16:00); mặc định: bây giờ'],
    ['--period KỲ', 'chỉ một kỳ báo cáo: q1..q4, "quy 2/2023", 6t (6 tháng), thang3 (tháng 3), nam (kỳ số liệu theo Nghị định 09/2019)'],
    ['--xlsx TỆP', 'ghi bảng tính Excel'],
    ['--csv TỆP', 'ghi tệp CSV'],
    ['--chart TỆP.png', 'ghi biểu đồ PNG'],
  ],
  notes: ['Lệnh chỉ đọc: không tạo cơ sở dữ liệu mới khi --db/DATABASE_URL trỏ tới chỗ chưa có.'],
  async run(args, env) {
    const { values } = parseArgs({
      args,
      options: {
        plan: { type: 'string' },
        at: { type: 'string' },
        period: { type: 'string' },
        xlsx: { type: 'string' },
        csv: { type: 'string' },
        chart: { type: 'string' },
      },
    });
    return withApp(env, async (app) => {
      const zone = app.settings.timezone;
      const now = new Date();
      const at = values.at !== undefined ? parseReportAt(values.at, zone, now) : now;
      let period = null;
      if (values.period !== undefined) {
        period = parsePeriod(values.period, localDateOf(at, zone));
        if (!period) throw new UsageError(`--period "${values.period}" không hợp lệ; ví dụ --period q1, --period "quy 2/2023", --period 6t, --period thang3 hoặc --period nam`);
      }
      let result: Report;
      try {
        result = await planReport(app.db.prisma, { at, zone, calendar: app.calendar, planName: values.plan, period });
      } catch (error) {
        if (error instanceof UnknownPlanError) throw new UsageError(error.message);
        throw error;
      }
      const files: Record<string, string> = {};
      const write = (file: string, data: Uint8Array | string) => {
        const target = path.resolve(file);
        writePrivateFile(target, data); // officers' names, who was late
        return target;
      };
      if (values.xlsx) files.xlsx = write(values.xlsx, await reportWorkbook(result));
      if (values.csv) files.csv = write(values.csv, reportCsv(result));
      if (values.chart) files.chart = write(values.chart, await statusChartPng(result.units, reportChartOptions(result)));

      const lines = [result.units.length ? reportText(result, Number.POSITIVE_INFINITY) : `Chưa có số liệu (không có nhiệm vụ nào được giao) đến ngày ${formatVi(result.judgedOn)}.`];
      if (result.late.length) {
        lines.push('', `Quá hạn (${result.late.length}):`);
        for (const l of result.late) {
          lines.push(`  ${l.code} · ${l.unit} · hạn ${formatVi(l.due)} · ${l.doneOn ? `xong ${formatVi(l.doneOn)}` : 'chưa xong'} · ${l.workingDaysLate} ngày làm việc`);
        }
      }
      const written = Object.entries(files).map(([kind, file]) => `Đã ghi ${FILE_KINDS[kind] ?? 'tệp'}: ${file}`);
      if (written.length) lines.push('', ...written);
      return { json: reportJson(result, files), text: lines.join('\n') };
    }, { existingOnly: true });
  },
};
