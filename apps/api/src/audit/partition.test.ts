import { describe, expect, it } from 'vitest';
import { AUDIT_BUCKETS, archiveCutoff, archiveKey, archivePrefix, bucketName, nextMonthStart, patientBucket } from './partition.ts';

describe('audit partitioning', () => {
  it('buckets a patient by the first nine digits of the NHS number, and no patient as none', () => {
    expect(patientBucket('9000000009')).toBe(900000000 % AUDIT_BUCKETS);
    expect(patientBucket('9000040965')).toBe(patientBucket('9000000009'));
    expect(patientBucket('9000000017')).toBe((patientBucket('9000000009') as number) + 1);
    expect(patientBucket(null)).toBeNull();
    expect(patientBucket('90000000')).toBeNull();
    expect(bucketName(patientBucket('9000000009'))).toMatch(/^[0-9a-f]{3}$/);
    expect(bucketName(null)).toBe('none');
  });

  it('spreads ten thousand consecutive NHS numbers over every bucket, none holding more than twice its share', () => {
    const counts = new Map<number, number>();
    for (let i = 0; i < 40_960; i++) {
      const bucket = patientBucket(`9${String((i * 12_345) % 100_000_000).padStart(8, '0')}0`) as number;
      counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
    }
    expect(counts.size).toBe(AUDIT_BUCKETS);
    expect(Math.max(...counts.values())).toBeLessThanOrEqual(20);
  });

  it('keys an archived object by bucket, month and first row', () => {
    expect(archiveKey(0xa3, '2026-08', { occurredAt: '2026-08-01T00:00:01.000Z', recordId: 'r-1' })).toBe(
      'audit/v1/0a3/2026-08/2026-08-01T00:00:01.000Z_r-1.ndjson',
    );
    expect(archivePrefix(null)).toBe('audit/v1/none/');
  });

  it.each([
    ['2026-11', '2026-12-01'],
    ['2026-12', '2027-01-01'],
    ['2024-02', '2024-03-01'],
  ])('the month after %s starts %s', (month, start) => expect(nextMonthStart(month)).toBe(start));

  it.each([
    ['2026-11-22', 90, '2026-08-01'],
    ['2026-05-30', 90, '2026-03-01'],
    ['2024-05-29', 90, '2024-02-01'],
    ['2026-01-15', 90, '2025-10-01'],
    ['2026-11-22', 0, '2026-11-01'],
  ])('on %s with %i hot days, rows before %s are archivable', (today, days, cutoff) => expect(archiveCutoff(today, days)).toBe(cutoff));
});
