/**
 * The letter a unit sends an applicant whose dossier will be late (domain.md §7), as text: an editable
 * template filled from the dossier and the deployment's settings. Pure; src/files/apology-letter.ts reads
 * the template file and lays the same sections out as a Word document.
 *
 * Two forms ship (templates/):
 * - 2025 (default): "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết", Mẫu số 04 of Phụ lục I of
 *   Thông tư 03/2025/TT-VPCP (from 15/9/2025), under Nghị định 118/2025/NĐ-CP (in force 1/7/2025, amended by
 *   Nghị định 367/2025/NĐ-CP). Checked in secondary sources: the numbers, dates and titles of these texts and
 *   the list of Phụ lục I's forms (01 receipt, 02 request for additions, 03 refusal, 04 this letter, 05
 *   notice of stopping, 06 control slip, 07 register). Not checked against the official text: which article
 *   of Nghị định 118 sets the letter's deadline and the one-extension rule, and the form's exact wording; the
 *   template's body follows what the form must hold (original appointment date, reason, proposed new time,
 *   apology, signer) and says so in its header.
 * - 2018: "Phiếu xin lỗi và hẹn lại ngày trả kết quả", Mẫu số 04 of Thông tư 01/2018/TT-VPCP (Nghị định
 *   61/2018/NĐ-CP), for units that still file under it.
 *
 * A template is split into sections ("[mau-so]", "[co-quan]", "[quoc-hieu]", "[tieu-de]", "[kinh-gui]",
 * "[noi-dung]", "[noi-nhan]", "[ky-ten]"); lines starting with "#" are comments; {{placeholders}} are filled,
 * missing data printing as "…………". Its title names the letter in the prompts and its Word file.
 */
import { dateParts, formatVi, type LocalDate } from './dates.ts';
import { fold } from './text.ts';
import type { UnitKind } from './units.ts';

export const BLANK = '…………';

export type ApologyForm = '2025' | '2018';
export const APOLOGY_FORMS = ['2025', '2018'] as const satisfies readonly ApologyForm[];

/** Each form's name, for when its template cannot be read. */
export const FORM_NAMES: Record<ApologyForm, string> = {
  '2025': 'Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết',
  '2018': 'Phiếu xin lỗi và hẹn lại ngày trả kết quả',
};

export type ApologyLetterData = {
  /** the deciding unit (tên cơ quan giải quyết) */
  agency: string | null;
  /** its governing body (tên cơ quan chủ quản), e.g. "UBND HUYỆN CHÂU THÀNH" */
  parentAgency?: string | null;
  /** the letter's number (số), e.g. "12/PXL-TP" */
  number?: string | null;
  /** place name for "địa danh, ngày ... tháng ... năm ..." */
  place?: string | null;
  /** the letter's date */
  date?: LocalDate | null;
  applicant: string | null;
  received?: LocalDate | null;
  procedure: string | null;
  code: string;
  /** the appointment date on the receipt */
  originalDue: LocalDate;
  reason?: string | null;
  newDue?: LocalDate | null;
  signer?: string | null;
  signerTitle?: string | null;
  /** the desk that received the dossier, named in the body and under "Nơi nhận" */
  oneStopDesk?: string | null;
};

/** Where the one-stop desk of a unit's kind is named: the province's, a commune's, a district's (before 1/7/2025). */
export type DeskLevel = 'tinh' | 'xa' | 'huyen';

/** What a deployment fixes once for all its letters (settings NHACVIEC_LETTER_*, NHACVIEC_APOLOGY_*). */
export type LetterHeader = {
  parentAgency?: string;
  place?: string;
  /** one desk for every letter (overridden per level by `desks`) */
  oneStopDesk?: string;
  desks?: Partial<Record<DeskLevel, string>>;
  form?: ApologyForm;
  /** the template file; default the form's file in templates/ */
  templateFile?: string;
};

const SECTION_NAMES = ['mau-so', 'co-quan', 'quoc-hieu', 'tieu-de', 'kinh-gui', 'noi-dung', 'noi-nhan', 'ky-ten'] as const;
type SectionName = (typeof SECTION_NAMES)[number];
export type LetterSections = Record<SectionName, string[]>;

export const PLACEHOLDERS = [
  'co_quan_chu_quan',
  'co_quan',
  'co_quan_in_hoa',
  'so',
  'dia_danh',
  'ngay_lap',
  'nguoi_nop',
  'ngay_tiep_nhan',
  'thu_tuc',
  'ma_ho_so',
  'ngay_hen_cu',
  'ly_do',
  'ngay_hen_moi',
  'nguoi_ky',
  'chuc_vu_ky',
  'bo_phan_mot_cua',
] as const;
type Placeholder = (typeof PLACEHOLDERS)[number];

/** A template read and checked once: its sections (placeholders unfilled), the letter's name, its file stem. */
export type LetterTemplate = {
  sections: LetterSections;
  /** "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết": the title in sentence case */
  name: string;
  /** "van-ban-xin-loi": the title before "VÀ", for file names */
  fileStem: string;
};

export class LetterTemplateError extends Error {}

const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;

/** Splits and checks a template; a LetterTemplateError says in Vietnamese what is wrong and where. */
export function parseLetterTemplate(text: string, source = 'mẫu văn bản xin lỗi'): LetterTemplate {
  const sections = Object.fromEntries(SECTION_NAMES.map((n) => [n, [] as string[]])) as LetterSections;
  const problems: string[] = [];
  let current: SectionName | null = null;
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      if (raw.trimStart().startsWith('#')) return;
      const header = /^\s*\[([^\]]*)\]\s*$/.exec(raw);
      if (header) {
        const name = header[1]!.trim();
        if ((SECTION_NAMES as readonly string[]).includes(name)) current = name as SectionName;
        else problems.push(`dòng ${i + 1}: không có mục [${name}] (các mục: ${SECTION_NAMES.map((n) => `[${n}]`).join(', ')})`);
        return;
      }
      for (const m of raw.matchAll(PLACEHOLDER)) {
        if (!(PLACEHOLDERS as readonly string[]).includes(m[1]!)) problems.push(`dòng ${i + 1}: không có chỗ trống {{${m[1]}}}`);
      }
      if (current) sections[current].push(raw.trimEnd());
      else if (raw.trim()) problems.push(`dòng ${i + 1}: nội dung nằm ngoài mục nào (đặt sau một dòng [tên mục])`);
    });
  for (const name of SECTION_NAMES) sections[name] = trimBlankLines(sections[name]);
  for (const required of ['tieu-de', 'noi-dung'] as const) if (!sections[required].length) problems.push(`thiếu mục [${required}]`);
  if (problems.length) throw new LetterTemplateError(`${source} không dùng được: ${problems.slice(0, 5).join('; ')}`);
  const title = sections['tieu-de'].join(' ').replace(/\s+/g, ' ').trim();
  const lower = title.toLocaleLowerCase('vi');
  const name = lower.charAt(0).toLocaleUpperCase('vi') + lower.slice(1);
  const stem = fold(title.split(/\s+VÀ\s+/i)[0]!).replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return { sections, name, fileStem: stem || 'van-ban-xin-loi' };
}

function trimBlankLines(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && !lines[start]!.trim()) start++;
  while (end > start && !lines[end - 1]!.trim()) end--;
  return lines.slice(start, end);
}

function spelledDate(d: LocalDate | null | undefined): string {
  if (!d) return 'ngày …… tháng …… năm ……';
  const { year, month, day } = dateParts(d);
  return `ngày ${String(day).padStart(2, '0')} tháng ${String(month).padStart(2, '0')} năm ${year}`;
}

const filled = (v: string | null | undefined): string => (v && v.trim() ? v.trim().replace(/\s+/g, ' ') : BLANK);
const dateOrBlank = (d: LocalDate | null | undefined): string => (d ? formatVi(d) : BLANK);

/** The value of each {{placeholder}} for the data. */
export function placeholderValues(data: ApologyLetterData): Record<Placeholder, string> {
  return {
    co_quan_chu_quan: filled(data.parentAgency?.toLocaleUpperCase('vi')),
    co_quan: filled(data.agency),
    co_quan_in_hoa: filled(data.agency?.toLocaleUpperCase('vi')),
    so: filled(data.number),
    dia_danh: filled(data.place),
    ngay_lap: spelledDate(data.date),
    nguoi_nop: filled(data.applicant),
    ngay_tiep_nhan: dateOrBlank(data.received),
    thu_tuc: filled(data.procedure),
    ma_ho_so: filled(data.code),
    ngay_hen_cu: dateOrBlank(data.originalDue),
    ly_do: filled(data.reason?.replace(/[.\s]+$/, '')),
    ngay_hen_moi: dateOrBlank(data.newDue),
    nguoi_ky: filled(data.signer),
    chuc_vu_ky: data.signerTitle?.trim() ? data.signerTitle.trim().toLocaleUpperCase('vi') : 'THỦ TRƯỞNG CƠ QUAN',
    bo_phan_mot_cua: filled(data.oneStopDesk),
  };
}

/** The template's sections with the data filled in. */
export function letterSections(template: LetterTemplate, data: ApologyLetterData): LetterSections {
  const values: Record<string, string> = placeholderValues(data);
  // a blank to fill by hand carries no full stop of its own ("Lý do: …………", not "…………." )
  const fill = (line: string) => line.replace(PLACEHOLDER, (_, name: string) => values[name] ?? BLANK).replaceAll(`${BLANK}.`, BLANK);
  return Object.fromEntries(SECTION_NAMES.map((n) => [n, template.sections[n].map(fill)])) as LetterSections;
}

/** The letter as plain text (for a chat message). */
export function renderApologyText(template: LetterTemplate, data: ApologyLetterData): string {
  const s = letterSections(template, data);
  const blocks = [s['co-quan'], s['quoc-hieu'], s['tieu-de'], s['kinh-gui'], s['noi-dung'], s['noi-nhan'], s['ky-ten']];
  return blocks
    .filter((b) => b.length)
    .map((b) => b.join('\n'))
    .join('\n\n');
}

/** A file name for the letter: <stem>-<code>.docx with only safe characters. */
export function letterFileName(template: Pick<LetterTemplate, 'fileStem'>, code: string): string {
  const plain = code.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
  const safe = plain.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  return `${template.fileStem}-${safe || 'ho-so'}.docx`;
}

// ---------------------------------------------------------------------------------------------------------
// The desk that received the dossier

const LEVEL_OF: Record<UnitKind, DeskLevel> = {
  department: 'tinh',
  province_office: 'tinh',
  province_service_center: 'tinh',
  internal_division: 'tinh',
  other: 'tinh',
  commune: 'xa',
  commune_service_center: 'xa',
  district: 'huyen',
};

/**
 * The desk a unit's dossiers are received at, for the letter. Since the two-tier local government (1/7/2025)
 * a province's dossiers go through its Trung tâm Phục vụ hành chính công (and its branches) and a commune's
 * through the commune's own centre (domain.md §7, from secondary sources); "Bộ phận Tiếp nhận và Trả kết quả"
 * remains the ministry-level name and the districts' before 1/7/2025. A ministry deployment names its desk
 * with NHACVIEC_LETTER_ONE_STOP_DESK; `desks` overrides per level, `oneStopDesk` for all.
 */
export function deskFor(unit: { kind: UnitKind | null; name: string | null } | null, header: Pick<LetterHeader, 'oneStopDesk' | 'desks'> = {}): string {
  const level = LEVEL_OF[unit?.kind ?? 'other'];
  const configured = header.desks?.[level]?.trim() || header.oneStopDesk?.trim();
  if (configured) return configured;
  if (level === 'huyen') return 'Bộ phận Tiếp nhận và Trả kết quả cấp huyện';
  if (level === 'tinh') return 'Trung tâm Phục vụ hành chính công tỉnh';
  if (unit?.kind === 'commune_service_center' && unit.name) return unit.name;
  // "UBND xã Long Trì" → "Trung tâm Phục vụ hành chính công xã Long Trì"
  const place = /^(?:ủy ban nhân dân|uỷ ban nhân dân|ubnd)\s+((?:xã|phường|đặc khu|thị trấn)\s+.+)$/iu.exec(unit?.name?.trim() ?? '');
  return place ? `Trung tâm Phục vụ hành chính công ${place[1]}` : 'Trung tâm Phục vụ hành chính công cấp xã';
}

/** What a letter needs of a dossier. */
export type LetterDossier = {
  code: string;
  applicant: string;
  procedure: string;
  received?: LocalDate | null;
  due: LocalDate;
  originalDue?: LocalDate | null;
  unitName: string | null;
  unitKind?: UnitKind | null;
  apologized: boolean;
  apologyReason?: string | null;
};

/** The letter's data from a dossier: before an apology the new date and the reason are blanks to fill by hand. */
export function dossierLetterData(d: LetterDossier, header: LetterHeader = {}, extra: Pick<ApologyLetterData, 'date'> = {}): ApologyLetterData {
  return {
    ...extra,
    ...(header.parentAgency ? { parentAgency: header.parentAgency } : {}),
    ...(header.place ? { place: header.place } : {}),
    oneStopDesk: deskFor({ kind: d.unitKind ?? null, name: d.unitName }, header),
    agency: d.unitName,
    applicant: d.applicant,
    received: d.received ?? null,
    procedure: d.procedure,
    code: d.code,
    originalDue: d.apologized ? (d.originalDue ?? d.due) : d.due,
    newDue: d.apologized ? d.due : null,
    reason: d.apologized ? (d.apologyReason ?? null) : null,
  };
}
