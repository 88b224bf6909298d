import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { WorkingCalendar } from './core/calendar.ts';
import { findHeaderRow } from './core/plan-table.ts';
import { shorten } from './core/messages.ts';
import { localDateOf } from './core/time.ts';
import type { PrismaClient } from './db/database.ts';
import { importDossierFile } from './dossier-import.ts';
import { PlanFileError } from './import/errors.ts';
import { headerColumns } from './import/read-dossiers.ts';
import { readPlanFile, readPlanRows } from './import/read-plan-file.ts';
import { isRegistryHeader, readUnitRegistry } from './import/read-units.ts';
import type { Actor } from './store/audit.ts';
import { plansOfYear, type ImportKind } from './store/pending-imports.ts';
import { ImportRefusedError, importPlan, type ImportSummary } from './store/plan-store.ts';
import { importUnits, previewUnits } from './store/unit-registry.ts';

/**
 * Files sent in a chat to be imported: which of the three lists a file is (by its header row), what importing
 * it would do (the preview, written nowhere), and the import itself, through the same functions as the CLI.
 */

export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
/** what the readers take; .doc, .xls and .pdf get their advice ("lưu lại dưới dạng .docx") from the readers */
const READABLE = ['.docx', '.xlsx', '.csv', '.tsv', '.txt', '.doc', '.xls', '.pdf'];
const LIST = 10;

export type ImportDeps = { prisma: PrismaClient; calendar: WorkingCalendar; now: Date; zone: string };
export type ImportFile = { name: string; data: Uint8Array };

export function readableFileName(name: string): boolean {
  return READABLE.includes(path.extname(name).toLowerCase());
}

/** A file that is none of the three lists (a photo's caption, meeting minutes shared in a group...). */
export class UnrecognizedFileError extends PlanFileError {}

/** A re-import that would archive more than half of the plan's live tasks: it needs its own confirmation. */
export type ArchiveGuard = { archived: string[]; live: number };

export type Preview =
  | { kind: 'plan'; planName: string; planYear: number; archive: ArchiveGuard | null; text: string }
  | { kind: 'plan'; planName: string; planYear: null; yearChoices: number[]; text: string }
  | { kind: 'units' | 'dossiers'; text: string };

/**
 * What importing the file would do. A plan's name comes from its title (or the file's name) unless given, its
 * year from the title unless given; with no year the preview asks for it (`yearChoices`).
 */
export async function previewImport(deps: ImportDeps, file: ImportFile, given: { planName?: string; planYear?: number } = {}): Promise<Preview> {
  return onDisk(file, async (local) => {
    const kind = await recognize(local, file.name);
    if (kind === 'units') {
      const rows = await readUnitRegistry(local);
      const { added, updated } = await previewUnits(deps.prisma, rows);
      return {
        kind,
        text: [
          `📄 Xem trước: danh mục đơn vị (tệp ${file.name})`,
          `Đơn vị: ${rows.length} — thêm mới ${added.length}, cập nhật ${updated.length}.`,
          ...listed('Thêm mới', added),
          'Các nhiệm vụ giao cho nhóm đơn vị ("UBND các xã"...) sẽ được giao thêm cho đơn vị mới thuộc nhóm.',
        ].join('\n'),
      };
    }
    if (kind === 'dossiers') {
      const s = await importDossierFile(deps.prisma, local, { dryRun: true });
      return {
        kind,
        text: [
          `📄 Xem trước: danh sách hồ sơ (tệp ${file.name})`,
          `Hồ sơ: ${s.dossiers.length} — thêm mới ${s.added.length}, cập nhật ${s.updated.length}, giữ nguyên ${s.unchanged}.`,
          ...warningLines(s.warnings),
        ].join('\n'),
      };
    }
    const parsed = await readPlanFile(local);
    if (!parsed.tasks.length) throw new PlanFileError(`Tệp ${file.name} có bảng kế hoạch nhưng không có nhiệm vụ nào (các dòng dưới dòng tiêu đề đều trống hoặc không có nội dung).`, { file: file.name });
    const planName = given.planName ?? nameFromTitle(parsed.title) ?? path.basename(file.name, path.extname(file.name));
    const years = yearsIn(parsed.title ?? '');
    const planYear = given.planYear ?? (years.length === 1 ? years[0]! : null);
    if (planYear === null) {
      const now = Number(localDateOf(deps.now, deps.zone).slice(0, 4));
      return {
        kind,
        planName,
        planYear,
        yearChoices: years.length ? years : [now, now + 1],
        text: [
          `📄 Tệp ${file.name}: kế hoạch "${planName}", ${parsed.tasks.length} nhiệm vụ.`,
          `Chưa đọc được năm của kế hoạch từ tiêu đề${parsed.title ? ` ("${shorten(parsed.title, 120)}")` : ''}: năm cần để hiểu các thời hạn ("Quý I", "Trước ngày 15/9"...).`,
          'Chọn năm bên dưới, hoặc gõ /nhap nam <năm>, ví dụ /nhap nam 2025.',
        ].join('\n'),
      };
    }
    const s = await dryRun(deps, parsed, planName, planYear);
    const others = (await plansOfYear(deps.prisma, planYear)).filter((p) => p !== planName);
    const archive = s.wouldRefuse ? { archived: s.wouldRefuse.archived, live: s.wouldRefuse.live } : null;
    return { kind, planName, planYear, archive, text: planPreview(file.name, s, others, given.planYear !== undefined) };
  });
}

/**
 * Imports the file for real; the answer to post. A file that turned out bad is a PlanFileError (nothing written).
 * A plan whose import would archive more than half of its live tasks is an ArchiveGuardError (nothing written)
 * unless `archive` says the administrator confirmed exactly that.
 */
export async function applyImport(
  deps: ImportDeps,
  p: { kind: ImportKind; file: ImportFile; planName: string | null; planYear: number | null; actor: Actor; archive?: boolean },
): Promise<string> {
  return onDisk(p.file, async (local) => {
    if (p.kind === 'units') {
      const r = await importUnits(deps.prisma, await readUnitRegistry(local), deps.calendar);
      return `✅ Đã nhập danh mục đơn vị (tệp ${p.file.name}): thêm ${r.added}, cập nhật ${r.updated}.`;
    }
    if (p.kind === 'dossiers') {
      const s = await importDossierFile(deps.prisma, local, { actor: p.actor });
      return `✅ Đã nhập danh sách hồ sơ (tệp ${p.file.name}): ${s.dossiers.length} hồ sơ — thêm mới ${s.added.length}, cập nhật ${s.updated.length}, giữ nguyên ${s.unchanged}. Gõ /hoso để xem hồ sơ sắp đến hạn.`;
    }
    if (!p.planName || !p.planYear) throw new Error('a plan import needs its name and year');
    let s: ImportSummary;
    try {
      s = await importPlan(deps.prisma, await readPlanFile(local), { name: p.planName, year: p.planYear, calendar: deps.calendar, actor: p.actor, force: p.archive === true, now: deps.now });
    } catch (error) {
      if (error instanceof ImportRefusedError && error.reason === 'would_archive') throw new ArchiveGuardError({ archived: error.archived, live: error.live });
      if (error instanceof ImportRefusedError) throw new PlanFileError(error.message, { file: p.file.name });
      throw error;
    }
    return [
      `✅ Đã nhập kế hoạch "${s.plan.name}" năm ${s.plan.year}: ${s.tasks.length} nhiệm vụ — ${diffLine(s)}.`,
      s.pendingUnits.length ? `Đơn vị mới chờ xác nhận (${s.pendingUnits.length}): gửi danh mục đơn vị có các đơn vị này để xác nhận.` : '',
      'Gõ /list để xem nhiệm vụ, /task <mã> để xem một nhiệm vụ. Thêm bot vào nhóm của từng đơn vị rồi gõ /bind <đơn vị> trong nhóm đó.',
    ]
      .filter(Boolean)
      .join('\n');
  });
}

/** "Nhập" on a plan that would archive more than half of its tasks, without "luutru": nothing was written. */
export class ArchiveGuardError extends Error {
  constructor(readonly guard: ArchiveGuard) {
    super(`the import would archive ${guard.archived.length}/${guard.live} tasks`);
    this.name = 'ArchiveGuardError';
  }
}

/** the real import's diff without writing; a plan over the size limit is a bad file like any other */
async function dryRun(deps: ImportDeps, parsed: Awaited<ReturnType<typeof readPlanFile>>, name: string, year: number): Promise<ImportSummary> {
  try {
    return await importPlan(deps.prisma, parsed, { name, year, calendar: deps.calendar, dryRun: true, now: deps.now });
  } catch (error) {
    if (error instanceof ImportRefusedError) throw new PlanFileError(error.message);
    throw error;
  }
}

/** What the guarded import would archive and how to confirm it (the preview, and a plain "Nhập" that met the guard). */
export function archiveWarning(planName: string, guard: ArchiveGuard): string {
  const n = guard.archived.length;
  return [
    `⚠️ Nhập tệp này sẽ LƯU TRỮ ${n}/${guard.live} nhiệm vụ đang theo dõi của kế hoạch "${planName}" (${n === guard.live ? 'toàn bộ' : 'quá một nửa'} kế hoạch) vì tệp không còn các nhiệm vụ đó: ${codeList(guard.archived)}.`,
    'Nhiệm vụ lưu trữ sẽ không được nhắc nữa. Có thể nhầm tệp (tệp của kế hoạch khác, hoặc chỉ có một phần bảng): kiểm tra lại trước khi nhập.',
    `Nếu đúng là muốn vậy, bấm "Nhập và lưu trữ ${n} nhiệm vụ" (hoặc gõ /nhap ok luutru).`,
  ].join('\n');
}

function codeList(codes: string[], max = 20): string {
  return codes.length > max ? `${codes.slice(0, max).join(', ')} và ${codes.length - max} nhiệm vụ khác` : codes.join(', ');
}

// --- what the file is ----------------------------------------------------------------------------------

async function recognize(local: string, name: string): Promise<ImportKind> {
  let rows: Awaited<ReturnType<typeof readPlanRows>>['rows'];
  try {
    ({ rows } = await readPlanRows(local));
  } catch (error) {
    // no table in it, not a Word or Excel file inside...: the readers say what; it is no list of ours
    if (error instanceof PlanFileError) throw new UnrecognizedFileError(error.message, { file: name, cause: error });
    throw error;
  }
  if (rows.some((r) => isRegistryHeader(r.cells))) return 'units';
  if (rows.slice(0, 30).some((r) => headerColumns(r.cells))) return 'dossiers';
  if (findHeaderRow(rows) >= 0) return 'plan';
  throw new UnrecognizedFileError(
    `Không nhận ra nội dung tệp ${name}: không thấy dòng tiêu đề của bảng kế hoạch (STT, Nội dung công việc, Đơn vị chủ trì, Thời gian hoàn thành...), của danh mục đơn vị (Tên đơn vị, Loại) hay của danh sách hồ sơ (Mã hồ sơ, Ngày hẹn trả).`,
    { file: name },
  );
}

/** the plan's name: its title, on one line and not too long */
function nameFromTitle(title: string | undefined): string | null {
  const clean = (title ?? '').replace(/\s+/g, ' ').trim();
  return clean ? shorten(clean, 200) : null;
}

/** the years a title names ("... năm 2024", "giai đoạn 2021 - 2025"), distinct, in order */
export function yearsIn(title: string): number[] {
  return [...new Set([...title.matchAll(/(?<!\d)(20\d\d)(?!\d)/g)].map((m) => Number(m[1])))];
}

// --- texts -----------------------------------------------------------------------------------------------

function planPreview(fileName: string, s: ImportSummary, others: string[], yearGiven: boolean): string {
  // the dry run's warning speaks of the CLI's --force; the chat says it its own way, on top
  const cliRefusal = s.wouldRefuse && `Khi nhập thật: ${s.wouldRefuse.message}`;
  const warnings = s.warnings.filter((w) => w.message !== cliRefusal);
  const names = [...new Set(s.tasks.flatMap((t) => [...t.lead, ...t.coord]))];
  return [
    `📄 Xem trước: kế hoạch "${s.plan.name}" năm ${s.plan.year} (tệp ${fileName})`,
    s.wouldRefuse ? archiveWarning(s.plan.name, { archived: s.wouldRefuse.archived, live: s.wouldRefuse.live }) : '',
    `Năm ${s.plan.year} ${yearGiven ? 'theo anh/chị chọn' : 'đọc từ tiêu đề'}; sai thì gõ /nhap nam <năm>. Đổi tên kế hoạch: /nhap ten <tên>.`,
    `Nhiệm vụ: ${s.tasks.length} — ${diffLine(s)}.`,
    `Đơn vị được giao: ${names.length}${names.length ? ` (${shorten(names.slice(0, LIST).join('; '), 400)}${names.length > LIST ? `; và ${names.length - LIST} đơn vị khác` : ''})` : ''}.`,
    s.pendingUnits.length ? `Đơn vị chưa có trong danh mục, sẽ tạo ở trạng thái chờ xác nhận (${s.pendingUnits.length}): ${shorten(s.pendingUnits.join('; '), 400)}` : 'Mọi đơn vị đều đã có trong danh mục.',
    ...(others.length ? [`⚠️ Năm ${s.plan.year} đã có kế hoạch khác: ${others.map((o) => `"${o}"`).join(', ')}. Nếu tệp này là bản mới của kế hoạch đó, gõ /nhap ten <tên kế hoạch đó> để cập nhật thay vì nhập thêm một kế hoạch.`] : []),
    ...warningLines(warnings),
  ]
    .filter(Boolean)
    .join('\n');
}

function diffLine(s: ImportSummary): string {
  const parts = [`thêm mới ${s.added.length}`];
  if (s.changed.length) parts.push(`thay đổi ${s.changed.length} (${shorten(s.changed.join(', '), 200)})`);
  if (s.archived.length) parts.push(`lưu trữ ${s.archived.length} (${shorten(s.archived.join(', '), 200)})`);
  if (s.unchanged) parts.push(`giữ nguyên ${s.unchanged}`);
  return parts.join(', ');
}

function warningLines(warnings: { message: string }[]): string[] {
  if (!warnings.length) return ['Không có cảnh báo.'];
  return [
    `Cảnh báo (${warnings.length}):`,
    ...warnings.slice(0, LIST).map((w) => `- ${shorten(w.message, 300)}`),
    ...(warnings.length > LIST ? [`... và ${warnings.length - LIST} cảnh báo khác (xem đủ bằng lệnh: npm run -s cli -- import <tệp> --year <năm> --dry-run)`] : []),
  ];
}

function listed(label: string, names: string[]): string[] {
  if (!names.length) return [];
  return [`${label}: ${shorten(names.slice(0, LIST).join('; '), 600)}${names.length > LIST ? `; và ${names.length - LIST} đơn vị khác` : ''}`];
}

// --- the file on disk ------------------------------------------------------------------------------------

/**
 * The readers read files: the bytes go to a private temporary folder under the file's own name, which the
 * readers' messages then show without the folder.
 */
async function onDisk<T>(file: ImportFile, run: (local: string) => Promise<T>): Promise<T> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nhacviec-nhap-'));
  const base = path.basename(file.name).replace(/[\\/:*?"<>|\0]/g, '_').slice(-120) || 'tep';
  const local = path.join(dir, base);
  try {
    try {
      await fs.writeFile(local, file.data, { mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOSPC') throw new PlanFileError('Máy chủ hết chỗ trống trên đĩa nên chưa đọc được tệp; chưa ghi gì. Báo bộ phận CNTT giải phóng ổ đĩa rồi gửi lại tệp.');
      throw error;
    }
    return await run(local);
  } catch (error) {
    if (error instanceof PlanFileError) error.message = error.message.replaceAll(local, file.name).replaceAll(dir + path.sep, '');
    throw error;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
