/**
 * The answer to one `npm run audit` command, from wherever the trail is
 * read: the local sandbox's state (Miniflare) or a deployment (wrangler).
 * The same steps and the same SQL either way; what could not be read is
 * said on stderr (`warn`), never guessed. No I/O of its own.
 */
import type { AuditArchive, AuditRow } from '../src/audit/archive-store.ts';
import { archiveCutoff, archivePrefix, patientBucket } from '../src/audit/partition.ts';
import { auditForSubject } from '../src/audit/subject-access.ts';
import type { FlagTextContext } from './audit-format.ts';
import { type AuditCommand, type SelectRunner, auditForFlag, readOnlyHotStore, selectAll, storedFlagFacts } from './audit-query.ts';

/** Where one command reads the trail from. */
export interface AuditSources {
  /** Runs one read-only SELECT against D1. */
  readonly select: SelectRunner;
  /** The R2 archive, as far as it can be read. */
  readonly archive: AuditArchive;
  /**
   * Whether `archive` finds every object under a prefix (locally it lists the
   * bucket); false when it only knows the objects the operator named (a
   * deployment: wrangler 4.86 cannot list R2 objects).
   */
  readonly archiveListed: boolean;
  /** A flag's stored record (`FLAGS`, `flag:{id}`) as text, or null when there is none. */
  readonly storedFlag: (flagId: string) => Promise<string | null>;
}

/** The rows of an answer, and for a flag what its text summary needs. */
export interface AuditAnswer {
  readonly rows: AuditRow[];
  readonly flag?: FlagTextContext;
}

/** @internal What the archive misses when only named objects can be read. */
function archiveNotListed(prefixes: readonly string[], cutoff: string): string {
  return `note: the R2 archive cannot be listed from here (wrangler 4.86 has no command for it): only the objects given with --archive-keys were read. Rows of months before ${cutoff.slice(0, 7)} may be in R2 under ${prefixes.join(', ')}: list that prefix (R2's S3 API or the dashboard) and give the keys with --archive-keys <file>.`;
}

/**
 * Answers `command` from `sources`: a subject access request (D1 and the
 * patient's archive bucket, each record once), a day's accesses (D1), or a
 * flag's history (D1, then the archive buckets of the patients its rows or
 * its stored record name). `today` is the London date, for the archive's
 * cut-off.
 */
export async function answerAudit(command: AuditCommand, sources: AuditSources, warn: (line: string) => void, today: string): Promise<AuditAnswer> {
  const cutoff = archiveCutoff(today);
  switch (command.kind) {
    case 'subject': {
      const rows = await auditForSubject(readOnlyHotStore(sources.select), sources.archive, command.value);
      if (!sources.archiveListed) warn(archiveNotListed([archivePrefix(patientBucket(command.value))], cutoff));
      return { rows };
    }
    case 'day': {
      const rows = await selectAll(sources.select, { column: 'day', value: command.value });
      if (command.value < cutoff) {
        warn(`note: day reads D1 only, which keeps the days from ${cutoff} on: rows of ${command.value} may have moved to the R2 archive.`);
      }
      return { rows };
    }
    case 'flag': {
      let stored: ReturnType<typeof storedFlagFacts>;
      try {
        stored = storedFlagFacts(await sources.storedFlag(command.value));
      } catch (error) {
        warn(
          `note: the flag's stored record could not be read (${error instanceof Error ? error.message.split('\n')[0] : String(error)}): no removal reason.`,
        );
      }
      const known = [command.nhsNumber, stored?.nhsNumber].filter((n): n is string => n !== undefined);
      const history = await auditForFlag(sources.select, sources.archive, command.value, known);
      if (history.archivePrefixes.length === 0) {
        warn(
          `note: no D1 row names flag ${command.value} and its NHS number is unknown (no --nhs, no stored record): the R2 archive, partitioned by patient, was not read. If the flag is older than ${cutoff}, give --nhs <nhs-number>.`,
        );
      } else if (!sources.archiveListed) {
        warn(archiveNotListed(history.archivePrefixes, cutoff));
      }
      return { rows: history.rows, flag: { flagId: command.value, nhsNumbers: history.nhsNumbers, stored } };
    }
  }
}
