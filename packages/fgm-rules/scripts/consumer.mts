/**
 * A user's first script with @fgm-is/rules, installed from its tarball
 * (tools/check-package.mjs): type-checked under nodenext and bundler, run in
 * plain Node, bundled for the browser. It asserts what it gets.
 */
import {
  type CatalogueEntry,
  type FgmFlag,
  type Result,
  catalogue,
  decideAdd,
  isValidNhsNumber,
  toOperationOutcome,
  validateAddBody,
} from '@fgm-is/rules';

const body = {
  resourceType: 'Flag',
  status: 'active',
  code: { coding: [{ system: 'http://snomed.info/sct', code: '1' }] },
  subject: { identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9000000009' } },
  period: { start: '2020-01-01' },
};
const result: Result<unknown> = validateAddBody(body, '2026-11-21');
const entry: CatalogueEntry | undefined = result.ok ? undefined : result.error;
const status: 400 | 401 | 403 | 404 | 405 | 406 | 412 | 413 | 500 | 503 | undefined = entry?.status;
const flag: FgmFlag | undefined = undefined;
const checks = [
  isValidNhsNumber('9000000009'),
  entry?.key === 'A2',
  status === 400,
  typeof decideAdd,
  flag ?? null,
  toOperationOutcome(catalogue.S1, 'x').issue[0]?.diagnostics,
];
const got = JSON.stringify(checks);
if (got !== '[true,true,true,"function",null,"Invalid NHS number"]') throw new Error(`unexpected: ${got}`);
console.info('@fgm-is/rules imports and validates');
