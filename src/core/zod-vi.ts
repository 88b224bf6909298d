/**
 * zod's messages in Vietnamese. zod's own ("Too big: expected number to be <=65535", "Invalid option",
 * "Unrecognized key") would otherwise reach the administrator; the schemas' own Vietnamese messages (a regex's
 * "dạng HH:MM") keep priority over this map. Installed as zod's global locale when this module loads, so any
 * schema parsed anywhere speaks Vietnamese; `issueLines` formats the issues of one failed parse.
 */
import { z } from 'zod';

type RawIssue = Parameters<z.core.$ZodErrorMap>[0];

const TYPES: Record<string, string> = {
  number: 'một số',
  int: 'một số nguyên',
  string: 'một chuỗi chữ',
  boolean: 'true hoặc false',
  array: 'một danh sách [...]',
  object: 'một đối tượng {...}',
  date: 'một ngày',
  bigint: 'một số nguyên',
  null: 'null',
  undefined: 'không có giá trị',
};

const show = (v: unknown): string => (typeof v === 'string' ? `"${v}"` : String(v));

function limit(issue: RawIssue & { origin?: string; inclusive?: boolean }, bound: number | bigint, big: boolean): string {
  const n = String(bound);
  switch (issue.origin) {
    case 'string':
      return big ? `dài tối đa ${n} ký tự` : `dài ít nhất ${n} ký tự`;
    case 'array':
    case 'set':
      return big ? `có tối đa ${n} phần tử` : `có ít nhất ${n} phần tử`;
    case 'date':
      return big ? `phải trước ${n}` : `phải sau ${n}`;
    default:
      if (big) return issue.inclusive === false ? `phải nhỏ hơn ${n}` : `không được lớn hơn ${n}`;
      return issue.inclusive === false ? `phải lớn hơn ${n}` : `không được nhỏ hơn ${n}`;
  }
}

/** One issue in Vietnamese (without its path). */
export function zodErrorVi(issue: RawIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      const input = issue.input;
      if (typeof input === 'number' && Number.isNaN(input)) return `phải là ${TYPES[issue.expected] ?? issue.expected}`;
      const got = input === undefined ? 'thiếu giá trị' : `nhận được ${Array.isArray(input) ? 'một danh sách' : input !== null && typeof input === 'object' ? 'một đối tượng' : show(input)}`;
      return `phải là ${TYPES[issue.expected] ?? issue.expected} (${got})`;
    }
    case 'too_big':
      return limit(issue, issue.maximum, true);
    case 'too_small':
      return limit(issue, issue.minimum, false);
    case 'invalid_value':
      return issue.values.length === 1 ? `phải là ${show(issue.values[0])}` : `phải là một trong: ${issue.values.map(show).join(', ')}`;
    case 'unrecognized_keys': {
      const known = knownKeys(issue);
      return `không có khóa ${issue.keys.map((k) => `"${k}"`).join(', ')}${known.length ? `; các khóa hợp lệ: ${known.join(', ')}` : ''}`;
    }
    case 'invalid_format':
      if (issue.format === 'url') return 'phải là một địa chỉ URL';
      return 'sai định dạng';
    case 'not_multiple_of':
      return `phải là bội số của ${String(issue.divisor)}`;
    case 'invalid_union': {
      // "a number from 1 to 31, or \"last\"": what each alternative wanted
      const options = (issue.errors ?? []).map((branch) => branch.map((i) => describe(i)).join(', ')).filter(Boolean);
      return options.length ? `phải ${[...new Set(options)].join(', hoặc ')}` : 'giá trị không hợp lệ';
    }
    case 'invalid_key':
      return 'có khóa không hợp lệ';
    case 'invalid_element':
      return 'có phần tử không hợp lệ';
    default:
      return 'giá trị không hợp lệ';
  }
}

/** The keys an object schema knows (the schema that reported unrecognized keys). */
function knownKeys(issue: RawIssue): string[] {
  const shape = (issue.inst as { _zod?: { def?: { shape?: unknown } } } | undefined)?._zod?.def?.shape;
  return shape && typeof shape === 'object' ? Object.keys(shape) : [];
}

/** What a failed alternative of a union wanted, for the union's message ("là một số", "là \"last\""). */
function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return `là ${TYPES[issue.expected] ?? issue.expected}`;
  if (issue.code === 'invalid_value') return issue.values.length === 1 ? `là ${show(issue.values[0])}` : `là một trong: ${issue.values.map(show).join(', ')}`;
  if (issue.code === 'too_big' || issue.code === 'too_small') return `là ${TYPES[issue.origin] ?? 'giá trị'} ${issue.message}`;
  return issue.message.replace(/^phải /, '');
}

z.config({ localeError: zodErrorVi });

/** "a.b[0]" for a path; `root` names the whole value (a setting's name). */
export function pathText(path: readonly PropertyKey[], root?: string): string {
  let out = root ?? '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  return out || '(toàn bộ)';
}

/** The issues of a failed parse, one "- where: what" line each. */
export function issueLines(issues: readonly z.core.$ZodIssue[], root?: string): string[] {
  return issues.map((i) => `- ${pathText(i.path, root)}: ${i.message}`);
}
