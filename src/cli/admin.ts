import { address } from '../config.ts';
import { formatInstantVi } from '../core/time.ts';
import { addAdmin, listAdmins, removeAdmin, type AdminEntry } from '../store/admins.ts';
import { withApp } from './app.ts';
import { UsageError, type CliCommand, type CliOutput } from './io.ts';

const USAGE = 'admin add|remove|list [ID]';
const ID_HELP = 'Mã người dùng dạng telegram:<số> hoặc zalo:<số>; người đó gõ /id khi nhắn riêng với bot để biết mã của mình.';

/** Administrators kept in the database (besides NHACVIEC_ADMINS): effective at once, audited. */
export const admin: CliCommand = {
  usage: USAGE,
  async run(args, env) {
    const [verb, id, ...rest] = args;
    if (verb !== 'add' && verb !== 'remove' && verb !== 'list') throw new UsageError(`Cách dùng: ${USAGE}. ${ID_HELP}`);
    if (rest.length || (verb === 'list' ? id !== undefined : id === undefined)) {
      throw new UsageError(verb === 'list' ? 'Cách dùng: admin list' : `Cách dùng: admin ${verb} <mã người dùng>. ${ID_HELP}`);
    }
    if (id !== undefined && (!address.safeParse(id).success || id.startsWith('console:'))) throw new UsageError(`"${id}" không phải mã người dùng. ${ID_HELP}`);
    return withApp(env, async (app) => {
      const prisma = app.db.prisma;
      const envAdmins = app.settings.admins;
      const actor = { user: 'cli' };
      let said: string;
      if (verb === 'add') {
        const inEnv = envAdmins.includes(id!);
        const outcome = await addAdmin(prisma, id!, actor);
        said = outcome === 'added' ? `Đã thêm quản trị viên ${id} (có hiệu lực ngay, không cần khởi động lại bot).` : `${id} đã là quản trị viên; không thay đổi gì.`;
        if (inEnv && outcome === 'added') said += ' (Người này cũng có trong NHACVIEC_ADMINS.)';
      } else if (verb === 'remove') {
        const removed = await removeAdmin(prisma, id!, actor);
        if (!removed && envAdmins.includes(id!)) throw new UsageError(`${id} là quản trị viên khai trong NHACVIEC_ADMINS (tệp .env): bỏ mã này khỏi biến đó rồi khởi động lại bot.`);
        if (!removed) throw new UsageError(`${id} không phải quản trị viên; không thay đổi gì. Xem danh sách: admin list`);
        said = `Đã bỏ quyền quản trị của ${id}${envAdmins.includes(id!) ? ' trong cơ sở dữ liệu (người này vẫn có trong NHACVIEC_ADMINS)' : ''}.`;
      } else said = '';
      return output(await listAdmins(prisma, envAdmins), said, app.settings.timezone);
    });
  },
};

function output(admins: AdminEntry[], said: string, zone: string): CliOutput {
  const lines = admins.map((a) => `- ${a.id} (${a.source === 'env' ? 'NHACVIEC_ADMINS' : `thêm lúc ${formatInstantVi(a.added!, zone)}`})`);
  const list = admins.length ? `Quản trị viên (${admins.length}):\n${lines.join('\n')}` : 'Chưa có quản trị viên nào. Thêm bằng: admin add telegram:<số>';
  return {
    json: { admins: admins.map((a) => ({ id: a.id, source: a.source, added: a.added?.toISOString() ?? null })) },
    text: said ? `${said}\n${list}` : list,
  };
}
