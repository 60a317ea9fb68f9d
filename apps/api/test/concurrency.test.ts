/**
 * D-14 under concurrency, through the Worker and its FlagLedger Durable
 * Objects: one 201 out of many simultaneous Adds, and random interleavings of
 * Adds and Removes that leave at most one active flag per patient and a
 * search index that agrees with the stored flags.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectConsistentStore } from '../src/test-support/consistency.ts';
import { add, addBody, remove, removeBody, search } from './support/http.ts';
import { useSandbox } from './support/sandbox.ts';

useSandbox();

const diagnostics = async (response: Response) => ((await response.json()) as { issue?: { diagnostics: string }[] }).issue?.[0]?.diagnostics;

describe('[H-05] serialised writes (D-14)', () => {
  it('50 concurrent Adds for one patient: exactly one 201 and 49 × A6', async () => {
    const responses = await Promise.all(Array.from({ length: 50 }, () => add(addBody('9000000017'))));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 400)).toHaveLength(49);
    const texts = await Promise.all(responses.filter((r) => r.status === 400).map(diagnostics));
    expect(new Set(texts)).toEqual(new Set(['Flag value was already set']));
    const bundle = (await (await search('9000000017')).json()) as { total: number };
    expect(bundle.total).toBe(1);
    expect(await expectConsistentStore()).toEqual({ active: 2, removed: 0 });
  });

  it('concurrent Removes of one flag: exactly one 200, the rest R1', async () => {
    const created = await add(addBody('9000000084'));
    const { id } = (await created.json()) as { id: string };
    const responses = await Promise.all(Array.from({ length: 20 }, () => remove(id, removeBody(id))));
    expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 400)).toHaveLength(19);
    await expectConsistentStore();
  });

  it('[H-01] random interleavings of Adds and Removes for a few patients keep the invariants', async () => {
    const patients = ['9000000017', '9000000041', '9000000084'] as const;
    const operation = fc.record({
      kind: fc.constantFrom('add', 'remove'),
      patient: fc.constantFrom(...patients),
      delay: fc.integer({ min: 0, max: 3 }),
    });
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 5, maxLength: 25 }), async (operations) => {
        runs++;
        const knownIds: Record<string, string[]> = {};
        await Promise.all(
          operations.map(async ({ kind, patient, delay }) => {
            await new Promise((resolve) => setTimeout(resolve, delay));
            if (kind === 'add') {
              const response = await add(addBody(patient));
              if (response.status === 201) (knownIds[patient] ??= []).push(((await response.json()) as { id: string }).id);
              else expect(await diagnostics(response)).toBe('Flag value was already set');
              return;
            }
            const id = knownIds[patient]?.at(-1);
            if (!id) return;
            const response = await remove(id, removeBody(id));
            expect([200, 400]).toContain(response.status);
          }),
        );
        await expectConsistentStore();
        for (const patient of patients) {
          const bundle = (await (await search(patient)).json()) as { total: number };
          expect(bundle.total).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 15 },
    );
    expect(runs).toBe(15);
    // 15 runs of up to 25 writes each: about 3 s on a quiet 2-core machine, past vitest's 5 s default when the machine is busy.
  }, 60_000);
});
