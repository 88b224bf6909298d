import { parseArgs } from 'node:util';
import type { PrismaClient } from '../db/database.ts';
import { matchUnit } from '../core/units.ts';
import { formatVi } from '../core/dates.ts';
import { assertNoBadRows, readDossierFile, type ParsedDossier, type RowProblem } from '../import/read-dossiers.ts';
import type { Actor } from '../store/audit.ts';
import { upsertDossiers, type UpsertOutcome } from '../store/dossiers.ts';
import { unitRegistry } from '../store/units.ts';
import { withApp } from './app.ts';
import { UsageError, type CliCommand } from './io.ts';

export type DossierImportSummary = {
  dossiers: { code: string; procedure: string; applicant: string; received: string | null; due: string; unit: string | null }[];
  warnings: RowProblem[];
  added: string[];
  updated: string[];
  unchanged: number;
};

/**
 * Imports a dossier list. Policy: all or nothing. Any bad row (no code, no or impossible due date, received
 * after due, a code twice with different data, an unknown or ambiguous unit) aborts the whole import with a
 * PlanFileError naming every bad row (exit status 1), and nothing is written; rows that are only incomplete
 * (no applicant, no unit column) are stored with a warning. --dry-run checks and reports without writing.
 */
export async function importDossierFile(prisma: PrismaClient, file: string, opts: { dryRun?: boolean; actor?: Actor } = {}): Promise<DossierImportSummary> {
  const parsed = await readDossierFile(file);
  const registry = await unitRegistry(prisma);
  const errors = [...parsed.errors];
  const warnings = [...parsed.warnings];
  const resolved: { d: ParsedDossier; unitId: number | null; unitName: string | null }[] = [];
  for (const d of parsed.dossiers) {
    if (!d.unit) {
      resolved.push({ d, unitId: null, unitName: null });
      if (parsed.columns.unit !== undefined) warnings.push({ row: d.row, message: `Dòng ${d.row} (hồ sơ ${d.code}): thiếu đơn vị giải quyết; lời nhắc gửi về nhóm mặc định` });
      continue;
    }
    const match = matchUnit(d.unit, registry);
    if (match.kind === 'found') resolved.push({ d, unitId: match.unit.id, unitName: match.unit.name });
    else if (match.kind === 'ambiguous') {
      errors.push({ row: d.row, message: `Dòng ${d.row} (hồ sơ ${d.code}): đơn vị "${d.unit}" khớp nhiều đơn vị (${match.candidates.slice(0, 5).map((u) => u.name).join('; ')})` });
    } else errors.push({ row: d.row, message: `Dòng ${d.row} (hồ sơ ${d.code}): không có đơn vị "${d.unit}" trong danh mục đơn vị` });
  }
  errors.sort((a, b) => a.row - b.row);
  assertNoBadRows(errors, file);
  const outcomes: UpsertOutcome[] = await upsertDossiers(
    prisma,
    resolved.map(({ d, unitId }) => ({ code: d.code, due: d.due, procedure: d.procedure, applicant: d.applicant, received: d.received, unitId })),
    opts.actor ?? { user: 'cli' },
    { dryRun: opts.dryRun ?? false, source: `nhập từ tệp ${file}` },
  );
  const rowOf = new Map(resolved.map(({ d }) => [d.code, d.row]));
  for (const o of outcomes) for (const w of o.warnings) warnings.push({ row: rowOf.get(o.code) ?? 0, message: w });
  warnings.sort((a, b) => a.row - b.row);
  return {
    dossiers: resolved.map(({ d, unitName }) => ({ code: d.code, procedure: d.procedure, applicant: d.applicant, received: d.received, due: d.due, unit: unitName })),
    warnings,
    added: outcomes.filter((o) => o.kind === 'added').map((o) => o.code),
    updated: outcomes.filter((o) => o.kind === 'updated').map((o) => o.code),
    unchanged: outcomes.filter((o) => o.kind === 'unchanged').length,
  };
}

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
      const json = { dossiers: s.dossiers, warnings: s.warnings, added: s.added, updated: s.updated, unchanged: s.unchanged };
      const text = [
        `${dryRun ? 'Thử nhập (chưa ghi)' : 'Đã nhập'} danh sách hồ sơ ${file}: ${s.dossiers.length} hồ sơ.`,
        `Thêm mới ${s.added.length}, cập nhật ${s.updated.length}${s.updated.length ? ` (${s.updated.join(', ')})` : ''}, giữ nguyên ${s.unchanged}.`,
        ...s.dossiers.slice(0, 50).map((d) => `- ${d.code}: hẹn trả ${formatVi(d.due)} · ${d.unit ?? '(chưa rõ đơn vị)'} · ${d.applicant || '(chưa rõ người nộp)'}`),
        s.dossiers.length > 50 ? `... và ${s.dossiers.length - 50} hồ sơ khác` : '',
        s.warnings.length ? `Cảnh báo (${s.warnings.length}):\n${s.warnings.map((w) => `- ${w.message}`).join('\n')}` : 'Không có cảnh báo.',
      ]
        .filter(Boolean)
        .join('\n');
      return { json, text };
    });
  },
};
