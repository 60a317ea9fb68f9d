/**
 * Calling the legacy messaging endpoints as a Spine client would, and
 * reading their message Bundles back into plain objects to assert whole.
 */
import type { XmlElement } from '@fgm-is/rules';
import createXml from '../../examples/legacy/create.xml?raw';
import deleteXml from '../../examples/legacy/delete.xml?raw';
import queryXml from '../../examples/legacy/query.xml?raw';
import { parseXml } from '../../src/legacy/xml.ts';
import { call } from './http.ts';

/** The example request messages shipped in `examples/legacy/`. */
export const EXAMPLES = { query: queryXml, create: createXml, delete: deleteXml } as const;

/** The example's request MessageHeader ids. */
export const EXAMPLE_MESSAGE_IDS = {
  query: '14daadee-26e1-4d6a-9e6a-7f4af9b58870',
  create: '3b2e4c7d-8e9f-4a01-9b2c-3d4e5f607182',
  delete: '5d4a6e9f-a0b1-4c23-9d4e-5f60718293a4',
} as const;

/** A message: an example, with text replaced everywhere (`[from, to]` pairs, each must occur). */
export function message(interaction: keyof typeof EXAMPLES, ...replacements: [string, string][]): string {
  let text: string = EXAMPLES[interaction];
  for (const [from, to] of replacements) {
    if (!text.includes(from)) throw new Error(`the ${interaction} example has no ${from}`);
    text = text.split(from).join(to);
  }
  return text;
}

/** Posts a message to a legacy endpoint. */
export function post(interaction: 'query' | 'create' | 'delete', body: string | Uint8Array, headers: Record<string, string> = {}): Promise<Response> {
  return call(`/fhir/fgm/${interaction}`, { method: 'POST', headers: { 'Content-Type': 'application/xml+fhir; charset=utf-8', ...headers }, body });
}

/** A response body as text, decoded without the runtime's warning about non-text Content-Types. */
async function textOf(response: Response): Promise<string> {
  return new TextDecoder().decode(await response.arrayBuffer());
}

const childrenNamed = (element: XmlElement, name: string) => element.children.filter((c) => c.fhir && c.name === name);
const valueAt = (element: XmlElement | undefined, ...path: string[]): string | undefined => {
  let current = element;
  for (const name of path) current = current ? childrenNamed(current, name)[0] : undefined;
  return current?.attributes.value;
};
const child = (element: XmlElement | undefined, name: string) => (element ? childrenNamed(element, name)[0] : undefined);

/** A response message Bundle, read into the facts a client relies on. */
export interface ReadReply {
  readonly type: string | undefined;
  readonly entries: string[];
  readonly header: {
    readonly event: string | undefined;
    readonly eventSystem: string | undefined;
    readonly identifier: string | undefined;
    readonly code: string | undefined;
    readonly details: string | undefined;
    readonly source: string | undefined;
    readonly sourceName: string | undefined;
    readonly destination: string | undefined;
    readonly data: string | undefined;
  };
  readonly outcome?: Record<'id' | 'severity' | 'code' | 'system' | 'detailsCode' | 'display' | 'diagnostics', string | undefined>;
  readonly flag?: Record<'id' | 'status' | 'start' | 'nhsNumber' | 'code' | 'system' | 'subject', string | undefined>;
}

/** Reads a legacy response (asserting it is well-formed XML in the FHIR namespace). */
export async function readReply(response: Response): Promise<ReadReply> {
  const parsed = parseXml(await textOf(response));
  if (!parsed.ok) throw new Error(`the response is not well-formed: ${parsed.refusal}`);
  const bundle = parsed.root;
  const resources = childrenNamed(bundle, 'entry').map((entry) => child(entry, 'resource')?.children[0]);
  const header = resources[0];
  const outcome = resources.find((resource) => resource?.name === 'OperationOutcome');
  const flag = resources.find((resource) => resource?.name === 'Flag');
  const issue = child(outcome, 'issue');
  const patient = child(child(flag, 'contained'), 'Patient');
  return {
    type: valueAt(bundle, 'type'),
    entries: resources.map((resource) => resource?.name ?? '?'),
    header: {
      event: valueAt(header, 'event', 'code'),
      eventSystem: valueAt(header, 'event', 'system'),
      identifier: valueAt(header, 'response', 'identifier'),
      code: valueAt(header, 'response', 'code'),
      details: valueAt(header, 'response', 'details', 'reference'),
      source: valueAt(header, 'source', 'endpoint'),
      sourceName: valueAt(header, 'source', 'name'),
      destination: valueAt(header, 'destination', 'endpoint'),
      data: valueAt(header, 'data', 'reference'),
    },
    ...(outcome
      ? {
          outcome: {
            id: valueAt(outcome, 'id'),
            severity: valueAt(issue, 'severity'),
            code: valueAt(issue, 'code'),
            system: valueAt(issue, 'details', 'coding', 'system'),
            detailsCode: valueAt(issue, 'details', 'coding', 'code'),
            display: valueAt(issue, 'details', 'coding', 'display'),
            diagnostics: valueAt(issue, 'diagnostics'),
          },
        }
      : {}),
    ...(flag
      ? {
          flag: {
            id: valueAt(flag, 'id'),
            status: valueAt(flag, 'status'),
            start: valueAt(flag, 'period', 'start'),
            nhsNumber: valueAt(patient, 'identifier', 'value'),
            system: valueAt(flag, 'code', 'coding', 'system'),
            code: valueAt(flag, 'code', 'coding', 'code'),
            subject: valueAt(flag, 'subject', 'reference'),
          },
        }
      : {}),
  };
}
