import { parseArgs } from 'node:util';
import { STATUS_LABELS } from '../core/dossier-status.ts';
import { formatVi } from '../core/dates.ts';
import { importDossierFile } from '../dossier-import.ts';
import { withApp } from './app.ts';
import { UsageError, type CliCommand } from './io.ts';

export const dossier: CliCommand = {
  usage: 'dossier import TỆP [--dry-run]',
  summary: 'nhập danh sách hồ sơ TTHC xuất từ hệ thống một cửa (XLSX/CSV/TSV)',
  options: [['--dry-run', 'chỉ đọc và báo kết quả, không ghi gì']],
  notes: [
    'Cột được nhận theo tên: Mã hồ sơ, Ngày hẹn trả (bắt buộc); Tên thủ tục, Người nộp, Ngày tiếp nhận, Đơn vị giải quyết.',
    'Có dòng sai thì không nhập hồ sơ nào và liệt kê các dòng sai.',
  ],
  async run(args, env) {
    const [verb, ...rest] = args;
    if (verb !== 'import') throw new UsageError('Cách dùng: nhacviec dossier import TỆP [--dry-run] (tệp XLSX/CSV/TSV xuất từ hệ thống một cửa)');
    const { values, positionals } = parseArgs({ args: rest, options: { 'dry-run': { type: 'boolean', default: false } }, allowPositionals: true });
    if (positionals.length !== 1) throw new UsageError('Cần đúng một tệp danh sách hồ sơ: nhacviec dossier import TỆP [--dry-run]');
    const file = positionals[0]!;
    const dryRun = values['dry-run'];
    return withApp(env, async (app) => {
      const s = await importDossierFile(app.db.prisma, file, { dryRun, actor: { user: 'cli' } });
      const json = { dossiers: s.dossiers, warnings: s.warnings, added: s.added, updated: s.updated, unchanged: s.unchanged, pending_units: s.pendingUnits };
      const text = [
        `${dryRun ? 'Thử nhập (chưa ghi)' : 'Đã nhập'} danh sách hồ sơ ${file}: ${s.dossiers.length} hồ sơ.`,
        `Thêm mới ${s.added.length}, cập nhật ${s.updated.length}${s.updated.length ? ` (${s.updated.join(', ')})` : ''}, giữ nguyên ${s.unchanged}.`,
        s.pendingUnits.length ? `Đơn vị mới chờ xác nhận: ${s.pendingUnits.join('; ')}` : '',
        ...s.dossiers.slice(0, 50).map((d) => `- ${d.code}: hẹn trả ${formatVi(d.due)} · ${STATUS_LABELS[d.status]} · ${d.unit ?? '(chưa rõ đơn vị)'} · ${d.applicant || '(chưa rõ người nộp)'}`),
        s.dossiers.length > 50 ? `... và ${s.dossiers.length - 50} hồ sơ khác` : '',
        s.warnings.length ? `Cảnh báo (${s.warnings.length}):\n${s.warnings.map((w) => `- ${w.message}`).join('\n')}` : 'Không có cảnh báo.',
      ]
        .filter(Boolean)
        .join('\n');
      return { json, text };
    });
  },
};
