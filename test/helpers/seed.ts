import type { App } from '../../src/app.ts';
import type { ParsedPlan } from '../../src/core/plan-table.ts';
import { bindGroup } from '../../src/store/groups.ts';
import { importPlan } from '../../src/store/plan-store.ts';
import { importUnits, type RegistryRow } from '../../src/store/unit-registry.ts';

export type SeedTask = { code: string; deadline: string; lead: string[]; content?: string; coord?: string[] };

/** Stores a small plan built in the test (units first), binding chats to units when asked. */
export async function seedPlan(
  app: App,
  opts: { name?: string; year: number; units: RegistryRow[]; tasks: SeedTask[]; chats?: Record<string, string>; officers?: Record<string, string> },
) {
  await importUnits(app.db.prisma, opts.units, app.calendar);
  const parsed: ParsedPlan = {
    sections: [{ path: '1', title: 'Nhiệm vụ', kind: 'group' }],
    warnings: [],
    tasks: opts.tasks.map((t, i) => ({
      code: t.code,
      sectionPath: '1',
      number: t.code.split('.').at(-1)!,
      content: t.content ?? `Nhiệm vụ ${t.code}`,
      leadText: t.lead.join('; '),
      coordText: (t.coord ?? []).join('; '),
      lead: t.lead,
      coord: t.coord ?? [],
      deadlineText: t.deadline,
      result: '',
      note: '',
      row: i + 2,
      needsReview: false,
    })),
  };
  const summary = await importPlan(app.db.prisma, parsed, { name: opts.name ?? `Kế hoạch thử ${opts.year}`, year: opts.year, calendar: app.calendar, coordinator: opts.units[0]!.name, now: app.clock() });
  const units = await app.db.prisma.unit.findMany();
  const idOf = (name: string) => units.find((u) => u.name === name)!.id;
  for (const [chat, unit] of Object.entries(opts.chats ?? {})) await bindGroup(app.db.prisma, chat, idOf(unit));
  for (const [user, unit] of Object.entries(opts.officers ?? {})) {
    await app.db.prisma.officer.create({ data: { user, unitId: idOf(unit) } });
  }
  return { summary, idOf };
}
