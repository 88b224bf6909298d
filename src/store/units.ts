import type { PrismaClient, Tx } from '../db/database.ts';
import { matchUnit, type RegistryUnit, type UnitKind } from '../core/units.ts';



/** Every unit with its aliases; `pending`: created by an import, waiting for the administrator. */
export async function unitRegistry(prisma: PrismaClient | Tx): Promise<(RegistryUnit & { pending: boolean })[]> {
  const units = await prisma.unit.findMany({ include: { aliases: { select: { alias: true } } }, orderBy: { id: 'asc' } });
  return units.map((u) => ({ id: u.id, name: u.name, kind: u.kind as UnitKind, aliases: u.aliases.map((a) => a.alias), pending: u.status === 'pending' }));
}

/** Resolves a typed unit name, alias or abbreviation (case and diacritics ignored); never guesses. */
export async function findUnit(prisma: PrismaClient, typed: string) {
  return matchUnit(typed, await unitRegistry(prisma));
}
