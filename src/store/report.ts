import type { PrismaClient } from '../db/database.ts';
import { figuresByUnit, type UnitFigures } from '../core/report.ts';

/** The figures of one plan (default: every live plan) on a date. */
export async function unitFigures(prisma: PrismaClient, at: Date, zone: string, planName?: string): Promise<UnitFigures[]> {
  const rows = await prisma.assignment.findMany({
    where: { role: 'lead', archivedAt: null, task: { archivedAt: null, ...(planName ? { plan: { name: planName } } : {}) } },
    select: { unitId: true, unit: { select: { name: true } }, occurrences: { select: { due: true, doneAt: true } } },
  });
  return figuresByUnit(rows.map((r) => ({ unitId: r.unitId, unitName: r.unit.name, occurrences: r.occurrences })), at, zone);
}
