/**
 * A legacy answer summarised: what its MessageHeader says, its
 * OperationOutcome's one issue, and a query hit's Flag. For logging raw
 * messages and for tools that check servers (the conformance kit).
 */
import { LEGACY_NHS_NUMBER_SYSTEM } from '@fgm-is/rules';
import { children, entryResources, readXml, valueAt } from './xml.ts';

/** The issue of a legacy OperationOutcome. */
export interface LegacyIssue {
  readonly severity: string | undefined;
  /** The DSTU2 issue type (`invalid`, `not-found`, …). */
  readonly issueType: string | undefined;
  readonly system: string | undefined;
  readonly code: string | undefined;
  readonly display: string | undefined;
  readonly diagnostics: string | undefined;
}

/** What a legacy message Bundle holds, as far as a client needs to know. */
export interface LegacyMessage {
  /** The resource types of the Bundle's entries, in order (`MessageHeader` first in a well-formed message). */
  readonly resourceTypes: readonly string[];
  readonly header: {
    readonly id: string | undefined;
    readonly event: string | undefined;
    /** `response.identifier`: the request MessageHeader id it answers. */
    readonly responseIdentifier: string | undefined;
    /** `response.code`: `ok`, `transient-error` or `fatal-error`. */
    readonly responseCode: string | undefined;
    readonly sourceName: string | undefined;
    readonly sourceEndpoint: string | undefined;
    readonly destinationEndpoint: string | undefined;
    /** `data.reference`, e.g. `Flag/{id}` on a query hit. */
    readonly data: string | undefined;
  };
  /** The first issue of the OperationOutcome entry, when there is one. */
  readonly issue: LegacyIssue | undefined;
  /** A query hit's Flag: its id, status, assessment date and the contained Patient's NHS number. */
  readonly flag:
    | {
        readonly id: string | undefined;
        readonly status: string | undefined;
        readonly start: string | undefined;
        readonly nhsNumber: string | undefined;
      }
    | undefined;
}

/** Reads a legacy message Bundle, or `undefined` when the text is not well-formed XML with a FHIR `Bundle` root. */
export function readLegacyMessage(text: string): LegacyMessage | undefined {
  const bundle = readXml(text);
  if (bundle?.name !== 'Bundle') return undefined;
  const resources = entryResources(bundle);
  const header = resources.find((resource) => resource.name === 'MessageHeader');
  const outcome = resources.find((resource) => resource.name === 'OperationOutcome');
  const issue = children(outcome, 'issue')[0];
  const flag = resources.find((resource) => resource.name === 'Flag');
  const patient = children(flag, 'contained').flatMap((contained) => children(contained, 'Patient'))[0];
  const identifier = children(patient, 'identifier').find((found) => valueAt(found, 'system') === LEGACY_NHS_NUMBER_SYSTEM);
  return {
    resourceTypes: resources.map((resource) => resource.name),
    header: {
      id: valueAt(header, 'id'),
      event: valueAt(header, 'event', 'code'),
      responseIdentifier: valueAt(header, 'response', 'identifier'),
      responseCode: valueAt(header, 'response', 'code'),
      sourceName: valueAt(header, 'source', 'name'),
      sourceEndpoint: valueAt(header, 'source', 'endpoint'),
      destinationEndpoint: valueAt(header, 'destination', 'endpoint'),
      data: valueAt(header, 'data', 'reference'),
    },
    issue:
      issue === undefined
        ? undefined
        : {
            severity: valueAt(issue, 'severity'),
            issueType: valueAt(issue, 'code'),
            system: valueAt(issue, 'details', 'coding', 'system'),
            code: valueAt(issue, 'details', 'coding', 'code'),
            display: valueAt(issue, 'details', 'coding', 'display'),
            diagnostics: valueAt(issue, 'diagnostics'),
          },
    flag:
      flag === undefined
        ? undefined
        : {
            id: valueAt(flag, 'id'),
            status: valueAt(flag, 'status'),
            start: valueAt(flag, 'period', 'start'),
            nhsNumber: valueAt(identifier, 'value'),
          },
  };
}
