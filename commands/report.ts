import { formatVi } from '../src/core/dates.ts';
import { parsePeriod, reportText, type ReportPeriod } from '../src/core/report.ts';
import { fold } from '../src/core/text.ts';
import { localDateOf } from '../src/core/time.ts';
import { reportChartOptions, statusChartPng } from '../src/files/chart.ts';
import { reportWorkbook } from '../src/files/report-xlsx.ts';
import { planReport } from '../src/store/report.ts';
import { text, type Command } from './context.ts';

const MAX_UNITS = 25;
const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const usage = '/baocao [quy 1|q2|6t|thang 3|nam] [xlsx|bieudo]';
const USAGE_TEXT = [
  'Cách dùng lệnh báo cáo:',
  '• /baocao — số liệu bốn trạng thái của từng đơn vị đến hôm nay',
  '• /baocao quy 1 (hoặc q1, quy 2/2023, nam) — số liệu của kỳ báo cáo (từ ngày 15 tháng trước kỳ đến ngày 14 tháng cuối kỳ)',
  '• /baocao 6t (hoặc 6 tháng, 6 tháng 2023) — kỳ 6 tháng (15/12 năm trước đến 14/6); /baocao thang 3 (hoặc thang 3/2023) — kỳ tháng (15/02 đến 14/3)',
  '• /baocao xlsx — gửi tệp Excel đầy đủ (tổng hợp, chi tiết, quá hạn); /baocao quy 1 xlsx cho một kỳ',
  '• /baocao bieudo — gửi biểu đồ trạng thái theo đơn vị',
].join('\n');

type Request = { period: ReportPeriod | null; output: 'text' | 'xlsx' | 'chart' } | { error: string };

/** Reads the words after /baocao: an optional period and an optional output (xlsx, bieudo), in any order. */
export function parseReportArgs(args: string, today: string): Request {
  let output: 'text' | 'xlsx' | 'chart' = 'text';
  const rest: string[] = [];
  for (const word of args.trim().split(/\s+/).filter(Boolean)) {
    const w = fold(word);
    if (['xlsx', 'excel', 'tep', 'file'].includes(w)) output = 'xlsx';
    else if (['bieudo', 'chart', 'png', 'do-thi', 'dothi'].includes(w)) output = 'chart';
    else rest.push(word);
  }
  if (!rest.length) return { period: null, output };
  const period = parsePeriod(rest.join(' '), today);
  if (!period) return { error: `Không hiểu "${rest.join(' ')}".\n${USAGE_TEXT}` };
  return { period, output };
}

function slug(label: string): string {
  return fold(label).replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

export const report: Command = {
  name: 'report',
  aliases: ['baocao'],
  usage,
  summary: 'số liệu bốn trạng thái theo từng đơn vị; thêm "xlsx" để nhận tệp Excel, "quy 1", "6t", "thang 3" cho một kỳ báo cáo',
  access: 'officer',
  heavy: true,
  async run(ctx) {
    const today = localDateOf(ctx.now, ctx.zone);
    const request = parseReportArgs(ctx.args, today);
    if ('error' in request) return text(request.error);
    const result = await planReport(ctx.prisma, { at: ctx.now, zone: ctx.zone, calendar: ctx.calendar, period: request.period });
    if (!result.plans.length) return text('Chưa có kế hoạch nào được nhập nên chưa có số liệu.');
    if (!result.units.length) return text(`Chưa có nhiệm vụ nào được giao cho đơn vị nên chưa có số liệu (${formatVi(result.judgedOn)}).`);
    const name = `bao-cao-${result.period ? `${slug(result.period.label)}-` : ''}${result.judgedOn}`;
    if (request.output === 'xlsx') {
      const data = await reportWorkbook(result);
      const sum = result.totals;
      return {
        text: `📎 Báo cáo ${result.period ? result.period.label : `đến ngày ${formatVi(result.judgedOn)}`}: ${result.units.length} đơn vị, ${result.rows.length} dòng chi tiết, ${sum.open_overdue} chưa hoàn thành quá hạn. Tệp gồm các trang Tổng hợp, Chi tiết, Quá hạn, Theo phần.`,
        attachment: { fileName: `${name}.xlsx`, data, mime: XLSX_MIME },
      };
    }
    if (request.output === 'chart') {
      const data = await statusChartPng(result.units, reportChartOptions(result));
      return {
        text: `📊 Biểu đồ trạng thái ${result.period ? result.period.label : `đến ngày ${formatVi(result.judgedOn)}`} (${result.units.length} đơn vị).`,
        // a platform that cannot show the picture (the Zalo Bot without a public address) sends the figures
        attachment: { fileName: `${name}.png`, data, mime: 'image/png', altText: reportText(result, MAX_UNITS, '') },
      };
    }
    return text(reportText(result, MAX_UNITS, ' (gõ /baocao xlsx để nhận tệp đầy đủ)'));
  },
};
