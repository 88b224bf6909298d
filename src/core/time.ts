import { DateTime } from 'luxon';
import type { LocalDate } from './dates.ts';

/** The only way the core learns the time: injected (src/app.ts), so any instant can be replayed. */
export type Clock = () => Date;

/** The civil date of an instant in a zone ('YYYY-MM-DD'); the server's own TZ never matters. */
export function localDateOf(instant: Date, zone: string): LocalDate {
  return DateTime.fromJSDate(instant, { zone }).toISODate()!;
}

/** 'HH:MM' of an instant in a zone. */
export function localTimeOf(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat('HH:mm');
}

/** The instant at which a civil date and time happen in a zone. */
export function instantOf(date: LocalDate, time: string, zone: string): Date {
  return DateTime.fromISO(`${date}T${time}`, { zone }).toJSDate();
}

/** 'HH:MM dd/MM/yyyy' in a zone, for messages. */
export function formatInstantVi(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat('HH:mm dd/MM/yyyy');
}

/** Parses an ISO date-time; a value without an offset is read in the zone. Null when invalid. */
export function parseInstant(text: string, zone: string): Date | null {
  const value = DateTime.fromISO(text.trim(), { zone, setZone: true });
  return value.isValid ? value.toJSDate() : null;
}
