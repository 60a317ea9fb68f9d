import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { DependencyUnavailableError } from '../ports/errors.ts';
import type { FlagStore } from '../ports/flag-store.ts';
import { kvFlagStore } from '../storage/kv-flag-store.ts';
import { addInputs } from './add-inputs.ts';

const patient = { birthDate: '2015-01-01', gender: 'female' as const };
const failingIndex: FlagStore = {
  ...kvFlagStore(env.FLAGS),
  getActive: () => Promise.reject(new DependencyUnavailableError('kv')),
};

describe('addInputs', () => {
  it('[H-05] reads the directory and the index at once', async () => {
    const seen: unknown[] = [];
    const directory = {
      lookup: async (...args: unknown[]) => {
        seen.push(args);
        return patient;
      },
    };
    expect(await addInputs(directory, kvFlagStore(env.FLAGS), '9000000017', 'request-1')).toEqual({ patient, stored: null });
    expect(seen).toEqual([['9000000017', { correlationId: 'request-1' }]]);
  });

  it('[H-07] an index read that fails leaves the read to the ledger, so it never changes the refusal (D-6)', async () => {
    expect(await addInputs({ lookup: async () => null }, failingIndex, '9000000017', 'request-1')).toEqual({ patient: null, stored: undefined });
  });

  it('[H-07] a directory that fails is thrown (503)', async () => {
    const down = { lookup: () => Promise.reject(new DependencyUnavailableError('pds')) };
    await expect(addInputs(down, kvFlagStore(env.FLAGS), '9000000017', 'request-1')).rejects.toBeInstanceOf(DependencyUnavailableError);
  });
});
