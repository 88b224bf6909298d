import type { LocalDate } from './dates.ts';
import { localDateOf } from './time.ts';

/**
 * The Government Office's task-tracking categories for one occurrence (one due date of one unit's task).
 * Ongoing and on-demand assignments have no occurrence: they count as `no_deadline`.
 */
export type Status = 'done_on_time' | 'done_late' | 'open_in_time' | 'open_overdue';
export type ReportStatus = Status | 'no_deadline';

export const STATUS_LABELS: Record<ReportStatus, string> = {
  done_on_time: 'Hoàn thành đúng hạn',
  done_late: 'Hoàn thành quá hạn',
  open_in_time: 'Đang thực hiện trong hạn',
  open_overdue: 'Chưa hoàn thành - quá hạn',
  no_deadline: 'Không có thời hạn',
};

export type OccurrenceState = { due: LocalDate; doneAt: Date | null };

/** Done on or before the due day (local date) is on time, early included; open past the due day is overdue. */
export function statusOf(occ: OccurrenceState, today: LocalDate, zone: string): Status {
  if (occ.doneAt) return localDateOf(occ.doneAt, zone) <= occ.due ? 'done_on_time' : 'done_late';
  return today > occ.due ? 'open_overdue' : 'open_in_time';
}

export type StatusCounts = Record<ReportStatus, number>;
export const emptyCounts = (): StatusCounts => ({
  done_on_time: 0,
  done_late: 0,
  open_in_time: 0,
  open_overdue: 0,
  no_deadline: 0,
});
