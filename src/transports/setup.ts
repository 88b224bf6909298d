import path from 'node:path';
import type { App } from '../app.ts';
import { moveGroup } from '../store/groups.ts';
import { releaseLease, tryLease } from '../store/state.ts';
import { notifyAdmins } from '../store/admin-notices.ts';
import { botMembership } from '../membership.ts';
import { TelegramTransport, type TelegramOptions } from './telegram.ts';
import type { Transport } from './transport.ts';
import { ZaloTransport } from './zalo.ts';

export type RunningTransports = { transports: Map<string, Transport>; stop(): Promise<void> };

const ZALO_LEASE_MS = 2 * 60_000;

/**
 * The chat transports the settings ask for. Zalo holds a database lease on its account (its credentials
 * file) while running: a second instance on the same database does not open a second listener, which would
 * kick the first one off Zalo Web.
 */
/** A Telegram transport wired to the app: group migrations and the bot's own membership change the bindings. */
export function telegramTransport(app: App, options: Omit<TelegramOptions, 'log' | 'onMembership' | 'onChatMigrated'>): TelegramTransport {
  const prisma = app.db.prisma;
  return new TelegramTransport({
    ...options,
    log: app.log,
    onMembership: botMembership(app),
    onChatMigrated: async (oldChat, newChat) => {
      await moveGroup(prisma, oldChat, newChat);
      await prisma.outbox.updateMany({ where: { chat: oldChat, status: 'pending' }, data: { chat: newChat } });
    },
  });
}

export async function chatTransports(app: App): Promise<RunningTransports> {
  const { settings, log } = app;
  const prisma = app.db.prisma;
  const transports = new Map<string, Transport>();
  const timers: NodeJS.Timeout[] = [];
  const leases: string[] = [];

  if (settings.telegram) {
    const webhook = settings.telegram.webhookUrl
      ? { url: settings.telegram.webhookUrl, port: settings.telegram.webhookPort, ...(settings.telegram.webhookPath ? { path: settings.telegram.webhookPath } : {}) }
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
        onMembership: botMembership(app),
      });
      // a "zalo:<id>" address does not say whether it is a group: the bound groups are, administrators are people
      for (const g of await prisma.chatGroup.findMany({ where: { chat: { startsWith: 'zalo:' } }, select: { chat: true } })) {
        zalo.setThreadKind(g.chat.slice('zalo:'.length), true);
      }
      for (const admin of settings.admins.filter((a) => a.startsWith('zalo:'))) zalo.setThreadKind(admin.slice('zalo:'.length), false);
      transports.set('zalo', zalo);
    } else {
      log.warn({ lease }, 'another instance holds this Zalo account; not starting the Zalo transport here');
    }
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
