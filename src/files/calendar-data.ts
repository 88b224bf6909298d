/**
 * Reads the announced working-day calendars (data/calendar/*.json). The only I/O of the
 * calendar: an administrator adds next year's file, no code change needed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { announcedYearSchema, WorkingCalendar, type AnnouncedYear } from '../core/calendar.ts';

/** <repo>/data/calendar, found from this file rather than from the working directory. */
export const defaultCalendarDir = fileURLToPath(new URL('../../data/calendar/', import.meta.url));

/** The announced years of `dir` (the setting NHACVIEC_CALENDAR_DIR where one is given), default data/calendar. */
export function loadAnnouncedYears(dir: string = defaultCalendarDir): AnnouncedYear[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.toLowerCase().endsWith('.json')).sort();
  } catch (err) {
    throw new Error(`Không đọc được thư mục lịch làm việc ${dir}: ${(err as Error).message}`);
  }
  const years: AnnouncedYear[] = [];
  const fileOfYear = new Map<number, string>();
  for (const name of names) {
    const file = join(dir, name);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`Tệp lịch ${file} không phải JSON hợp lệ: ${(err as Error).message}`);
    }
    const parsed = announcedYearSchema.safeParse(raw);
    if (!parsed.success) {
      const details = parsed.error.issues.map((i) => `${i.path.join('.') || '(gốc)'}: ${i.message}`).join('; ');
      throw new Error(`Tệp lịch ${file} có dữ liệu sai: ${details}`);
    }
    const previous = fileOfYear.get(parsed.data.year);
    if (previous !== undefined) {
      throw new Error(`Tệp lịch ${file} khai báo lại năm ${parsed.data.year} (đã có trong ${previous})`);
    }
    fileOfYear.set(parsed.data.year, file);
    years.push(parsed.data);
  }
  return years.sort((a, b) => a.year - b.year);
}

export function loadCalendar(dir?: string): WorkingCalendar {
  return new WorkingCalendar(loadAnnouncedYears(dir));
}
