import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { OperationOutcomeSchema } from '../fhir/index.ts';
import { informationalOutcome } from './index.ts';

describe('informationalOutcome (D-1, D-12)', () => {
  it.each([
    ['RESOURCE_CREATED', 'Successfully created resource with ID: abc'],
    ['RESOURCE_UPDATED', 'Successfully updated resource with ID: abc'],
  ] as const)('%s', (kind, text) => {
    const outcome = informationalOutcome(kind, 'abc', 'oo-1');
    expect(outcome).toEqual({
      resourceType: 'OperationOutcome',
      id: 'oo-1',
      issue: [
        {
          severity: 'information',
          code: 'informational',
          details: { coding: [{ system: 'https://fhir.nhs.uk/CodeSystem/England-SpineErrorOrWarningCode', code: kind, display: text }] },
          diagnostics: text,
        },
      ],
    });
    expect(v.is(OperationOutcomeSchema, outcome)).toBe(true);
  });
});
