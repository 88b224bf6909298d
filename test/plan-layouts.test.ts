import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ParsedPlan } from '../src/core/plan-table.ts';
import { readPlanFile } from '../src/import/read-plan-file.ts';
import { planCsvText, planDocxBuffer, planXlsxBuffer, type PlanLayout, type WritablePlan } from '../src/import/write-plan.ts';
import { groupsPlan, partsPlan } from './helpers/plans.ts';

const dir = mkdtempSync(join(tmpdir(), 'nhacviec-layouts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** The plan written in the layout as DOCX, XLSX and CSV, each read back. */
async function readBack(plan: WritablePlan, layout: PlanLayout): Promise<[string, ParsedPlan][]> {
  const base = join(dir, `plan-${++n}`);
  writeFileSync(`${base}.docx`, await planDocxBuffer(plan, layout));
  writeFileSync(`${base}.xlsx`, await planXlsxBuffer(plan, layout));
  writeFileSync(`${base}.csv`, planCsvText(plan, ',', layout));
  return Promise.all(['docx', 'xlsx', 'csv'].map(async (ext) => [ext, await readPlanFile(`${base}.${ext}`)] as [string, ParsedPlan]));
}

/** Every task's code, content, lead and deadline as written; no other task; no warning. */
async function expectSamePlan(plan: WritablePlan, layout: PlanLayout, allowed: RegExp[] = []): Promise<ParsedPlan[]> {
  const out: ParsedPlan[] = [];
  for (const [format, parsed] of await readBack(plan, layout)) {
    expect(parsed.tasks.map((t) => [t.code, t.content, t.leadText, t.deadlineText]), format).toEqual(
      plan.tasks.map((t) => [t.code, t.content, t.leadText, t.deadlineText]),
    );
    expect(parsed.sections.map((s) => [s.path, s.title]), format).toEqual(plan.sections.map((s) => [s.path, s.title]));
    for (const t of parsed.tasks) expect(t.content !== '' && (t.leadText !== '' || t.deadlineText !== ''), `${format} ${t.code}`).toBe(true);
    expect(parsed.warnings.filter((w) => !allowed.some((re) => re.test(w.message))), format).toEqual([]);
    out.push(parsed);
  }
  return out;
}

describe('plan layouts as offices write them (DOCX, XLSX, CSV by the project writers)', () => {
  it.each<[string, PlanLayout]>([
    ['one number column, groups on merged lines', {}],
    ['one number column, numeral in STT and title in the content column', { groups: 'content' }],
    ['one number column, numeral and title merged from the content column', { groups: 'numeral' }],
    ['parts written "PHẦN I."', { parts: 'word', groups: 'numeral' }],
    ['parts as letters A, B with their titles merged', { parts: 'letter', groups: 'content' }],
    ['a two-row header "Phân công thực hiện" and another column order', { assignHeader: 'Phân công thực hiện', columns: ['content', 'lead', 'coord', 'result', 'deadline', 'note'] }],
    ['other header words, no notes column, deadline before the units', {
      columns: ['content', 'deadline', 'lead', 'coord', 'result'],
      header: { content: 'Tên nhiệm vụ', deadline: 'Thời hạn', lead: 'Cơ quan chủ trì', coord: 'Cơ quan phối hợp', result: 'Sản phẩm' },
      numberHeaders: ['TT'],
    }],
    ['headers repeated at page breaks, with "PHỤ LỤC I" and column numbers', { repeatHeader: 3, pageHeader: 'PHỤ LỤC I', columnNumbers: true, groups: 'numeral' }],
  ])('parts and groups: %s', async (_, layout) => {
    await expectSamePlan(partsPlan(), layout);
  });

  it.each<[string, PlanLayout]>([
    ['merged lines', {}],
    ['numeral in the number column, title merged', { groups: 'numeral' }],
    ['numeral and title in the content column', { groups: 'content' }],
  ])('sub-groups "a)", "b)" and "2.1", "2.2": %s', async (_, layout) => {
    await expectSamePlan(partsPlan('letter'), layout);
    await expectSamePlan(partsPlan('dotted'), layout);
  });

  it('two number columns (Stt within the part, Stt2 within the group), group titles merged from Stt2', async () => {
    const plans = await expectSamePlan(partsPlan(), { numbers: 'two', groups: 'numeral' });
    for (const parsed of plans) {
      // the running number is an alias: the 4th task of part 1 is 1.2.1.1, "4" or "1.4" as people read it off Stt
      expect(parsed.tasks.find((t) => t.code === '1.2.1.1')?.aliases).toEqual(['4', '1.4']);
      expect(parsed.tasks.find((t) => t.code === '2.2.3')?.aliases).toEqual(['5', '2.5']);
    }
  });

  it.each<[string, PlanLayout]>([
    ['titles merged from Stt2', { numbers: 'two', groups: 'numeral' }],
    ['titles in the content column', { numbers: 'two', groups: 'content' }],
    ['titles on merged lines, repeated headers', { numbers: 'two', repeatHeader: 2, columnNumbers: true }],
    ['header words "STT" and "TT"', { numbers: 'two', groups: 'numeral', numberHeaders: ['STT', 'TT'] }],
  ])('two number columns, groups only: %s', async (_, layout) => {
    for (const parsed of await expectSamePlan(groupsPlan(), layout)) {
      expect(parsed.tasks.map((t) => t.aliases?.[0])).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
    }
  });

  it('two number columns, sub-groups "a)" in Stt2 and parts as letters', async () => {
    await expectSamePlan(partsPlan('letter'), { numbers: 'two', groups: 'numeral', parts: 'letter' });
  });

  it('unnumbered rows get the codes they stand in (first, middle and last of a group) and a warning each', async () => {
    const plan = groupsPlan();
    for (const code of ['1.2', '1.3', '3.1']) plan.tasks.find((t) => t.code === code)!.printed = '';
    for (const layout of [{}, { numbers: 'two' as const, groups: 'numeral' as const }]) {
      for (const parsed of await expectSamePlan(plan, layout, [/nhiệm vụ không có số thứ tự; đặt mã (1\.2|1\.3|3\.1) /])) {
        expect(parsed.warnings).toHaveLength(3);
        expect(parsed.tasks.filter((t) => t.needsReview).map((t) => t.code)).toEqual(['1.2', '1.3', '3.1']);
      }
    }
  });
});
