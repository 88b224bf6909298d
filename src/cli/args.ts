import type { CliCommand } from './io.ts';
import { UsageError } from './io.ts';

export function parseYear(value: string | undefined): number {
  if (!value) throw new UsageError('Thiếu --year NĂM (năm của kế hoạch), ví dụ --year 2024');
  if (!/^\d{4}$/.test(value) || Number(value) < 2000 || Number(value) > 2100) throw new UsageError(`--year "${value}" không hợp lệ; cần năm 4 chữ số, ví dụ 2024`);
  return Number(value);
}

/**
 * node:util parseArgs's errors (English, with an ERR_PARSE_ARGS_* code) in Vietnamese, with the command's usage;
 * null for any other error.
 */
export function optionError(error: unknown, name: string | undefined, command: CliCommand | undefined): string | null {
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  if (!code.startsWith('ERR_PARSE_ARGS')) return null;
  const message = error instanceof Error ? error.message : '';
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? '';
  const flag = /--?[\w-]+/.exec(quoted)?.[0] ?? quoted;
  const what = name ? `lệnh ${name}` : 'lệnh này';
  let text: string;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    text = `Không có tùy chọn ${flag} cho ${what}. Nếu đó là nội dung bắt đầu bằng dấu "-" (như một dòng gạch đầu dòng), hãy đặt nó sau "--", ví dụ: nhacviec ${name ?? '<lệnh>'} ... -- "${quoted}"`;
  } else if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    text = /does not take an argument/.test(message) ? `Tùy chọn ${flag} không nhận giá trị.` : `Tùy chọn ${flag} cần một giá trị (ví dụ ${flag} ...); giá trị bắt đầu bằng "-" thì viết ${flag}=-...`;
  } else if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    text = `${what[0]!.toUpperCase()}${what.slice(1)} không nhận tham số "${quoted}".`;
  } else {
    text = `Tùy chọn không hợp lệ cho ${what}.`;
  }
  return `${text}\nCách dùng: nhacviec ${command?.usage ?? '<lệnh> ...'}\nXem hướng dẫn: nhacviec help ${name ?? ''}`.trimEnd();
}
