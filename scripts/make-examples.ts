/**
 * Writes the example plan files in examples/ (run: npx tsx scripts/make-examples.ts):
 * - ke-hoach-chau-thanh-2023.{docx,xlsx,tsv}: the Châu Thành 2023 fixture as read by the importer
 *   (its tasks were checked by eye against the fixture and are pinned in test/plan-table.test.ts);
 * - ke-hoach-bqlkkt-2024.xlsx: the hand-checked transcription in examples/src/bqlkkt-2024.ts.
 * Output is deterministic (fixed package dates, see src/import/write-plan.ts). Each file is read back and
 * compared with its source; the script fails when they differ.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { bqlkkt2024 } from '../examples/src/bqlkkt-2024.ts';
import type { ParsedPlan } from '../src/core/plan-table.ts';
import { readPlanFile } from '../src/import/read-plan-file.ts';
import { writePlanDocx, writePlanText, writePlanXlsx, type WritablePlan } from '../src/import/write-plan.ts';

const examples = fileURLToPath(new URL('../examples/', import.meta.url));
const fixture = fileURLToPath(new URL('../../shared/fixtures/plan-chau-thanh-2023-appendix.tsv.txt', import.meta.url));

function essence(plan: WritablePlan | ParsedPlan): string {
  return JSON.stringify({
    title: plan.title,
    sections: plan.sections.map((s) => [s.path, s.kind, s.title]),
    tasks: plan.tasks.map((t) => [t.code, t.sectionPath, t.content, t.leadText, t.coordText, t.deadlineText, t.result, t.note]),
  });
}

async function check(path: string, source: WritablePlan): Promise<void> {
  const again = await readPlanFile(path);
  if (essence(again) !== essence(source)) throw new Error(`${path}: đọc lại không khớp với nguồn`);
  console.log(`${path}: ${again.tasks.length} nhiệm vụ, ${again.sections.length} mục, ${again.warnings.length} cảnh báo`);
}

const chauThanh = await readPlanFile(fixture);
const base = `${examples}ke-hoach-chau-thanh-2023`;
await writePlanDocx(chauThanh, `${base}.docx`);
await writePlanXlsx(chauThanh, `${base}.xlsx`);
await writeFile(`${base}.tsv`, writePlanText(chauThanh), 'utf8');
for (const ext of ['docx', 'xlsx', 'tsv']) await check(`${base}.${ext}`, chauThanh);

await writePlanXlsx(bqlkkt2024, `${examples}ke-hoach-bqlkkt-2024.xlsx`);
await check(`${examples}ke-hoach-bqlkkt-2024.xlsx`, bqlkkt2024);
