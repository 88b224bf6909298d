import pg from 'pg';
import { addDays } from '../src/core/dates.ts';

/**
 * The province of bench/seed.ts, written into a migrated PostgreSQL schema by set-based SQL
 * (generate_series): the same units, groups, plan, tasks, assignments and occurrences, the same due days
 * and last stages.
 */
export async function seedPostgres(
  url: string,
  schema: string,
  opts: { units: number; tasks: number; lastDue: string; spreadDays: number; lastStage: (due: string) => number | null },
): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`SET search_path TO "${schema}"`);
    await client.query('BEGIN');
    await client.query(`INSERT INTO "Plan" (id, name, year, policy, "createdAt", "updatedAt") VALUES (1, 'Kế hoạch đo hiệu năng', 2024, '{}', now(), now())`);
    await client.query(
      `INSERT INTO "Unit" (id, name, key, kind, status, "createdAt")
       SELECT u, 'UBND xã Thử ' || u, 'ubnd xa thu ' || u, 'commune', 'active', now() FROM generate_series(1, $1::int) u`,
      [opts.units],
    );
    await client.query(
      `INSERT INTO "ChatGroup" (chat, title, "unitId", paused, active, "createdAt", "updatedAt")
       SELECT 'telegram:-100' || u, 'Nhóm xã ' || u, u, false, true, now(), now() FROM generate_series(1, $1::int) u`,
      [opts.units],
    );
    await client.query(`UPDATE "Plan" SET "coordinatorUnitId" = 1`);
    // due day of task t: lastDue − (t mod spreadDays), with the stage said by then
    const dues = Array.from({ length: opts.spreadDays }, (_, k) => addDays(opts.lastDue, -k));
    await client.query(`CREATE TEMP TABLE bench_due (k int PRIMARY KEY, due text, stage int)`);
    await client.query(
      `INSERT INTO bench_due SELECT * FROM unnest($1::int[], $2::text[], $3::int[])`,
      [dues.map((_, k) => k), dues, dues.map((d) => opts.lastStage(d))],
    );
    await client.query(
      `INSERT INTO "Task" (id, "planId", code, position, content, "leadText", "coordText", "deadlineText", rule, "deadlineLabel", result, note, "createdAt", "updatedAt")
       SELECT t, 1, ceil(t / 20.0)::int || '.' || ((t - 1) % 20 + 1), t, 'Nhiệm vụ thử số ' || t || ': rà soát, công khai thủ tục hành chính',
              'UBND cấp xã', '', d.due, '{"kind":"once"}', 'Hạn chót ' || d.due, '', '', now(), now()
       FROM generate_series(1, $1::int) t JOIN bench_due d ON d.k = t % $2::int`,
      [opts.tasks, opts.spreadDays],
    );
    await client.query(
      `INSERT INTO "Assignment" (id, "taskId", "unitId", role)
       SELECT (t - 1) * $2::int + u, t, u, 'lead' FROM generate_series(1, $1::int) t, generate_series(1, $2::int) u`,
      [opts.tasks, opts.units],
    );
    await client.query(
      `INSERT INTO "Occurrence" ("assignmentId", due, status, "lastStage")
       SELECT a.id, d.due, 'open', d.stage FROM "Assignment" a JOIN bench_due d ON d.k = a."taskId" % $1::int`,
      [opts.spreadDays],
    );
    await client.query('COMMIT');
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}
