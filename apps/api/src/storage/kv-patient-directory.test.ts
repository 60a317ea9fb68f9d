import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { DependencyUnavailableError } from '../ports/errors.ts';
import { patientKey } from './keys.ts';
import { kvPatientDirectory } from './kv-patient-directory.ts';

describe('KV patient directory (D-8)', () => {
  it('reads birthDate and gender; an unknown NHS number is null', async () => {
    await env.PATIENTS.put(patientKey('9000000017'), JSON.stringify({ gender: 'female', birthDate: '2012-03-15' }));
    const directory = kvPatientDirectory(env.PATIENTS);
    expect(await directory.lookup('9000000017')).toEqual({ gender: 'female', birthDate: '2012-03-15' });
    expect(await directory.lookup('9700000001')).toBeNull();
  });

  it.each([
    ['a gender outside AdministrativeGender ("M" would slip past the male check)', '{"gender":"M","birthDate":"2012-03-15"}'],
    ['a birthDate that is not a date', '{"gender":"female","birthDate":"15/03/2012"}'],
    ['a record that is not an object', '"female"'],
    ['a record that is not JSON', '{gender:'],
  ])('[H-03] [H-08] refuses %s as a directory fault (503), never as data', async (_name, stored) => {
    await env.PATIENTS.put(patientKey('9000000025'), stored);
    await expect(kvPatientDirectory(env.PATIENTS).lookup('9000000025')).rejects.toBeInstanceOf(DependencyUnavailableError);
  });
});
