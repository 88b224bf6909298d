import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureExamplePlan } from '../src/example.ts';
import { commandOf } from '../commands/index.ts';
import { harness, type Harness } from './helpers/app.ts';
import { tempSqliteUrl } from './helpers/db.ts';
import { dbSnapshot } from './helpers/snapshot.ts';
import { fold } from '../src/core/text.ts';
import type { Reply } from '../src/transports/transport.ts';
import { prng as mulberry32 } from './helpers/random.ts';

// 10,000 random chat messages (seeded, reproducible): nothing throws, every answer has text, every command
// gets a Vietnamese answer, no command hides a crash behind the polite error reply, and the database is
// unchanged at the end (the administrator only gets read-only commands with random arguments; the stranger,
// who may change nothing, gets every command). A stranger in a private chat gets every fourth message too:
// always an answer, never a unit, a figure or a file.

const SEED = Number(process.env.FUZZ_SEED ?? 20230315);
const COUNT = 10_000;
const VIETNAMESE = /[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]/i;
const CRASH = 'đã có lỗi khi xử lý';
/** the command grammar of commands/index.ts: what the bot must always answer */
const LONE_SURROGATE = /\p{Cs}/u;
const COMMAND = /^\/([A-Za-z_]+)(?:@(\w+))?(?:\s+([\s\S]*))?$/;

const READ_ONLY = ['overdue', 'quahan', 'upcoming', 'saptoi', 'task', 'nv', 'list', 'ds', 'report', 'baocao', 'help', 'huongdan', 'start'];
const WRITING = ['done', 'xong', 'undo', 'hoantac', 'event', 'sukien', 'hoso', 'hs', 'xinloi', 'xl', 'henlai', 'bind', 'gannhom', 'officer', 'canbo', 'setdeadline', 'datthoihan', 'pause', 'tamdung', 'resume', 'tieptuc'];
const CODES = ['1.1.1', '1.1.6', '2.1.3', '1.2.1', '5.1.1', '6.1.1', 'III.2.', 'III.2', '3.I.2', 'I.1.1', '0.0', '0', '.', '..', '1..1', '99999999999999999999', '2023:1.1.1', '2024:1.1.1', '9999:1.1', '1.1.1.1.1.1.1', 'IIII.2', 'MMXXIII', '-1.2', '1,1,1', '１.１.１', 'H12-0001', 'H12-0002'];
const DATES = ['32/13/2023', '31/02/2023', '29/02/2023', '29/02/2024', '00/00/0000', '15/03/2023', '14/03/2023', '01/01/2023', '15/3', '2023-03-14', '2023-13-01', 'hôm qua', 'hôm nay', 'homqua', 'today', 'ngày mai', '1/1/99', '15-03-2023', '15.03.2023', '9999/99/99', '-1/-1/-1'];
const WORDS = (
  'xong đã hoàn thành nhiệm vụ báo cáo quý I năm 2023 Văn phòng HĐND và UBND huyện Phòng Tư pháp UBND xã Long Trì ' +
  'thị trấn Tầm Vu cán bộ đầu mối hồ sơ hẹn trả phiếu xin lỗi trễ hạn quá hạn sắp tới thường xuyên hằng tháng ' +
  'Trước ngày 15/9/2023 Quý III/2023 Ngày 05 hằng tháng kể từ ngày tiếp nhận add remove them xoa tra datra quy q1 q2 nam ' +
  'xlsx bieudo excel van phong ubnd xa phong tu phap ' +
  'Nguyễn Văn A Trần Thị B đơn vị kế hoạch kiểm soát thủ tục hành chính một cửa'
).split(' ');
const SQLISH = ["' OR 1=1 --", '"; DROP TABLE Task; --', '%', '_', '%%', '%_%', '\\', '\\%', "'; DELETE FROM Occurrence; --", 'NULL', 'null', 'undefined', '${1}', '$1', '?', '*', '[object Object]', '__proto__', 'constructor', '1e309', 'NaN', '-0'];
const USERS = ['42', 'console:42', '@abc', 'telegram:1', 'zalo:x.y', '@@@', 'a b', '💥', 'console:stranger'];
const SPECIAL = ['\u200b', '\u200c', '\u200d', '\ufeff', '\u202e', '\u202d', '\u2066', '\u00a0', '\u3000', '\u0000', '\u0007', '\u001b[31m', '\r', '\n', '\t', '\u0301', '\u0323', '\ud800', '\udfff', '👍', '🇻🇳', '👨‍👩‍👧', 'שלום', 'مرحبا', '中文', 'ǅ', 'İ', 'ß', 'ﬃ'];

const VI_LETTERS = [...'àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĐƯƠ'];
const NAME_LETTERS = [...'abcdefghijklmnopqrstuvwxyzABCXYZ_'];

function maker(rand: () => number) {
  const int = (n: number) => Math.floor(rand() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const randomChar = (): string => {
    const r = rand();
    if (r < 0.3) return String.fromCharCode(32 + int(95));
    if (r < 0.5) return pick(VI_LETTERS);
    if (r < 0.7) return pick(SPECIAL);
    if (r < 0.8) return String.fromCodePoint(0x1f300 + int(0x300)); // emoji
    if (r < 0.9) return String.fromCharCode(int(0x20)); // control
    return String.fromCodePoint(int(0x10ffff + 1 - 0x800) + (rand() < 0.5 ? 0 : 0x800)); // anything, lone surrogates included
  };
  const junk = (n: number) => Array.from({ length: n }, randomChar).join('');
  const arg = (): string => {
    const r = rand();
    if (r < 0.25) return pick(CODES);
    if (r < 0.4) return pick(DATES);
    if (r < 0.6) return pick(WORDS);
    if (r < 0.7) return pick(SQLISH);
    if (r < 0.75) return pick(USERS);
    if (r < 0.85) return String(int(1000));
    return junk(1 + int(6));
  };
  const name = (names: string[]): string => {
    const r = rand();
    let n: string;
    if (r < 0.8) n = pick(names);
    else n = Array.from({ length: 1 + int(12) }, () => pick(NAME_LETTERS)).join('');
    if (rand() < 0.1) n = n.toUpperCase();
    if (rand() < 0.05) n += `@${pick(['nhacviec_bot', 'other_bot', 'x'])}`;
    return n;
  };
  const command = (names: string[]): string => {
    const args = Array.from({ length: int(5) }, arg);
    const sep = () => pick([' ', ' ', ' ', '  ', '\t', '\u00a0', '\n']);
    return `/${name(names)}${args.length ? sep() + args.join(sep()) : ''}`;
  };
  /** one message; `names` are the command names that may get random arguments */
  return (names: string[]): string => {
    const r = rand();
    if (r < 0.3) return junk(int(40));
    if (r < 0.6) return command(names);
    if (r < 0.75) return Array.from({ length: 1 + int(12) }, () => pick(WORDS)).join(' ');
    if (r < 0.8) return `${pick(['#', '#0 ', '#1 ', `#${int(100)} `, '#99999999999999999999 '])}${pick(['xong', 'Đã xong.', 'ok xong', 'hoàn thành', arg()])}`;
    if (r < 0.85) return pick([...CODES, ...DATES, ...SQLISH]);
    if (r < 0.9) return `/${pick(['', ' ', '/', '123', 'đã', 'xóng', 'done1.1.1', 'task-1', '日本'])}${rand() < 0.5 ? ` ${arg()}` : ''}`;
    if (r < 0.905) {
      // very long (10k characters): a command or plain text
      const body = rand() < 0.5 ? junk(10_000) : Array.from({ length: 2_000 }, () => pick(WORDS)).join(' ').slice(0, 10_000);
      return rand() < 0.6 ? `/${pick(names)} ${body}` : body;
    }
    return `${pick(WORDS)} ${pick(CODES)} ${pick(DATES)} ${pick(SQLISH)}`;
  };
}

let h: Harness;
let s: Harness;

const STRANGER = 'telegram:777';
let unitNames: string[] = [];
let helpText = '';
/**
 * What a reply to a stranger in a private chat gives away of the plan: unit names (or aliases), and any
 * digit besides their own id, except the static examples ("3.2") of /help and of the grammar hint.
 */
function strangerLeaks(reply: Reply): string[] {
  const found: string[] = [];
  if (reply.attachment) found.push(`file ${reply.attachment.fileName}`);
  const folded = fold(reply.text);
  for (const n of unitNames) if (folded.includes(n)) found.push(n);
  const rest = reply.text.replaceAll(STRANGER, '');
  const examples = reply.text === helpText || rest.startsWith('Không hiểu lệnh này.');
  if (!examples && /\d/.test(rest)) found.push(`digits: ${rest.match(/.{0,30}\d.{0,30}/s)![0]}`);
  return found;
}

const snapshot = () => dbSnapshot(h.app.db.prisma);

beforeAll(async () => {
  const url = tempSqliteUrl();
  h = await harness(url);
  expect(await ensureExamplePlan(h.app)).toBe(true);
  s = await harness(url, { consoleUser: 'console:stranger' });
  h.at('2023-03-15T09:00');
  s.at('2023-03-15T09:00');
  // something for /hoso and /xinloi to find
  expect(await h.say('/hoso H12-0001 20/03/2023 Cấp giấy khai sinh; Nguyễn Văn A')).toContain('✅ Đã đăng ký hồ sơ H12-0001');
  const units = await h.app.db.prisma.unit.findMany({ select: { name: true, aliases: { select: { alias: true } } } });
  unitNames = units.flatMap((u) => [u.name, ...u.aliases.map((a) => a.alias)]).map(fold).filter((n) => n.length > 3);
  helpText = (await dm('/help'))!.text;
});
let dmNo = 0;
/** the stranger writes to the bot in a private chat */
const dm = (text: string) => h.app.handle({ chat: STRANGER, user: STRANGER, userName: 'Người lạ', messageId: `dm${++dmNo}`, text, direct: true });

afterAll(async () => {
  await s?.close();
  await h?.close();
});

describe(`fuzz: ${COUNT} random chat messages (seed ${SEED})`, () => {
  it('never throws, always answers a command in Vietnamese, never crashes inside, changes nothing', { timeout: 120_000 }, async () => {
    const before = await snapshot();
    const next = maker(mulberry32(SEED));
    const failures: string[] = [];
    const strangerEvents: string[] = [];
    const surrogateCrashes: string[] = [];
    const slashIgnored = new Set<string>();
    const leaked: string[] = [];
    let strangerAnswers = 0;
    let commands = 0;
    let answered = 0;
    const started = Date.now();
    for (let i = 0; i < COUNT; i++) {
      const text = next(i % 2 === 0 ? READ_ONLY : [...READ_ONLY, ...WRITING]);
      // the administrator sends only what reads: a random text that still invokes a writing command
      // ("/done1.1.1", "/xóng 2.1") goes to the stranger, who may change nothing
      const invoked = commandOf(text);
      const admin = i % 2 === 0 && !(invoked && !READ_ONLY.includes(invoked.name));
      const who = admin ? h : s;
      const show = JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…(${text.length})` : text);
      let reply: string | null;
      try {
        reply = await who.say(text);
      } catch (error) {
        failures.push(`#${i} ${show}: threw ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      if (reply !== null) {
        answered++;
        if (!reply.trim()) failures.push(`#${i} ${show}: empty reply`);
        if (reply.includes(CRASH)) {
          // a lone UTF-16 surrogate once made Prisma fail ("unexpected end of hex escape"): kept apart in the report
          if (LONE_SURROGATE.test(text)) surrogateCrashes.push(text);
          else failures.push(`#${i} ${show}: a command failed inside (${reply})`);
        }
        // regression: a non-officer once could report an event (commands/event.ts)
        if (!admin && reply.startsWith('📌 Đã ghi nhận sự kiện')) strangerEvents.push(text);
      }
      // the same text from a stranger in a private chat: always an answer, never anything of the plan
      if (i % 4 === 1) {
        try {
          const answer = await dm(text);
          if (answer === null) {
            if (text.trim()) failures.push(`#${i} ${show}: the stranger got no answer in a private chat`);
          } else {
            strangerAnswers++;
            const found = strangerLeaks(answer);
            if (found.length) leaked.push(`#${i} ${show}: ${found.join(', ')} in ${JSON.stringify(answer.text.slice(0, 200))}`);
          }
        } catch (error) {
          failures.push(`#${i} ${show}: threw to the stranger ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      const line = text.trim();
      if (line.startsWith('#')) continue; // the console reads "#12 …" as a reply to message 12
      if (COMMAND.test(line.trim())) {
        commands++;
        if (reply === null) failures.push(`#${i} ${show}: a command got no answer`);
        else if (!VIETNAMESE.test(reply)) failures.push(`#${i} ${show}: answer not Vietnamese: ${JSON.stringify(reply.slice(0, 200))}`);
      } else if (line.startsWith('/') && reply === null) {
        slashIgnored.add(line.split(/\s/)[0]!.slice(0, 20));
      }
    }
    const elapsed = Date.now() - started;
    console.info(
      `fuzz seed ${SEED}: ${COUNT} messages, ${commands} commands, ${answered} answers, ${elapsed} ms; ` +
        `"/…" not in the command grammar, left unanswered: ${[...slashIgnored].slice(0, 12).map((x) => JSON.stringify(x)).join(' ')}; ` +
        `events reported by the stranger: ${strangerEvents.length}; answers to the stranger in a private chat: ${strangerAnswers}, leaking: ${leaked.length}; ` +
        `failures inside on a lone surrogate: ${surrogateCrashes.length} ${surrogateCrashes.slice(0, 3).map((x) => JSON.stringify(x.slice(0, 40))).join(' ')}`,
    );
    expect(failures.slice(0, 20)).toEqual([]);
    expect(leaked.slice(0, 20)).toEqual([]);
    expect(strangerAnswers).toBeGreaterThan(COUNT / 5);
    expect(commands).toBeGreaterThan(2_500);

    // nothing changed: the stranger may change nothing, the administrator only read
    expect(strangerEvents).toEqual([]);
    expect(surrogateCrashes).toEqual([]);
    const after = await snapshot();
    expect(after).toEqual(before);
    expect(after.occurrences.filter((o) => o.status !== 'open')).toEqual([]);
  });
});
