/**
 * Audit bytes: how much one audit record costs in D1 (row plus every index,
 * the schema of `apps/api/migrations/`) and as archived NDJSON. Inserts
 * 20,000 rows shaped like the design mix (a third of searches hit, two
 * thirds miss) into a local D1 and reads SQLite's own size before and after.
 *
 * `npm run audit-bytes -w @fgm-is/bench` (a few seconds); add a migration
 * prefix (`-- 0003`) to measure the schema as it was after that migration.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { unstable_splitSqlQuery } from 'wrangler';
import { patientBucket } from '../../apps/api/src/audit/partition.ts';
import { syntheticNhsNumber } from '../shared/synthetic.ts';

const MIGRATIONS = fileURLToPath(new URL('../../apps/api/migrations/', import.meta.url));
const ROWS = 20_000;
const BATCH = 500;

export interface AuditBytes {
  schema: string;
  rows: number;
  d1BytesPerRow: number;
  jsonBytesPerRecord: number;
}

/** Measures one schema (all migrations up to `upTo`, inclusive). */
export async function measureAuditBytes(upTo = '9999'): Promise<AuditBytes> {
  const mf = new Miniflare({ modules: true, script: 'export default { fetch() { return new Response(null) } }', d1Databases: ['DB'] });
  try {
    const db = await mf.getD1Database('DB');
    const files = readdirSync(MIGRATIONS)
      .filter((f) => f.endsWith('.sql') && f.slice(0, 4) <= upTo)
      .sort();
    for (const file of files) {
      await db.batch(unstable_splitSqlQuery(readFileSync(`${MIGRATIONS}${file}`, 'utf8')).map((sql) => db.prepare(sql)));
    }
    const columns = new Set(
      (await db.prepare('PRAGMA table_info(audit_events)').all<{ name: string }>()).results.map((c: { name: string }) => c.name),
    );
    const before = (await db.prepare('SELECT 1').run()).meta.size_after;
    let after = before;
    const start = Date.parse('2026-11-02T09:00:00Z');
    for (let from = 0; from < ROWS; from += BATCH) {
      const statements: D1PreparedStatement[] = [];
      for (let i = from; i < from + BATCH; i++) {
        const at = new Date(start + i * 940).toISOString();
        const nhs = syntheticNhsNumber((i * 7_919_993) % 100_000_000); // spread, as real traffic is
        const hit = i % 3 === 0;
        const row: Record<string, string | number | null> = {
          request_id: randomUUID(),
          occurred_at: at,
          day: at.slice(0, 10),
          channel: 'r4',
          interaction: 'search',
          trace_id: randomUUID(),
          from_asid: '200000000001',
          user_sub: '555555555555',
          user_role: 'R8000',
          user_org: 'A12345',
          nhs_number: nhs,
          flag_id: hit ? randomUUID() : null,
          status: hit ? 200 : 404,
          details_code: hit ? null : 'NO_RECORD_FOUND',
          message_birth_date: null,
          message_gp_practice: null,
          patient_bucket: patientBucket(nhs),
        };
        if (columns.has('record_id')) row.record_id = randomUUID();
        const names = Object.keys(row);
        statements.push(
          db
            .prepare(`INSERT INTO audit_events (${names.join(', ')}) VALUES (${names.map((_, k) => `?${k + 1}`).join(', ')})`)
            .bind(...Object.values(row)),
        );
      }
      for (const result of await db.batch(statements)) after = result.meta.size_after;
    }
    const stored = (await db.prepare('SELECT * FROM audit_events').all()).results;
    const json = stored.reduce((n: number, row: unknown) => n + JSON.stringify(row).length + 1, 0);
    return {
      schema: files.at(-1) ?? 'none',
      rows: ROWS,
      d1BytesPerRow: Math.round((after - before) / ROWS),
      jsonBytesPerRecord: Math.round(json / stored.length),
    };
  } finally {
    await mf.dispose();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${JSON.stringify(await measureAuditBytes(process.argv[2]))}\n`);
}
