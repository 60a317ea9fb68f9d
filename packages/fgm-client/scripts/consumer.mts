/**
 * A supplier's first script with @fgm-is/client, installed from its tarball
 * (tools/check-package.mjs): type-checked under nodenext and bundler, run in
 * plain Node, bundled for the browser. It talks to a stand-in `fetch` (no
 * server is needed here; the end-to-end test runs the same calls against
 * `npm start`) and asserts what it gets.
 */
import { type ClientError, type FgmFlag, type Result, type SearchValue, createClient, createFlagCache } from '@fgm-is/client';

const outcome = {
  resourceType: 'OperationOutcome',
  issue: [
    {
      severity: 'error',
      code: 'invalid',
      details: { coding: [{ system: 'https://fhir.nhs.uk/CodeSystem/England-SpineErrorOrWarningCode', code: 'VALIDATION_ERROR' }] },
      diagnostics: 'Patient is over 18',
    },
  ],
};
const fgm = createClient({
  baseUrl: 'https://fgm-is.example/FHIR/R4',
  fromAsid: '200000000001',
  toAsid: '200000000000',
  token: async () => 'header.payload.signature',
  fetch: async () => new Response(JSON.stringify(outcome), { status: 400, headers: { 'Content-Type': 'application/fhir+json' } }),
});

const added = await fgm.add({ nhsNumber: '9000000033', assessmentDate: '2024-05-01' });
const error: ClientError | undefined = added.ok ? undefined : added.error;
if (error?.code !== 'VALIDATION_ERROR' || error.diagnostics !== 'Patient is over 18' || error.retryable)
  throw new Error(`unexpected: ${JSON.stringify(added)}`);

const local = await fgm.search('1234567890');
if (local.ok || local.error.code !== 'INVALID_SEARCH_DATA') throw new Error(`unexpected: ${JSON.stringify(local)}`);

// @ts-expect-error: there is no removal reason '1' in R4
await fgm.remove('f1', { reason: '1' });

const cache = createFlagCache({ source: fgm });
const checked: Result<{ flag: FgmFlag | null }, ClientError> = await cache.check({ nhsNumber: '9000000009', birthDate: '2015-06-01' });
const found: Result<SearchValue, ClientError> = checked;
if (found.ok) throw new Error('a 400 must never read as "no flag"');
console.info('@fgm-is/client imports, calls and types its errors');
