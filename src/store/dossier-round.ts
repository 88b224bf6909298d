/**
 * The dossier rows a round reads: the dossiers still processing whose due day is close enough to be prompted
 * (paused and closed ones get no prompt), and the plan whose office receives dossier escalations.
 */
import type { PrismaClient } from '../db/database.ts';
import type { RoundDossier } from '../core/dossier.ts';
import { DOSSIER_SELECT, toView } from './dossiers.ts';

export async function roundDossiers(prisma: PrismaClient, lastDue: string): Promise<RoundDossier[]> {
  const rows = await prisma.dossier.findMany({ where: { status: 'processing', due: { lte: lastDue } }, select: DOSSIER_SELECT });
  return rows.map((r) => {
    const view = toView(r);
    return { ...view, apologized: view.apologyAt !== null };
  });
}

/** The latest plan with a coordinating office: its office gets the dossiers' escalations. */
export async function dossierEscalationPlanId(prisma: PrismaClient): Promise<number | null> {
  const plan = await prisma.plan.findFirst({ where: { coordinatorUnitId: { not: null } }, orderBy: [{ year: 'desc' }, { id: 'desc' }], select: { id: true } });
  return plan?.id ?? null;
}
