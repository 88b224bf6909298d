import type { PrismaClient, Tx } from '../db/database.ts';
import type { WorkingCalendar } from '../core/calendar.ts';
import { duesOf, resolvePolicy, ruleSchema } from '../core/deadline/index.ts';
import { parsePlanPolicy } from '../core/plan-policy.ts';
import { classOf, splitUnits, unitKey, type UnitKind } from '../core/units.ts';
import { claimDossierUnits } from './dossier-units.ts';
import { syncAssignments } from './plan-store.ts';

export type RegistryRow = { name: string; kind: UnitKind; aliases: string[]; leaderChat?: string };

/**
 * Adds or updates units (by folded name) with their kinds and aliases, confirms pending ones,
 * re-expands the unit classes of every task so that new units get their assignments, and gives the
 * dossiers of unknown or pending units to the unit the registry now names (`dossiers`: how many).
 */
export async function importUnits(prisma: PrismaClient, rows: RegistryRow[], calendar: WorkingCalendar): Promise<{ added: number; updated: number; dossiers: number }> {
  let added = 0;
  let updated = 0;
  let dossiers = 0;
  await prisma.$transaction(
    async (tx) => {
      for (const row of rows) {
        const key = unitKey(row.name);
        const old = await tx.unit.findUnique({ where: { key } });
        const unit = old
          ? await tx.unit.update({ where: { id: old.id }, data: { name: row.name, kind: row.kind, status: 'active', ...(row.leaderChat ? { leaderChat: row.leaderChat } : {}) } })
          : await tx.unit.create({ data: { name: row.name, key, kind: row.kind, leaderChat: row.leaderChat ?? null } });
        if (old) updated++;
        else added++;
        for (const alias of row.aliases) {
          const aliasKey = unitKey(alias);
          if (aliasKey && aliasKey !== key) {
            await tx.unitAlias.upsert({ where: { key: aliasKey }, create: { unitId: unit.id, alias, key: aliasKey }, update: { unitId: unit.id, alias } });
          }
        }
      }
      await reexpandClasses(tx, calendar);
      dossiers = await claimDossierUnits(tx);
    },
    { timeout: 300_000 },
  );
  return { added, updated, dossiers };
}

/** What importUnits would do, without writing: the names it would add and those it would update. */
export async function previewUnits(prisma: PrismaClient, rows: RegistryRow[]): Promise<{ added: string[]; updated: string[] }> {
  const known = new Set((await prisma.unit.findMany({ where: { key: { in: rows.map((r) => unitKey(r.name)) } }, select: { key: true } })).map((u) => u.key));
  return {
    added: rows.filter((r) => !known.has(unitKey(r.name))).map((r) => r.name),
    updated: rows.filter((r) => known.has(unitKey(r.name))).map((r) => r.name),
  };
}

/** Gives every unit of a class its own assignment (and occurrences) on the tasks whose cells name the class. */
async function reexpandClasses(tx: Tx, calendar: WorkingCalendar): Promise<void> {
  const units = await tx.unit.findMany({ where: { status: 'active' }, select: { id: true, kind: true } });
  const tasks = await tx.task.findMany({
    where: { archivedAt: null },
    select: {
      id: true,
      leadText: true,
      coordText: true,
      rule: true,
      plan: { select: { year: true, policy: true } },
      assignments: { where: { archivedAt: null }, select: { unitId: true, role: true, viaClass: true } },
    },
  });
  for (const task of tasks) {
    const wanted = task.assignments.map((a) => ({ id: a.unitId, role: a.role as 'lead' | 'coord', via: a.viaClass }));
    let grew = false;
    for (const [role, cell] of [['lead', task.leadText], ['coord', task.coordText]] as const) {
      for (const name of splitUnits(cell)) {
        const cls = classOf(name);
        if (!cls) continue;
        for (const u of units) {
          if (cls.kinds.includes(u.kind as UnitKind) && !wanted.some((w) => w.id === u.id)) {
            wanted.push({ id: u.id, role, via: name });
            grew = true;
          }
        }
      }
    }
    if (!grew) continue;
    const rule = ruleSchema.safeParse(JSON.parse(task.rule));
    const policy = resolvePolicy(parsePlanPolicy(task.plan.policy).deadline);
    await syncAssignments(tx, task.id, wanted, rule.success ? duesOf(rule.data, task.plan.year, calendar, policy) : []);
  }
}
