/**
 * What a check is given: the server, tokens, the sandbox's head parameters,
 * and the state helpers that put a patient into the state a check needs
 * first, so the kit can run again and again against one stateful server.
 *
 * @internal
 */
import { NHS_NUMBER_SYSTEM } from '@fgm-is/rules';
import { ASID, type Answer, type Server, Skip, type TokenSettings, signHs256 } from '../http/index.ts';
import { expectStatus, expectThat, jsonOf } from './expect.ts';

/** The patient whose seeded flag everyone sharing a sandbox relies on: the kit never removes it (§15). */
export const SEEDED_PATIENT = '9000000009';

/** The channels a run covers. */
export type Channel = 'r4' | 'legacy';

/** Options of an R4 request's head parameters; `null` leaves a header out. */
export interface HeadOptions {
  readonly token?: string | null;
  readonly from?: string | null;
  readonly to?: string | null;
  readonly trace?: string | null;
  readonly contentType?: string | null;
}

/** A flag the kit created or found, with its version tag. */
export interface FlagHandle {
  readonly id: string;
  readonly etag: string | null;
}

/** The context every check runs with. */
export class Context {
  private readonly cachedTokens = new Map<string, Promise<string>>();

  constructor(
    readonly server: Server,
    private readonly tokens: TokenSettings,
    readonly channels: readonly Channel[],
    /** A run-unique marker, for TraceIDs and message ids. */
    readonly runId: string,
  ) {}

  /** Skips the check unless tokens are minted here (it needs claims a fixed token cannot have). */
  requireMinting(): { secret: string; issuer: string; audience: string } {
    if (this.tokens.kind !== 'mint') throw new Skip('needs tokens minted by the kit (give --secret, not --token)');
    return this.tokens;
  }

  /** A token with these activities (B0380 by default: everything) and claim overrides; with a fixed token, that token. */
  token(activities: readonly string[] = ['B0380'], claims: Record<string, unknown> = {}): Promise<string> {
    if (this.tokens.kind === 'fixed') {
      if (activities.join() !== 'B0380' || Object.keys(claims).length > 0)
        throw new Skip('needs tokens minted by the kit (give --secret, not --token)');
      return Promise.resolve(this.tokens.token);
    }
    const { secret, issuer, audience } = this.tokens;
    const key = JSON.stringify([activities, claims]);
    const cached = this.cachedTokens.get(key);
    if (cached && Object.keys(claims).length === 0) return cached;
    const now = Math.floor(Date.now() / 1000);
    const token = signHs256(
      { sub: '555555555555', role: 'R8000', org: 'A12345', iss: issuer, aud: audience, iat: now, exp: now + 900, activities, ...claims },
      secret,
    );
    this.cachedTokens.set(key, token);
    return token;
  }

  /** The head parameters of a fully authorised R4 call (§15), with overrides. */
  async head(options: HeadOptions = {}): Promise<Record<string, string>> {
    const token = options.token === undefined ? await this.token() : options.token;
    const values: Record<string, string | null | undefined> = {
      Authorization: token === null ? null : `Bearer ${token}`,
      TraceID: options.trace === undefined ? `fgm-is-conformance-${this.runId}` : options.trace,
      FromASID: options.from === undefined ? ASID.full : options.from,
      ToASID: options.to === undefined ? ASID.service : options.to,
      'Content-Type': options.contentType === undefined ? 'application/fhir+json' : options.contentType,
    };
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(values)) if (value !== null && value !== undefined) headers[name] = value;
    return headers;
  }

  /** `GET /Flag?patient:identifier=…|{nhs}`. */
  async search(nhsNumber: string, head: HeadOptions = {}, extraQuery = ''): Promise<Answer> {
    return this.server.send({ path: `/Flag?patient:identifier=${NHS_NUMBER_SYSTEM}%7C${nhsNumber}${extraQuery}`, headers: await this.head(head) });
  }

  /** `POST /Flag` with a body (an object is sent as JSON). */
  async add(body: unknown, head: HeadOptions = {}, headers: Record<string, string> = {}): Promise<Answer> {
    return this.server.send({
      method: 'POST',
      path: '/Flag',
      headers: { ...(await this.head(head)), ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  /** `PUT /Flag/{id}` with a body. */
  async put(id: string, body: unknown, head: HeadOptions = {}, headers: Record<string, string> = {}): Promise<Answer> {
    return this.server.send({
      method: 'PUT',
      path: `/Flag/${encodeURIComponent(id)}`,
      headers: { ...(await this.head(head)), ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  /** `GET /Flag/{id}`. */
  async read(id: string, head: HeadOptions = {}): Promise<Answer> {
    return this.server.send({ path: `/Flag/${encodeURIComponent(id)}`, headers: await this.head(head) });
  }

  /** `POST /fhir/fgm/{interaction}` with an XML message. */
  legacy(interaction: 'query' | 'create' | 'delete', xml: string, headers: Record<string, string> = {}): Promise<Answer> {
    return this.server.send({
      method: 'POST',
      path: `/fhir/fgm/${interaction}`,
      headers: { 'Content-Type': 'application/xml+fhir; charset=utf-8', ...headers },
      body: xml,
    });
  }

  /** The patient's active flag, as R4 search finds it, or `null`. */
  async activeFlag(nhsNumber: string): Promise<FlagHandle | null> {
    const answer = await this.search(nhsNumber);
    expectStatus(answer, 200);
    const bundle = jsonOf(answer) as { entry?: Array<{ resource?: { id?: string; meta?: { versionId?: string } } }> };
    const resource = bundle.entry?.[0]?.resource;
    if (resource?.id === undefined) return null;
    return { id: resource.id, etag: resource.meta?.versionId === undefined ? null : `W/"${resource.meta.versionId}"` };
  }

  /** Puts a patient into "no active flag" (removing one another run or client left), never the seeded patient's. */
  async clearFlag(nhsNumber: string): Promise<void> {
    if (nhsNumber === SEEDED_PATIENT) throw new Error('the kit never removes the seeded flag of 9000000009');
    const flag = await this.activeFlag(nhsNumber);
    if (flag === null) return;
    const removed = await this.put(flag.id, removeBody(flag.id));
    expectStatus(removed, 200);
  }

  /** Puts a patient into "one active flag, created by this run" and returns it. */
  async freshFlag(nhsNumber: string): Promise<FlagHandle> {
    await this.clearFlag(nhsNumber);
    const answer = await this.add(addBody(nhsNumber));
    expectStatus(answer, 201);
    const flag = jsonOf(answer) as { id?: unknown };
    expectThat(typeof flag.id === 'string', 'the created Flag has an id');
    return { id: flag.id, etag: answer.headers.get('ETag') };
  }

  /** The seeded patient's active flag: when someone removed it, the kit adds one back (it only ever adds for 9000000009). */
  async seededFlag(): Promise<FlagHandle> {
    const flag = await this.activeFlag(SEEDED_PATIENT);
    if (flag !== null) return flag;
    const answer = await this.add(addBody(SEEDED_PATIENT, '2019-12-10'));
    expectStatus(answer, 201);
    return { id: String(jsonOf(answer).id), etag: answer.headers.get('ETag') };
  }
}

/** A valid Add body (spec §4). */
export function addBody(nhsNumber: string, assessmentDate = '2024-05-01', overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    resourceType: 'Flag',
    status: 'active',
    code: {
      coding: [{ system: 'http://snomed.info/sct', code: '902961000000107', display: 'Family history of FGM (female genital mutilation)' }],
      text: 'Family history of FGM (female genital mutilation)',
    },
    subject: { identifier: { system: NHS_NUMBER_SYSTEM, value: nhsNumber } },
    period: { start: assessmentDate },
    ...overrides,
  };
}

/** A valid Remove body (canonical extension, reason 0), with overrides. */
export function removeBody(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    resourceType: 'Flag',
    id,
    status: 'entered-in-error',
    extension: [
      {
        url: 'https://fhir.nhs.uk/England/StructureDefinition/Extension-England-FlagRemovalReason',
        valueCoding: { system: 'https://fhir.nhs.uk/England/CodeSystem/England-FGMRemovalReason', code: '0' },
      },
    ],
    ...overrides,
  };
}
