import BetterSqlite3 from 'better-sqlite3';
import { addDays } from '../src/core/dates.ts';

/**
 * Writes a synthetic province into a migrated SQLite file, fast (one raw transaction): `units` units with a
 * group each, one plan whose `tasks` tasks are led by every unit, one open occurrence per assignment with due
 * days spread over `spreadDays` days ending at `lastDue`, each with `lastStage(due)` as the last stage said.
 */
export function seedSqlite(
  file: string,
  opts: { units: number; tasks: number; lastDue: string; spreadDays: number; lastStage?: (due: string) => number | null },
): number {
  const db = new BetterSqlite3(file);
  const now = Date.now();
  let count = 0;
  db.transaction(() => {
    db.prepare(`INSERT INTO "Plan" (id, name, year, policy, createdAt, updatedAt) VALUES (1, 'Kế hoạch đo hiệu năng', 2024, '{}', ?, ?)`).run(now, now);
    const unit = db.prepare(`INSERT INTO "Unit" (id, name, key, kind, status, createdAt) VALUES (?, ?, ?, 'commune', 'active', ?)`);
    const group = db.prepare(`INSERT INTO "ChatGroup" (chat, title, unitId, paused, active, createdAt, updatedAt) VALUES (?, ?, ?, 0, 1, ?, ?)`);
    for (let u = 1; u <= opts.units; u++) {
      unit.run(u, `UBND xã Thử ${u}`, `ubnd xa thu ${u}`, now);
      group.run(`telegram:-100${u}`, `Nhóm xã ${u}`, u, now, now);
    }
    db.prepare(`UPDATE "Plan" SET coordinatorUnitId = 1`).run();
    const task = db.prepare(
      `INSERT INTO "Task" (id, planId, code, position, content, leadText, coordText, deadlineText, rule, deadlineLabel, result, note, createdAt, updatedAt)
       VALUES (?, 1, ?, ?, ?, 'UBND cấp xã', '', ?, '{"kind":"once"}', ?, '', '', ?, ?)`,
    );
    const assignment = db.prepare(`INSERT INTO "Assignment" (id, taskId, unitId, role) VALUES (?, ?, ?, 'lead')`);
    const occurrence = db.prepare(`INSERT INTO "Occurrence" (assignmentId, due, status, lastStage) VALUES (?, ?, 'open', ?)`);
    let a = 0;
    for (let t = 1; t <= opts.tasks; t++) {
      const due = addDays(opts.lastDue, -(t % opts.spreadDays));
      task.run(t, `${Math.ceil(t / 20)}.${((t - 1) % 20) + 1}`, t, `Nhiệm vụ thử số ${t}: rà soát, công khai thủ tục hành chính`, due, `Hạn chót ${due}`, now, now);
      for (let u = 1; u <= opts.units; u++) {
        assignment.run(++a, t, u);
        occurrence.run(a, due, opts.lastStage?.(due) ?? null);
        count++;
      }
    }
  })();
  db.close();
  return count;
}
