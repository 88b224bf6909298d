import 'dotenv/config';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createApp, type App } from './app.ts';
import { processSettings, SettingsError } from './config.ts';
import { formatInstantVi, parseInstant } from './core/time.ts';
import { ensureExamplePlan, EXAMPLE } from './example.ts';
import { createLogger } from './log.ts';
import { runRound } from './reminders.ts';
import { startSchedule } from './scheduler.ts';
import { Sender } from './sender.ts';
import { ConsoleTransport } from './transports/console.ts';
import type { Transport } from './transports/transport.ts';
import { chatTransports, type RunningTransports } from './chats.ts';
import { notifyAdmins } from './store/admin-notices.ts';
import { startHealthServer } from './health.ts';
import { parseDatabaseUrl } from './db/target.ts';
import { keepClaimCode, type ClaimKeeper } from './claim-code.ts';
import { commandOf } from '../commands/index.ts';
import { groupOf } from './store/groups.ts';
import { statusLine } from './status-line.ts';

/**
 * The console chat's own files: its logs (its terminal is the chat) and the files the bot attaches, beside the
 * SQLite database (data/ by default; /data in the container), else in ./data.
 */
function consoleFiles(databaseUrl: string): { log: string; files: string } {
  const target = parseDatabaseUrl(databaseUrl);
  const dir = target.provider === 'sqlite' && target.file !== ':memory:' ? path.dirname(target.file) : path.resolve('data');
  return { log: path.join(dir, 'nhacviec.log'), files: path.join(dir, 'files') };
}
const shown = (file: string) => (path.relative(process.cwd(), file).startsWith('..') ? file : path.relative(process.cwd(), file));

/**
 * npm start: the bot. With no chat credentials it opens the console chat on the embedded database with the
 * example plan. Rounds run on the cron schedule in the plan's time zone and once at start (catch-up).
 */
async function main(): Promise<number> {
  const { values } = parseArgs({ options: { now: { type: 'string' } }, allowPositionals: false });
  let settings;
  try {
    settings = processSettings();
  } catch (error) {
    if (error instanceof SettingsError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const consoleMode = !settings.telegram && !settings.zalo && !settings.zaloBot;
  if (settings.zalo && !fs.existsSync(settings.zalo.credentialsFile)) {
    // without its login the Zalo transport would wait for the file forever
    process.stderr.write(
      `Chưa có tệp đăng nhập Zalo ${path.resolve(settings.zalo.credentialsFile)} (ZALO_CREDENTIALS_FILE). Đăng nhập tài khoản Zalo của bot trước, trên chính máy chủ này: npm run -s cli -- zalo login\n`,
    );
    return 1;
  }
  const local = consoleFiles(settings.databaseUrl);
  const log = consoleMode ? createLogger(settings.logLevel, local.log) : createLogger(settings.logLevel);
  let clock: (() => Date) | undefined;
  let clockSetAt: Date | undefined;
  if (values.now) {
    const start = parseInstant(values.now, settings.timezone);
    if (!start) {
      process.stderr.write(`--now "${values.now}" không phải thời điểm hợp lệ; ví dụ: --now 2023-02-13T08:00\n`);
      return 1;
    }
    // The clock starts at --now and runs on, so scheduled rounds still see time pass.
    const offset = start.getTime() - Date.now();
    clockSetAt = start;
    clock = () => new Date(Date.now() + offset);
  }
  const app = await createApp(settings, { log, clock, consoleMode, clockSetAt });
  let chat: RunningTransports;
  if (consoleMode) {
    if (await ensureExamplePlan(app)) log.info('example plan loaded');
    const consoleTransport = new ConsoleTransport(process.stdout, process.stdin, { filesDir: local.files });
    chat = { transports: new Map<string, Transport>([['console', consoleTransport]]), stop: () => consoleTransport.stop() };
  } else {
    chat = await chatTransports(app);
  }
  try {
    return await run(app, chat, consoleMode ? local : null, Boolean(values.now));
  } catch (error) {
    // a transport that cannot start (a wrong token) says why in Vietnamese
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    await chat.stop().catch(() => {});
    await app.close();
    return 1;
  }
}

async function run(app: App, chat: RunningTransports, consoleFiles: { log: string; files: string } | null, fixedStart: boolean): Promise<number> {
  const consoleMode = consoleFiles !== null;
  const { transports } = chat;
  const sender = new Sender({
    prisma: app.db.prisma,
    transports,
    clock: app.clock,
    holder: app.holder,
    log: app.log,
    onChatGone: async (gone, error) => {
      // only groups are reported: a private chat of an administrator that is gone must not ping-pong
      if (!(await groupOf(app.db.prisma, gone))) return;
      const text = `⚠️ Bot không gửi được vào nhóm ${gone} (${error}); nhóm đã được tắt. Thêm lại bot vào nhóm rồi gõ /bind <đơn vị> để bật lại.`;
      await notifyAdmins(app.db.prisma, app.settings.admins, text, app.clock());
    },
  });
  if (consoleMode) {
    // the banner comes before the console's prompt
    process.stdout.write(
      [
        '',
        '🤖 Nhắc việc — chế độ thử nghiệm trên cửa sổ dòng lệnh.',
        `Kế hoạch mẫu: ${EXAMPLE.name}. Đồng hồ của bot: ${formatInstantVi(app.clock(), app.settings.timezone)}.`,
        ...(fixedStart ? [] : ['Kế hoạch mẫu là của năm 2023: chạy "npm start -- --now 2023-02-13T08:00" để xem nhắc việc của nó.']),
        'Gõ /help để xem các lệnh; "#<số> xong" để trả lời tin nhắn số <số>; /nhap <đường dẫn> để gửi một tệp kế hoạch; Ctrl-C để thoát.',
        `Nhật ký (log) ghi vào ${shown(consoleFiles.log)}; tệp bot gửi kèm được lưu trong ${shown(consoleFiles.files)}/.`,
        '',
      ].join('\n'),
    );
  }
  // the claim code is only ever printed here, on the server's stdout: never in a chat (src/claim-code.ts)
  let claims: ClaimKeeper | null = null;
  const quantri = commandOf('/quantri');
  const handle = async (message: Parameters<App['handle']>[0]) => {
    const reply = await app.handle(message);
    // a wrong try, a group or a claim may have ended the code: the next one is on the screen at once
    if (claims && !message.file && commandOf(message.text) === quantri) void claims.check();
    return reply;
  };
  for (const t of transports.values()) await t.start(handle);
  if (!consoleMode) {
    process.stdout.write(`${statusLine(app, transports.values())}\n`);
    const platform = [...transports.keys()][0] ?? 'telegram';
    claims = keepClaimCode({ prisma: app.db.prisma, admins: app.settings.admins, holder: app.holder, clock: app.clock, log: app.log }, (claim, replaces) => {
      app.log.warn(
        { expiresAt: claim.expiresAt.toISOString() },
        replaces ? 'no administrator yet and the last claim code died: a new one printed on stdout' : 'no administrator yet: one-time claim code printed on stdout',
      );
      const why = replaces ? 'Mã nhận quyền quản trị trước đã hết hiệu lực (gõ sai nhiều lần, gõ trong nhóm hoặc hết hạn); đây là mã mới. ' : '';
      process.stdout.write(
        `${why}Chưa có quản trị viên. Người quản trị nhắn riêng cho bot: /quantri ${claim.code} (mã dùng một lần, hết hạn lúc ${formatInstantVi(claim.expiresAt, app.settings.timezone)}); hoặc chạy: npm run -s cli -- admin add ${platform}:<mã người dùng>\n`,
      );
    });
    await claims.check();
  }
  const tick = async () => {
    await runRound(app.roundDeps, app.clock());
    await sender.drain();
  };
  // a stop asked for during the start-up round ends its sending after the message in flight, then stops below
  let stopAsked = false;
  let onStop = () => {
    stopAsked = true;
    void sender.stop();
  };
  process.once('SIGINT', () => onStop());
  process.once('SIGTERM', () => onStop());
  if (consoleMode) process.stdin.once('end', () => onStop());
  await tick().catch((error) => app.log.error({ err: String(error) }, 'start-up round failed'));
  if (!stopAsked) sender.start();
  const schedule = startSchedule(app.settings.roundCron, app.settings.timezone, tick, app.log);
  const health = app.settings.httpPort ? await startHealthServer(app, transports, app.settings.httpPort, app.settings.listenHost, app.settings.healthToken) : null;

  return new Promise((resolve) => {
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      await schedule.stop();
      await claims?.stop();
      await new Promise((r) => (health ? health.close(r) : r(undefined)));
      await sender.stop();
      await chat.stop();
      await app.close();
      resolve(0);
    };
    onStop = () => void stop();
    if (stopAsked) void stop();
  });
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`Lỗi không mong đợi: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
