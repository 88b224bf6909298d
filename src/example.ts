import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { App } from './app.ts';
import { readPlanFile } from './import/read-plan-file.ts';
import { readUnitRegistry } from './import/read-units.ts';
import { hasPlans, importPlan, planCoordinator } from './store/plan-store.ts';
import { importUnits } from './store/unit-registry.ts';
import { bindGroup, ensureOfficer } from './store/groups.ts';
import { CONSOLE_CHAT, CONSOLE_USER } from './transports/console.ts';

const examples = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'examples');
export const EXAMPLE = {
  plan: path.join(examples, 'ke-hoach-chau-thanh-2023.xlsx'),
  units: path.join(examples, 'don-vi-chau-thanh-2023.csv'),
  name: 'Kế hoạch KSTTHC huyện Châu Thành năm 2023',
  year: 2023,
};

/**
 * First run of the console chat: load the example unit registry and plan, bind the console group to the
 * coordinating office and make the console user its focal officer. Does nothing once a plan exists.
 */
export async function ensureExamplePlan(app: App, planFile = EXAMPLE.plan): Promise<boolean> {
  const prisma = app.db.prisma;
  if (await hasPlans(prisma)) return false;
  await importUnits(prisma, await readUnitRegistry(EXAMPLE.units), app.calendar);
  const parsed = await readPlanFile(planFile);
  await importPlan(prisma, parsed, { name: EXAMPLE.name, year: EXAMPLE.year, calendar: app.calendar, actor: { user: 'system:example' }, now: app.clock() });
  const coordinator = await planCoordinator(prisma, EXAMPLE.name);
  if (coordinator) {
    await bindGroup(prisma, CONSOLE_CHAT, coordinator, 'Nhóm thử nghiệm');
    await ensureOfficer(prisma, CONSOLE_USER, coordinator, 'Cán bộ đầu mối (thử nghiệm)');
  }
  return true;
}
