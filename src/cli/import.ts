import path from 'node:path';
import { parseArgs } from 'node:util';
import { cleanText } from '../core/text.ts';
import { readPlanFile } from '../import/read-plan-file.ts';
import { readUnitRegistry } from '../import/read-units.ts';
import { importPlan } from '../store/plan-store.ts';
import { importUnits } from '../store/unit-registry.ts';
import { withApp } from './app.ts';
import { UsageError, type CliCommand } from './io.ts';
import { parseYear } from './args.ts';

export const importCommand: CliCommand = {
  usage: 'import TỆP --year NĂM [--plan TÊN] [--dry-run] [--force]',
  summary: 'nhập một bảng kế hoạch (DOCX, XLSX, CSV/TSV, văn bản) vào cơ sở dữ liệu',
  options: [
    ['--year NĂM', 'năm của kế hoạch (bắt buộc), ví dụ 2024'],
    ['--plan TÊN', 'tên kế hoạch (mặc định: tên tệp); nhập lại cùng tên là cập nhật kế hoạch đó'],
    ['--dry-run', 'chỉ đọc và báo kết quả, không ghi gì'],
    ['--force', 'cho phép lần nhập lại lưu trữ quá nửa số nhiệm vụ của kế hoạch (mặc định bị từ chối)'],
  ],
  notes: ['Ví dụ: nhacviec import examples/ke-hoach-chau-thanh-2023.xlsx --year 2023 --plan "Châu Thành 2023" --dry-run'],
  async run(args, env) {
    const { values, positionals } = parseArgs({
      args,
      options: {
        year: { type: 'string' },
        plan: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
      },
      allowPositionals: true,
    });
    if (positionals.length !== 1) throw new UsageError('Cần đúng một tệp kế hoạch: nhacviec import TỆP --year NĂM');
    const year = parseYear(values.year);
    const file = positionals[0]!;
    const parsed = await readPlanFile(file);
    // stored and matched later: NFC, no control characters (a file name copied from a Mac is NFD)
    const name = cleanText(values.plan ?? path.basename(file, path.extname(file)));
    return withApp(env, async (app) => {
      const s = await importPlan(app.db.prisma, parsed, { name, year, calendar: app.calendar, dryRun: values['dry-run'], force: values.force, actor: { user: 'cli' }, now: app.clock() });
      const json = {
        plan: s.plan,
        tasks: s.tasks.map((t) => ({
          code: t.code,
          ...(t.aliases.length ? { aliases: t.aliases } : {}),
          content: t.content,
          lead: t.lead,
          coord: t.coord,
          deadline: t.deadline,
          rule: t.rule,
          result: t.result,
          note: t.note,
        })),
        warnings: s.warnings.map((w) => ({ row: w.row, message: w.message })),
        added: s.added,
        changed: s.changed,
        renamed: s.renamed,
        archived: s.archived,
        pending_units: s.pendingUnits,
        year_mismatch: s.yearMismatch,
        ...(s.wouldRefuse ? { would_refuse: { archived: s.wouldRefuse.archived, live: s.wouldRefuse.live } } : {}),
      };
      const text = [
        `${values['dry-run'] ? 'Thử nhập (chưa ghi)' : 'Đã nhập'} "${name}" năm ${year}: ${s.tasks.length} nhiệm vụ.`,
        `Thêm mới ${s.added.length}, thay đổi ${s.changed.length}${s.changed.length ? ` (${s.changed.join(', ')})` : ''}, ` +
          `đổi mã ${s.renamed.length}${s.renamed.length ? ` (${s.renamed.map((r) => `${r.from} → ${r.to}`).join(', ')})` : ''}, ` +
          `lưu trữ ${s.archived.length}${s.archived.length ? ` (${s.archived.join(', ')})` : ''}, giữ nguyên ${s.unchanged}.`,
        s.renamed.length ? 'Nhiệm vụ đổi mã giữ nguyên trạng thái và lịch sử; mã cũ vẫn dùng được để tra cứu.' : '',
        s.pendingUnits.length ? `Đơn vị mới chờ xác nhận: ${s.pendingUnits.join('; ')}` : '',
        s.warnings.length ? `Cảnh báo (${s.warnings.length}):\n${s.warnings.map((w) => `- ${w.message}`).join('\n')}` : 'Không có cảnh báo.',
      ].filter(Boolean).join('\n');
      return { json, text };
    });
  },
};

export const unitsCommand: CliCommand = {
  usage: 'units import TỆP',
  summary: 'nhập danh mục đơn vị (tên, loại, tên gọi khác) và giao lại các nhiệm vụ giao cho nhóm đơn vị',
  notes: [
    'Tệp XLSX, CSV hoặc TSV có các cột "Tên đơn vị", "Loại", "Tên gọi khác" (các tên cách nhau bằng dấu ;),',
    'và tùy chọn "Nơi nhận báo cáo lãnh đạo". Ví dụ: nhacviec units import examples/don-vi-chau-thanh-2023.csv',
  ],
  async run(args, env) {
    const [verb, file, ...rest] = args;
    if (verb !== 'import' || !file || rest.length) throw new UsageError('Cách dùng: nhacviec units import TỆP (XLSX/CSV/TSV với các cột Tên đơn vị, Loại, Tên gọi khác)');
    const rows = await readUnitRegistry(file);
    return withApp(env, async (app) => {
      const r = await importUnits(app.db.prisma, rows, app.calendar);
      return { json: r, text: `Đã nhập danh mục đơn vị: thêm ${r.added}, cập nhật ${r.updated}.` };
    });
  },
};
