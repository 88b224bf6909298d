import type { LocalDate } from './dates.ts';
import { readDossierStatus } from './dossier-status.ts';
import { localDateOf } from './time.ts';

/**
 * Dossier figures per unit and month: results returned early, on time, late (against the first appointment
 * date: an apology does not make a late result on time), apologies sent, and dossiers still being processed.
 * Pure; what happened after `at` does not count.
 *
 * A dossier an export says was returned but gives no return date for ("Đã trả kết quả" without a date
 * column) is still counted, in the month the bot recorded the return (`recordedAt`, no earlier than the
 * return itself): as late or on time when the export's words say which ("Đã trả kết quả quá hạn"), else as
 * returned with no known date (`returned_undated`), never guessed into on time or late.
 */

export type DossierFact = {
  unitName: string;
  due: LocalDate;
  originalDue: LocalDate | null;
  returnedOn: LocalDate | null;
  apologyAt: Date | null;
  /** 'returned' for a dossier closed as returned (with or without `returnedOn`) */
  status?: string;
  /** the export's status words ("Đã trả kết quả quá hạn") */
  statusText?: string | null;
  /** when the bot recorded the return (the import or command that closed it) */
  recordedAt?: Date | null;
};

export type DossierFigures = {
  unit: string;
  /** 'YYYY-MM' of the return (or of the apology, for the apology count) */
  month: string;
  returned_early: number;
  returned_on_time: number;
  returned_late: number;
  /** returned, the export giving neither the date nor whether it was late (counted in the month recorded) */
  returned_undated: number;
  apologies: number;
};

export function dossierFigures(facts: DossierFact[], at: Date, zone: string): DossierFigures[] {
  const today = localDateOf(at, zone);
  const rows = new Map<string, DossierFigures>();
  const row = (unit: string, month: string) => {
    const key = `${unit}|${month}`;
    let r = rows.get(key);
    if (!r) {
      r = { unit, month, returned_early: 0, returned_on_time: 0, returned_late: 0, returned_undated: 0, apologies: 0 };
      rows.set(key, r);
    }
    return r;
  };
  for (const f of facts) {
    const unit = f.unitName || '(chưa rõ đơn vị)';
    if (f.returnedOn && f.returnedOn <= today) {
      const promised = f.originalDue ?? f.due;
      const r = row(unit, f.returnedOn.slice(0, 7));
      if (f.returnedOn < promised) r.returned_early++;
      else if (f.returnedOn === promised) r.returned_on_time++;
      else r.returned_late++;
    } else if (!f.returnedOn && f.status === 'returned' && f.recordedAt && f.recordedAt <= at) {
      const r = row(unit, localDateOf(f.recordedAt, zone).slice(0, 7));
      const late = f.statusText ? readDossierStatus(f.statusText)?.late : null;
      if (late === true) r.returned_late++;
      else if (late === false) r.returned_on_time++;
      else r.returned_undated++;
    }
    if (f.apologyAt && f.apologyAt <= at) row(unit, localDateOf(f.apologyAt, zone).slice(0, 7)).apologies++;
  }
  return [...rows.values()].sort((a, b) => a.month.localeCompare(b.month) || a.unit.localeCompare(b.unit, 'vi'));
}

export function dossierFiguresText(figures: DossierFigures[]): string {
  if (!figures.length) return '';
  const lines = ['', '📁 Hồ sơ TTHC (theo tháng trả kết quả): trước hạn / đúng hạn / quá hạn · văn bản xin lỗi'];
  for (const f of figures) {
    const [y, m] = f.month.split('-');
    const undated = f.returned_undated ? ` · ${f.returned_undated} đã trả, không rõ ngày trả` : '';
    lines.push(`• ${m}/${y} ${f.unit}: ${f.returned_early} / ${f.returned_on_time} / ${f.returned_late} · ${f.apologies}${undated}`);
  }
  return lines.join('\n');
}
