/**
 * A subject access request over the whole audit trail (D-15): every
 * interaction naming a patient, from the hot store and the archive.
 */
import type { AuditArchive, AuditHotStore, AuditRow } from './archive-store.ts';
import { archivePrefix, patientBucket } from './partition.ts';

/**
 * Every audit row naming `nhsNumber`, oldest first, each once: the D1 rows
 * and the rows of the patient's bucket in the archive (one R2 prefix,
 * whatever the years asked about). A row present in both (an archive run
 * cut off before its delete) is counted once.
 */
export async function auditForSubject(hot: AuditHotStore, archive: AuditArchive, nhsNumber: string): Promise<AuditRow[]> {
  const [recent, archived] = await Promise.all([hot.forPatient(nhsNumber), archive.rowsUnder(archivePrefix(patientBucket(nhsNumber)))]);
  const byId = new Map<string, AuditRow>();
  for (const row of [...archived.filter((r) => r.nhs_number === nhsNumber), ...recent]) byId.set(row.record_id, row);
  return [...byId.values()].sort((a, b) =>
    a.occurred_at < b.occurred_at ? -1 : a.occurred_at > b.occurred_at ? 1 : a.record_id < b.record_id ? -1 : 1,
  );
}
