import type { PrismaClient } from './db/database.ts';
import { matchUnit, unitKey } from './core/units.ts';
import type { DossierStatus } from './core/dossier-status.ts';
import { assertNoBadRows, readDossierFile, type ParsedDossier, type RowProblem } from './import/read-dossiers.ts';
import type { Actor } from './store/audit.ts';
import { upsertDossiers, type DossierFields, type UpsertOutcome } from './store/dossiers.ts';
import { unitRegistry } from './store/units.ts';

export type DossierImportSummary = {
  dossiers: { code: string; procedure: string; applicant: string; received: string | null; due: string; unit: string | null; status: DossierStatus; status_text: string }[];
  warnings: RowProblem[];
  added: string[];
  updated: string[];
  unchanged: number;
  /** unit names the registry did not know, stored as pending units (their prompts go to the default group) */
  pendingUnits: string[];
};

/**
 * Imports a dossier list. Rows that cannot be stored at all (no code, no or impossible due date) abort the
 * whole import with a PlanFileError naming every bad row (exit status 1), and nothing is written. Everything
 * else is stored, with a warning per row where something is missing or doubtful: a unit the registry does not
 * know becomes a pending unit (its prompts go to the default group until /bind or the unit registry claims
 * it), an ambiguous one leaves the dossier without a unit. The status column is read by meaning: a closed
 * dossier is stored closed and gets no prompt, a paused one none while paused. --dry-run checks and reports
 * without writing.
 */
export async function importDossierFile(prisma: PrismaClient, file: string, opts: { dryRun?: boolean; actor?: Actor } = {}): Promise<DossierImportSummary> {
  const parsed = await readDossierFile(file);
  assertNoBadRows(parsed.errors, file);
  const registry = await unitRegistry(prisma);
  const active = registry.filter((u) => !u.pending);
  const warnings = [...parsed.warnings];
  const pendingUnits = new Map<string, string>();
  const resolved: { d: ParsedDossier; fields: DossierFields; unitName: string | null }[] = [];
  for (const d of parsed.dossiers) {
    const where = `Dòng ${d.row} (hồ sơ ${d.code})`;
    const status = d.status ? { status: d.status.status, text: d.statusText, returnedOn: d.returnedOn } : null;
    const base: DossierFields = { code: d.code, due: d.due, procedure: d.procedure, applicant: d.applicant, received: d.received, unitText: d.unit, ...(status ? { status } : {}) };
    if (!d.unit) {
      resolved.push({ d, fields: base, unitName: null });
      if (parsed.columns.unit !== undefined) warnings.push({ row: d.row, message: `${where}: thiếu đơn vị giải quyết; lời nhắc gửi về nhóm mặc định` });
      continue;
    }
    // a name an earlier import made pending is matched like any other; a registry unit wins over it
    const match = matchUnit(d.unit, active).kind === 'none' ? matchUnit(d.unit, registry) : matchUnit(d.unit, active);
    if (match.kind === 'found') {
      resolved.push({ d, fields: { ...base, unitId: match.unit.id }, unitName: match.unit.name });
      if (match.unit.pending) warnings.push({ row: d.row, message: `${where}: đơn vị "${match.unit.name}" đang chờ xác nhận trong danh mục; lời nhắc gửi về nhóm mặc định cho đến khi quản trị viên gắn nhóm (/bind) hoặc nhập danh mục đơn vị` });
    } else if (match.kind === 'ambiguous') {
      resolved.push({ d, fields: base, unitName: null });
      warnings.push({ row: d.row, message: `${where}: đơn vị "${d.unit}" khớp nhiều đơn vị (${match.candidates.slice(0, 5).map((u) => u.name).join('; ')}); chưa gắn đơn vị, lời nhắc gửi về nhóm mặc định` });
    } else {
      const key = unitKey(d.unit);
      if (key && !pendingUnits.has(key)) pendingUnits.set(key, d.unit);
      const name = (key && pendingUnits.get(key)) || d.unit;
      resolved.push({ d, fields: key ? { ...base, pendingUnit: name } : base, unitName: key ? name : null });
      warnings.push({ row: d.row, message: `${where}: đơn vị "${d.unit}" chưa có trong danh mục; đã lưu ở trạng thái chờ xác nhận, lời nhắc gửi về nhóm mặc định cho đến khi quản trị viên gắn nhóm (/bind) hoặc nhập danh mục đơn vị` });
    }
  }
  const outcomes: UpsertOutcome[] = await upsertDossiers(prisma, resolved.map((r) => r.fields), opts.actor ?? { user: 'cli' }, {
    dryRun: opts.dryRun ?? false,
    source: `nhập từ tệp ${file}`,
  });
  const rowOf = new Map(resolved.map(({ d }) => [d.code, d.row]));
  for (const o of outcomes) for (const w of o.warnings) warnings.push({ row: rowOf.get(o.code) ?? 0, message: w });
  warnings.sort((a, b) => a.row - b.row);
  return {
    dossiers: resolved.map(({ d, unitName }) => ({
      code: d.code,
      procedure: d.procedure,
      applicant: d.applicant,
      received: d.received,
      due: d.due,
      unit: unitName,
      status: d.status?.status ?? 'processing',
      status_text: d.statusText,
    })),
    warnings,
    added: outcomes.filter((o) => o.kind === 'added').map((o) => o.code),
    updated: outcomes.filter((o) => o.kind === 'updated').map((o) => o.code),
    unchanged: outcomes.filter((o) => o.kind === 'unchanged').length,
    pendingUnits: [...pendingUnits.values()],
  };
}
