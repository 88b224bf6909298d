import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readPlanFile } from '../src/import/read-plan-file.ts';
import { planDocxBuffer, planXlsxBuffer } from '../src/import/write-plan.ts';
import { corpusPlan, scoreRows } from './helpers/corpus.ts';

const dir = mkdtempSync(join(tmpdir(), 'nhacviec-corpus-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Plans nobody wrote by hand (seeded random layouts, wordings, merges, lists, repeated headers, unnumbered
 * rows): at least 98 % of their rows must come back right (code, content, lead units, deadline text).
 */
describe('a corpus of 40 generated plans, DOCX and XLSX', () => {
  it('reads at least 98 % of the rows right', async () => {
    let rows = 0;
    let right = 0;
    const failures: string[] = [];
    for (let seed = 1; seed <= 40; seed++) {
      const { plan, layout, describe } = corpusPlan(seed);
      const format = seed % 2 ? 'docx' : 'xlsx';
      const file = join(dir, `plan-${seed}.${format}`);
      writeFileSync(file, format === 'docx' ? await planDocxBuffer(plan, layout) : await planXlsxBuffer(plan, layout));
      const score = scoreRows(plan, await readPlanFile(file));
      rows += score.rows;
      right += score.right;
      if (score.wrong.length) failures.push(`#${seed} ${format} ${describe}\n  ${score.wrong.slice(0, 5).join('\n  ')}`);
    }
    console.info(`corpus: ${right}/${rows} rows right (${((100 * right) / rows).toFixed(1)} %)`);
    expect(failures.join('\n')).toBe('');
    expect(right / rows).toBeGreaterThanOrEqual(0.98);
  }, 120_000);
});
