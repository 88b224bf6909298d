import type { PrismaClient } from '../../src/db/database.ts';

/** Every row a chat command could change, ordered, to prove that bad input changed nothing. */
export async function dbSnapshot(p: PrismaClient) {
  const byId = { orderBy: { id: 'asc' as const } };
  return {
    occurrences: await p.occurrence.findMany(byId),
    audit: await p.auditLog.findMany(byId),
    groups: await p.chatGroup.findMany(byId),
    officers: await p.officer.findMany(byId),
    admins: await p.admin.findMany(byId),
    events: await p.event.findMany(byId),
    dossiers: await p.dossier.findMany(byId),
    tasks: await p.task.findMany(byId),
    plans: await p.plan.findMany(byId),
  };
}
