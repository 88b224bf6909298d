import { UsageError } from './io.ts';

export function parseYear(value: string | undefined): number {
  if (!value) throw new UsageError('Thiếu --year YYYY (năm của kế hoạch), ví dụ --year 2024');
  if (!/^\d{4}$/.test(value) || Number(value) < 2000 || Number(value) > 2100) throw new UsageError(`--year "${value}" không hợp lệ; cần năm 4 chữ số, ví dụ 2024`);
  return Number(value);
}
