import type { PrismaClient } from '../../src/db/database.ts';
import { fold } from '../../src/core/text.ts';

/**
 * What of the plan a reply to a stranger could give away: the names and aliases of units (compared without
 * diacritics), and any digit besides the sender's own id (task codes, dates, figures).
 */
export async function leaks(prisma: PrismaClient, reply: string, user: string): Promise<string[]> {
  const found: string[] = [];
  const units = await prisma.unit.findMany({ select: { name: true, aliases: { select: { alias: true } } } });
  const folded = fold(reply);
  for (const u of units) for (const n of [u.name, ...u.aliases.map((a) => a.alias)]) if (fold(n).length > 3 && folded.includes(fold(n))) found.push(n);
  const rest = reply.replaceAll(user, '');
  if (/\d/.test(rest)) found.push(`digits: ${rest.match(/.{0,20}\d.{0,20}/)![0]}`);
  return found;
}
