/** The units one-stop exports name, as the unit registry learns them. */
import type { Tx } from '../db/database.ts';
import { matchUnit } from '../core/units.ts';
import type { Actor } from './audit.ts';
import { writeAudit } from './dossiers.ts';
import { unitRegistry } from './units.ts';

/**
 * Dossiers stored with an unknown or a pending unit, given to the active unit their written unit name now
 * matches (after a unit registry import); a pending unit left with nothing at all is removed. Returns how
 * many dossiers moved.
 */
export async function claimDossierUnits(tx: Tx, actor: Actor = { user: 'danh-muc-don-vi' }): Promise<number> {
  const rows = await tx.dossier.findMany({
    where: { unitText: { not: '' }, OR: [{ unitId: null }, { unit: { status: 'pending' } }] },
    select: { id: true, unitId: true, unitText: true },
  });
  if (!rows.length) return 0;
  const active = (await unitRegistry(tx)).filter((u) => !u.pending);
  const freed = new Set<number>();
  let moved = 0;
  for (const r of rows) {
    const match = matchUnit(r.unitText, active);
    if (match.kind !== 'found') continue;
    await tx.dossier.update({ where: { id: r.id }, data: { unitId: match.unit.id } });
    await writeAudit(tx, actor, { action: 'dossier_update', dossierId: r.id, detail: `đơn vị giải quyết: ${match.unit.name} (theo danh mục đơn vị)` });
    if (r.unitId !== null) freed.add(r.unitId);
    moved++;
  }
  for (const id of freed) {
    const unit = await tx.unit.findUnique({
      where: { id },
      select: { status: true, _count: { select: { dossiers: true, assignments: true, groups: true, officers: true, coordinates: true } } },
    });
    if (unit?.status === 'pending' && Object.values(unit._count).every((n) => n === 0)) await tx.unit.delete({ where: { id } });
  }
  return moved;
}
