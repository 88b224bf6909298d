/** The CLI's help texts, rendered from the commands' own table entries (usage, summary, options, notes). */
import type { CliCommand, CliOption } from './io.ts';

export const GLOBAL_OPTIONS: CliOption[] = [
  ['--json', 'in một tài liệu JSON trên stdout (không kèm chữ nào khác)'],
  ['--db URL', 'dùng cơ sở dữ liệu này thay cho DATABASE_URL, ví dụ --db file:./data/thu.db'],
  ['--help, -h', 'xem hướng dẫn của lệnh'],
];

function optionLines(options: CliOption[]): string[] {
  const width = Math.min(28, Math.max(...options.map(([flag]) => flag.length)));
  return options.map(([flag, meaning]) => `  ${flag.padEnd(width)}  ${meaning}`);
}

/** `nhacviec help`: every command with its summary. */
export function commandList(commands: Record<string, CliCommand>): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  return [
    'nhacviec — công cụ quản trị của bot nhắc việc (chạy: npm run -s cli -- <lệnh> ...)',
    '',
    'Các lệnh:',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary ?? c.usage}`),
    '',
    'Tùy chọn chung:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'Xem hướng dẫn một lệnh: nhacviec help <lệnh> (hoặc nhacviec <lệnh> --help).',
    'Mã thoát: 0 xong; 1 dữ liệu vào sai (lời nhắn tiếng Việt trên stderr); 2 lỗi khác.',
  ].join('\n');
}

/** `nhacviec help <command>`. */
export function commandHelp(name: string, c: CliCommand): string {
  return [
    `nhacviec ${name}${c.summary ? ` — ${c.summary}` : ''}`,
    '',
    'Cách dùng:',
    `  nhacviec ${c.usage}`,
    ...(c.options?.length ? ['', 'Tùy chọn:', ...optionLines(c.options)] : []),
    ...(c.notes?.length ? ['', ...c.notes] : []),
    '',
    'Tùy chọn chung:',
    ...optionLines(GLOBAL_OPTIONS),
  ].join('\n');
}
