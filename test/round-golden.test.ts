import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempSqliteUrl } from './helpers/db.ts';
import { simulateExampleYear } from './helpers/example-year.ts';

/**
 * The golden test of the ledger: the example plan's year of rounds (test/helpers/example-year.ts) must
 * record exactly the notices, messages and stages in test/golden/example-year/. A change to what a round
 * says shows here line by line; when it is deliberate, write the files again with
 * `UPDATE_GOLDEN=1 npx vitest run test/round-golden.test.ts` and say why in the commit.
 * `GOLDEN_EVERY_QUARTER_HOUR=1` runs every instant of the default cron (slow): the files must not change.
 */
const dir = path.join(import.meta.dirname, 'golden', 'example-year');
const update = process.env.UPDATE_GOLDEN === '1';

describe('the example plan through a simulated year', () => {
  it('records the same notices, messages and stages as the golden files', async () => {
    const year = await simulateExampleYear(tempSqliteUrl(), { everyQuarterHour: process.env.GOLDEN_EVERY_QUARTER_HOUR === '1' });
    const files = { 'notices.txt': year.notices, 'messages.txt': year.messages, 'stages.txt': year.stages };
    if (update) {
      fs.mkdirSync(dir, { recursive: true });
      for (const [name, lines] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), `${lines.join('\n')}\n`);
    }
    // the year has late notices, escalations, digests and check-ins, so the files cover each of them
    expect(year.notices.some((n) => / late /.test(n))).toBe(true);
    for (const kind of ['reminder', 'overdue', 'escalation', 'digest', 'checkin']) expect(year.notices.some((n) => n.includes(` ${kind} `)), kind).toBe(true);
    for (const [name, lines] of Object.entries(files)) {
      const golden = fs.readFileSync(path.join(dir, name), 'utf8').replace(/\n$/, '').split('\n');
      expect(firstDifference(golden, lines.join('\n').split('\n')), name).toBeNull();
    }
  }, 600_000);
});

/** Where two line lists part, with a few lines of context (a whole-file diff of a year is unreadable). */
function firstDifference(expected: string[], actual: string[]): string | null {
  const n = Math.max(expected.length, actual.length);
  for (let i = 0; i < n; i++) {
    if (expected[i] === actual[i]) continue;
    const around = (lines: string[]) => lines.slice(Math.max(0, i - 3), i + 4).join('\n');
    return `line ${i + 1} of ${expected.length} (now ${actual.length} lines)\n--- golden:\n${around(expected)}\n--- now:\n${around(actual)}`;
  }
  return null;
}
