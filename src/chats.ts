import path from 'node:path';
import type { App } from './app.ts';
import { groupChats, moveChat } from './store/groups.ts';
import { releaseLease, tryLease } from './store/state.ts';
import { notifyAdmins } from './store/admin-notices.ts';
import { botMembership, type MembershipDeps } from './membership.ts';
import { TelegramTransport, type TelegramOptions } from './transports/telegram.ts';
import type { Transport } from './transports/transport.ts';
import { ZaloTransport } from './transports/zalo.ts';
import { ZaloBotTransport } from './transports/zalo-bot.ts';

export type RunningTransports = { transports: Map<string, Transport>; stop(): Promise<void> };

const ZALO_LEASE_MS = 2 * 60_000;

/**
 * The wiring of the chat platforms to the app: the transports themselves know nothing of the database. What
 * a platform tells about its chats (the bot added or removed, a group's new id, a Zalo session's trouble)
 * changes the bindings here; leases keep one instance per Zalo account.
 */

/** What the bot's membership changes need of the app. */
const membershipDeps = (app: App): MembershipDeps => ({ prisma: app.db.prisma, admins: app.settings.admins, clock: app.clock });

/** A Telegram transport wired to the app: group migrations and the bot's own membership change the bindings. */
export function telegramTransport(app: App, options: Omit<TelegramOptions, 'log' | 'onMembership' | 'onChatMigrated'>): TelegramTransport {
  return new TelegramTransport({
    ...options,
    log: app.log,
    onMembership: botMembership(membershipDeps(app)),
    onChatMigrated: (oldChat, newChat) => moveChat(app.db.prisma, oldChat, newChat),
  });
}

/**
 * The chat transports the settings ask for. Zalo holds a database lease on its account (its credentials
 * file) while running: a second instance on the same database does not open a second listener, which would
 * kick the first one off Zalo Web.
 */
export async function chatTransports(app: App): Promise<RunningTransports> {
  const { settings, log } = app;
  const prisma = app.db.prisma;
  const transports = new Map<string, Transport>();
  const timers: NodeJS.Timeout[] = [];
  const leases: string[] = [];

  if (settings.telegram) {
    const webhook = settings.telegram.webhookUrl
      ? { url: settings.telegram.webhookUrl, port: settings.telegram.webhookPort, host: settings.listenHost, ...(settings.telegram.webhookPath ? { path: settings.telegram.webhookPath } : {}) }
      : undefined;
    transports.set(
      'telegram',
      telegramTransport(app, {
        token: settings.telegram.token,
        ...(settings.telegram.apiRoot ? { apiRoot: settings.telegram.apiRoot } : {}),
        ...(webhook ? { webhook } : {}),
      }),
    );
  }

  if (settings.zalo) {
    const lease = `zalo:${path.resolve(settings.zalo.credentialsFile)}`;
    if (await tryLease(prisma, lease, app.holder, new Date(), ZALO_LEASE_MS)) {
      leases.push(lease);
      timers.push(setInterval(() => void tryLease(prisma, lease, app.holder, new Date(), ZALO_LEASE_MS).catch(() => {}), ZALO_LEASE_MS / 4));
      const zalo = new ZaloTransport({
        credentialsFile: settings.zalo.credentialsFile,
        log,
        onSessionProblem: (message) => notifyAdmins(prisma, settings.admins, `⚠️ Zalo: ${message}`, app.clock(), (a) => a.startsWith('zalo:')),
        onMembership: botMembership(membershipDeps(app)),
      });
      // a "zalo:<id>" address does not say whether it is a group: the bound groups are, administrators are people
      for (const chat of await groupChats(prisma, 'zalo')) zalo.setThreadKind(chat.slice('zalo:'.length), true);
      for (const admin of settings.admins.filter((a) => a.startsWith('zalo:'))) zalo.setThreadKind(admin.slice('zalo:'.length), false);
      transports.set('zalo', zalo);
    } else {
      log.warn({ lease }, 'another instance holds this Zalo account; not starting the Zalo transport here');
    }
  }

  if (settings.zaloBot) {
    // the official Zalo Bot: direct messages only, addresses "zalobot:<chat id>"
    transports.set('zalobot', new ZaloBotTransport({ ...settings.zaloBot, log }));
  }

  return {
    transports,
    async stop() {
      for (const t of timers) clearInterval(t);
      for (const t of transports.values()) await t.stop();
      for (const lease of leases) await releaseLease(prisma, lease, app.holder).catch(() => {});
    },
  };
}
