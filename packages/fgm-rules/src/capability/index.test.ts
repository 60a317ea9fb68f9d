import { describe, expect, it } from 'vitest';
import { buildCapabilityStatement } from './index.ts';

describe('buildCapabilityStatement (D-12)', () => {
  const statement = buildCapabilityStatement({ baseUrl: 'https://fgm.example', date: '2026-11-21', version: '0.1.0', cors: false });

  it('is FHIR 4.0.1 JSON with the Flag interactions and the patient search parameter', () => {
    expect(statement.resourceType).toBe('CapabilityStatement');
    expect(statement.fhirVersion).toBe('4.0.1');
    expect(statement.format).toContain('json');
    const flag = statement.rest[0].resource[0];
    expect(flag.type).toBe('Flag');
    expect(flag.interaction.map((i) => i.code)).toEqual(['search-type', 'create', 'update', 'read']);
    expect(flag.searchParam).toEqual([expect.objectContaining({ name: 'patient', type: 'reference' })]);
    expect(flag.searchParam[0].documentation).toContain('patient:identifier');
  });

  it('takes its date and base URL from the caller', () => {
    expect(statement.date).toBe('2026-11-21');
    expect(statement.url).toBe('https://fgm.example/metadata');
  });

  it('says whether CORS is on, as configured', () => {
    expect(statement.rest[0].security.cors).toBe(false);
    const withCors = buildCapabilityStatement({ baseUrl: 'https://fgm.example', date: '2026-11-21', version: '0.1.0', cors: true });
    expect(withCors.rest[0].security.cors).toBe(true);
  });
});
