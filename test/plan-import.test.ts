import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ParsedPlan, ParsedTask } from '../src/core/plan-table.ts';
import { readPlanFile } from '../src/import/read-plan-file.ts';
import { planCsvText, planXlsxBuffer, type PlanLayout, type WritablePlan } from '../src/import/write-plan.ts';
import { markDone } from '../src/store/occurrences.ts';
import { ImportRefusedError, importPlan, MAX_PLAN_TASKS } from '../src/store/plan-store.ts';
import { findTask } from '../src/store/tasks.ts';
import { importUnits, type RegistryRow } from '../src/store/unit-registry.ts';
import { harness, type Harness } from './helpers/app.ts';
import { cli } from './helpers/cli.ts';
import { dropTestSchemas, tempSqliteUrl, testDatabases } from './helpers/db.ts';
import { groupsPlan, partsPlan } from './helpers/plans.ts';

const dir = mkdtempSync(join(tmpdir(), 'nhacviec-plan-import-'));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await dropTestSchemas();
});

const UNITS: RegistryRow[] = [
  { name: 'Văn phòng UBND tỉnh', kind: 'province_office', aliases: [] },
  { name: 'Sở Tư pháp', kind: 'department', aliases: [] },
  { name: 'Sở Thông tin và Truyền thông', kind: 'department', aliases: [] },
  { name: 'Sở Nội vụ', kind: 'department', aliases: [] },
  { name: 'UBND xã An Bình', kind: 'commune', aliases: [] },
  { name: 'UBND xã Tân Phú', kind: 'commune', aliases: [] },
];

let n = 0;
async function written(plan: WritablePlan, layout: PlanLayout): Promise<ParsedPlan> {
  const file = join(dir, `plan-${++n}.xlsx`);
  writeFileSync(file, await planXlsxBuffer(plan, layout));
  return readPlanFile(file);
}

/**
 * The plan as the importer read it before it understood two number columns: every group row a task with no
 * content and no unit, and each task coded part.running ("1.17").
 */
function asOldImporterRead(plan: ParsedPlan): ParsedPlan {
  const tasks: ParsedTask[] = [];
  const running = new Map<string, number>();
  let previousSection = '';
  for (const t of plan.tasks) {
    const part = t.code.split('.')[0] as string;
    const k = (running.get(part) ?? 0) + 1;
    running.set(part, k);
    if (t.sectionPath !== previousSection) {
      tasks.push({ ...t, code: `${part}.${100 + tasks.length}`, content: '', leadText: '', lead: [], coordText: '', coord: [], deadlineText: '', result: '', note: '' });
      previousSection = t.sectionPath;
    }
    tasks.push({ ...t, code: `${part}.${k}`, aliases: [] });
  }
  return { ...plan, sections: plan.sections.filter((s) => s.kind === 'part'), tasks };
}

const live = async (h: Harness, name: string) =>
  h.app.db.prisma.task.findMany({ where: { plan: { name }, archivedAt: null }, orderBy: { position: 'asc' }, include: { assignments: { include: { occurrences: true } } } });

describe.each(await testDatabases())('plan import on %s', (db) => {
  let h: Harness;
  const open = async () => {
    h = await harness(await db.url());
    await importUnits(h.app.db.prisma, UNITS, h.app.calendar);
    h.at('2024-03-20T09:00');
    return h;
  };
  afterAll(async () => h?.close());

  it('a plan imported with the old codes keeps statuses and history under the new codes and reports the renames; the running number is an alias', async () => {
    await open();
    const prisma = h.app.db.prisma;
    const parsed = await written(partsPlan(), { numbers: 'two', groups: 'numeral' });
    const base = { name: 'KH 2024', year: 2024, calendar: h.app.calendar, now: new Date('2024-03-20T02:00:00Z') };
    const old = await importPlan(prisma, asOldImporterRead(parsed), base);
    expect(old.added).toHaveLength(11 + 5);

    // done before the re-import: old 1.5 (now 1.2.1.2) and old 2.3 (now 2.2.1)
    const before = await live(h, 'KH 2024');
    const byOldCode = new Map(before.map((t) => [t.code, t]));
    const doneIds: number[] = [];
    for (const code of ['1.5', '2.3']) {
      const assignment = byOldCode.get(code)!.assignments.find((a) => a.role === 'lead')!;
      const r = await markDone(prisma, assignment.id, { user: 'telegram:7' }, new Date('2024-03-20T02:00:00Z'), 'Asia/Ho_Chi_Minh', '2024-03-20');
      expect(r.kind).toBe('done');
      if (r.kind === 'done') doneIds.push(r.occurrenceId);
    }

    const again = await importPlan(prisma, parsed, { ...base, actor: { user: 'cli' } });
    expect(again.added).toEqual([]);
    expect(again.archived).toHaveLength(5); // the group and sub-group rows read as empty tasks
    expect(again.renamed).toHaveLength(11);
    expect(again.renamed).toContainEqual({ from: '1.4', to: '1.2.1.1' });
    expect(again.renamed).toContainEqual({ from: '2.5', to: '2.2.3' });

    const after = await live(h, 'KH 2024');
    expect(after.map((t) => t.code)).toEqual(parsed.tasks.map((t) => t.code));
    expect(after.every((t) => t.content !== '')).toBe(true);
    // the same rows: ids kept, the done occurrences still done and nothing done twice
    expect(after.find((t) => t.code === '1.2.1.2')!.id).toBe(byOldCode.get('1.5')!.id);
    expect(after.find((t) => t.code === '2.2.1')!.id).toBe(byOldCode.get('2.3')!.id);
    const occurrences = await prisma.occurrence.findMany({ where: { status: 'done' } });
    expect(occurrences.map((o) => o.id).sort()).toEqual(doneIds.sort());
    expect(await prisma.auditLog.count({ where: { action: 'done' } })).toBe(2);

    // /done with the running number: "4" is in both parts (ambiguous), "1.4" is one task; the reply names the code
    expect((await findTask(prisma, '1.4')).kind).toBe('found');
    expect(await findTask(prisma, '1.4')).toMatchObject({ task: { code: '1.2.1.1' }, alias: '1.4' });
    expect((await findTask(prisma, '4')).kind).toBe('ambiguous');
    expect(await h.say('/done 2.2')).toMatch(/^✅ Đã ghi nhận: 2\.1\.2 — /);
    expect(await h.say('/done 1.1.1')).toMatch(/^✅ Đã ghi nhận: 1\.1\.1 — /);
    expect(await h.say('/done 1.5')).toMatch(/^Nhiệm vụ 1\.2\.1\.2 có nhiều đơn vị chủ trì/);
    expect(await h.say('/done 5')).toMatch(/khớp nhiều nhiệm vụ:\n• 2024:1\.2\.1\.2 .*\n• 2024:2\.2\.3 .*\nGõ mã đầy đủ của nhiệm vụ, ví dụ \/done 1\.2\.1\.2$/);

    // a third import of the same file changes nothing
    const third = await importPlan(prisma, parsed, base);
    expect({ added: third.added, changed: third.changed, renamed: third.renamed, archived: third.archived }).toEqual({ added: [], changed: [], renamed: [], archived: [] });
    expect(third.unchanged).toBe(11);
  });

  it('tasks that swap places swap codes; an archived task gives its code up to a new one', async () => {
    await open();
    const prisma = h.app.db.prisma;
    const plan = groupsPlan();
    const base = { name: 'Đổi chỗ', year: 2024, calendar: h.app.calendar, now: new Date() };
    await importPlan(prisma, await written(plan, {}), base);
    const idOf = async (code: string) => (await prisma.task.findFirstOrThrow({ where: { code, plan: { name: 'Đổi chỗ' } } })).id;
    const [a, b, c, ...rest] = plan.tasks as [WritablePlan['tasks'][number], WritablePlan['tasks'][number], WritablePlan['tasks'][number]];
    const [idA, idB, idC] = [await idOf('1.1'), await idOf('1.2'), await idOf('1.3')];

    const swapped = await importPlan(prisma, await written({ ...plan, tasks: [{ ...b, code: '1.1' }, { ...a, code: '1.2' }, c, ...rest] }, {}), base);
    expect(swapped.renamed).toEqual([
      { from: '1.2', to: '1.1' },
      { from: '1.1', to: '1.2' },
    ]);
    expect([await idOf('1.1'), await idOf('1.2')]).toEqual([idB, idA]);

    // A leaves the plan, C moves up to 1.2, a new task takes 1.3: A is archived and gives up its code 1.2
    const fresh = { ...c, content: 'Một việc mới hẳn', code: '1.3' };
    const moved = await importPlan(prisma, await written({ ...plan, tasks: [{ ...b, code: '1.1' }, { ...c, code: '1.2' }, fresh, ...rest] }, {}), base);
    expect(moved.renamed).toEqual([{ from: '1.3', to: '1.2' }]);
    expect(moved.added).toEqual(['1.3']);
    expect(moved.archived).toEqual(['1.2']);
    expect(await idOf('1.2')).toBe(idC);
    const archived = await prisma.task.findUniqueOrThrow({ where: { id: idA } });
    expect(archived.archivedAt).not.toBeNull();
    expect(archived.code).toBe(`1.2~${idA}`);
    expect(await findTask(prisma, '1.2')).toMatchObject({ kind: 'found', task: { id: idC } });
  });

  it('a header-only re-import is refused with what it would archive and changes nothing; --force archives', async () => {
    await open();
    const prisma = h.app.db.prisma;
    const base = { name: 'Bảo vệ', year: 2024, calendar: h.app.calendar, now: new Date() };
    await importPlan(prisma, await written(groupsPlan(), {}), base);
    const empty = join(dir, 'header-only.csv');
    writeFileSync(empty, planCsvText({ sections: [], tasks: [] }));
    const headerOnly = await readPlanFile(empty);
    expect(headerOnly.tasks).toEqual([]);
    const counts = async () => ({ live: await prisma.task.count({ where: { archivedAt: null } }), audit: await prisma.auditLog.count() });
    const before = await counts();
    const error = await importPlan(prisma, headerOnly, base).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportRefusedError);
    expect((error as ImportRefusedError).archived).toHaveLength(9);
    expect((error as ImportRefusedError).message).toMatch(/^Tệp này sẽ lưu trữ 9\/9 nhiệm vụ đang theo dõi của kế hoạch "Bảo vệ" \(toàn bộ kế hoạch\): 1\.1, 1\.2, .*--force/);
    expect(await counts()).toEqual(before);

    // five of nine archived: refused; four: allowed
    const plan = groupsPlan();
    expect(await importPlan(prisma, await written({ ...plan, tasks: plan.tasks.slice(0, 4) }, {}), base).catch((e: unknown) => e)).toBeInstanceOf(ImportRefusedError);
    const dry = await importPlan(prisma, headerOnly, { ...base, dryRun: true });
    expect(dry.warnings.at(-1)?.message).toMatch(/^Khi nhập thật: Tệp này sẽ lưu trữ 9\/9/);
    expect(dry.wouldRefuse).toMatchObject({ reason: 'would_archive', live: 9 });
    expect(dry.wouldRefuse?.archived).toHaveLength(9);
    expect((await importPlan(prisma, await written({ ...plan, tasks: plan.tasks.slice(0, 5) }, {}), base)).archived).toHaveLength(4);
    const forced = await importPlan(prisma, headerOnly, { ...base, force: true });
    expect(forced.archived).toHaveLength(5);
    expect((await counts()).live).toBe(0);
  });

  it('an import, new or repeated, runs the same handful of statements for 40 tasks as for 1,200 (the lock is held briefly)', async () => {
    await open();
    const counted = async (name: string, count: number) => {
      let statements = 0;
      const prisma = h.app.db.prisma.$extends({
        query: {
          async $allOperations({ args, query }) {
            statements++;
            return query(args);
          },
        },
      }) as unknown as typeof h.app.db.prisma;
      const plan = groupsPlan();
      const many = { ...plan, tasks: Array.from({ length: count }, (_, i) => ({ ...plan.tasks[i % plan.tasks.length]!, content: `Việc số ${i + 1}`, code: `9.${i + 1}`, sectionPath: '9' })) };
      const parsed = { sections: [{ path: '9', kind: 'group' as const, title: 'Nhóm' }], tasks: many.tasks.map((t, i) => ({ ...t, number: String(i + 1), lead: [t.leadText], coord: [], row: i + 2, needsReview: false })), warnings: [] };
      const base = { name, year: 2024, calendar: h.app.calendar, now: new Date() };
      await importPlan(prisma, parsed, base);
      const first = statements;
      statements = 0;
      await importPlan(prisma, { ...parsed, tasks: parsed.tasks.map((t) => ({ ...t, deadlineText: 'Quý IV/2024' })) }, base);
      return [first, statements];
    };
    const small = await counted('Nhỏ', 40);
    const large = await counted('Lớn', 1200);
    expect(large).toEqual(small);
    expect(Math.max(...large)).toBeLessThan(40);
  });

  it(`a plan over ${MAX_PLAN_TASKS} tasks is refused before anything is written`, async () => {
    await open();
    const prisma = h.app.db.prisma;
    const task = (i: number): ParsedTask => ({
      code: `1.${i}`, sectionPath: '1', number: String(i), content: `Việc ${i}`, leadText: 'Sở Tư pháp', coordText: '', lead: ['Sở Tư pháp'], coord: [],
      deadlineText: 'Quý II/2024', result: '', note: '', row: i + 1, needsReview: false,
    });
    const big: ParsedPlan = { sections: [{ path: '1', kind: 'group', title: 'Nhóm' }], tasks: Array.from({ length: MAX_PLAN_TASKS + 1 }, (_, i) => task(i + 1)), warnings: [] };
    const error = await importPlan(prisma, big, { name: 'Quá lớn', year: 2024, calendar: h.app.calendar, now: new Date() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportRefusedError);
    expect((error as Error).message).toBe(
      'Kế hoạch có 5.001 nhiệm vụ, vượt giới hạn 5.000 nhiệm vụ của một kế hoạch. Chưa thay đổi gì; hãy kiểm tra lại tệp, hoặc tách thành nhiều kế hoạch (mỗi phần một tên kế hoạch).',
    );
    expect(await prisma.plan.count({ where: { name: 'Quá lớn' } })).toBe(0);
    const atLimit = await importPlan(prisma, { ...big, tasks: big.tasks.slice(0, MAX_PLAN_TASKS) }, { name: 'Vừa đủ', year: 2024, calendar: h.app.calendar, now: new Date() });
    expect(atLimit.added).toHaveLength(MAX_PLAN_TASKS);
    expect(await prisma.occurrence.count({ where: { assignment: { task: { plan: { name: 'Vừa đủ' } } } } })).toBe(MAX_PLAN_TASKS);
  });
});

describe('import CLI', () => {
  it('warns in text and JSON when deadline cells name another year, and --force lets a re-import archive', async () => {
    const url = tempSqliteUrl();
    const env = { DATABASE_URL: url };
    const plan = groupsPlan();
    plan.tasks[0]!.deadlineText = 'Trước ngày 15/02/2023';
    plan.tasks[1]!.deadlineText = 'Tháng 12/2023';
    plan.tasks[2]!.deadlineText = 'Quý I/2025';
    const file = join(dir, 'nam-2023.xlsx');
    writeFileSync(file, await planXlsxBuffer(plan));
    const json = await cli(['import', file, '--year', '2024', '--plan', 'KH', '--json'], env);
    expect(json.code).toBe(0);
    const out = json.json as { year_mismatch: { row: number; code: string; years: number[] }[]; warnings: { message: string }[] };
    expect(out.year_mismatch.map((m) => [m.code, m.years])).toEqual([
      ['1.1', [2023]],
      ['1.3', [2025]],
    ]);
    expect(out.warnings.map((w) => w.message)).toContain(
      'Năm kế hoạch là 2024 nhưng 2 ô thời hạn ghi năm 2023, 2025 (nhiệm vụ 1.1, 1.3): có đúng năm 2024 không? Hạn ghi ngày cụ thể sẽ tính theo năm ghi trong ô, nên có thể quá hạn ngay.',
    );
    const text = await cli(['import', file, '--year', '2024', '--plan', 'KH', '--dry-run'], env);
    expect(text.stdout).toContain('Năm kế hoạch là 2024 nhưng 2 ô thời hạn ghi năm 2023, 2025');

    const empty = join(dir, 'trong.csv');
    writeFileSync(empty, planCsvText({ sections: [], tasks: [] }));
    const refused = await cli(['import', empty, '--year', '2024', '--plan', 'KH'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^Tệp này sẽ lưu trữ 9\/9 nhiệm vụ đang theo dõi của kế hoạch "KH"/);
    const forced = await cli(['import', empty, '--year', '2024', '--plan', 'KH', '--force', '--json'], env);
    expect(forced.code).toBe(0);
    expect((forced.json as { archived: string[] }).archived).toHaveLength(9);
  }, 120_000);
});
