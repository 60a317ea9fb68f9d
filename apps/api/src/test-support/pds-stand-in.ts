/**
 * A strict stand-in for the NHS API platform's token endpoint and PDS, for
 * tests only (never a network call to the NHS from a test). The token
 * endpoint verifies the client assertion as the platform does: RS512 with the
 * registered public key (real `jose` verification), header `kid`, `iss` =
 * `sub` = the API key, `aud` = the token URL, a `jti` never seen before,
 * `exp` in the future and at most 5 minutes ahead, and the form's grant and
 * assertion types. PDS answers `GET /Patient/{nhs}` only with a bearer token
 * it issued and an `X-Request-ID` UUID, from the sandbox patients unless told
 * otherwise. Runs in workerd (unit tests) and Node (the end-to-end test).
 */
import { type CryptoKey, type JWK, decodeProtectedHeader, importJWK, jwtVerify } from 'jose';

/** What the stand-in is told. */
export interface PdsStandInOptions {
  /** The token URL the assertions must name as `aud` (the stand-in's own token endpoint as the Worker calls it). */
  readonly tokenUrl: string;
  readonly apiKey: string;
  readonly keyId: string;
  /** The application's public key, as registered with the platform. */
  readonly publicJwk: JWK;
  /** NHS number → Patient demographics. */
  readonly patients: Readonly<Record<string, { gender?: string; birthDate?: string }>>;
  /** NHS numbers PDS answers with another record's id (superseded, merged into that one). */
  readonly superseded?: Readonly<Record<string, string>>;
  /** How long an issued token lives, in seconds (the platform: 599, as a string). */
  readonly tokenLifetimeSeconds?: number;
  /** The clock, in ms since the epoch (tests move it). */
  readonly now?: () => number;
}

/** What the stand-in saw and can be made to do. */
export interface PdsStandIn {
  /** Answers one request to the token endpoint (`POST …/oauth2/token`) or PDS (`GET …/Patient/{nhs}`). */
  handle(request: Request): Promise<Response>;
  /** Token requests accepted and refused, lookups answered, and why the last refusal happened. */
  readonly stats: { tokensIssued: number; tokensRefused: number; lookups: number; lastRefusal: string; correlationIds: string[] };
  /** `ok`: as PDS; `down`: PDS answers 503 to every lookup. */
  mode: 'ok' | 'down';
  /** Forgets every issued token: the next lookups get 401 until a new token is fetched. */
  revokeTokens(): void;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** @internal A FHIR OperationOutcome answer as PDS words them. */
const outcome = (status: number, code: string, diagnostics: string) =>
  Response.json(
    {
      resourceType: 'OperationOutcome',
      issue: [
        {
          severity: 'error',
          code: 'invalid',
          details: { coding: [{ system: 'https://fhir.nhs.uk/R4/CodeSystem/Spine-ErrorOrWarningCode', code }] },
          diagnostics,
        },
      ],
    },
    { status },
  );

/** Creates the stand-in. */
export function createPdsStandIn(options: PdsStandInOptions): PdsStandIn {
  let key: Promise<CryptoKey | Uint8Array> | undefined;
  const issued = new Map<string, number>();
  const seenJti = new Set<string>();
  const stats = { tokensIssued: 0, tokensRefused: 0, lookups: 0, lastRefusal: '', correlationIds: [] as string[] };
  const lifetime = options.tokenLifetimeSeconds ?? 599;
  const clock = options.now ?? Date.now;

  const refuseToken = (why: string) => {
    stats.tokensRefused += 1;
    stats.lastRefusal = why;
    return Response.json({ error: 'invalid_request', error_description: why }, { status: 400 });
  };

  async function token(request: Request): Promise<Response> {
    const form = new URLSearchParams(await request.text());
    if (request.headers.get('Content-Type')?.split(';')[0] !== 'application/x-www-form-urlencoded') return refuseToken('content type');
    if (form.get('grant_type') !== 'client_credentials') return refuseToken('grant_type');
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') return refuseToken('client_assertion_type');
    const assertion = form.get('client_assertion') ?? '';
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(assertion);
    } catch {
      return refuseToken('assertion is not a JWS');
    }
    if (header.alg !== 'RS512') return refuseToken('alg must be RS512');
    if (header.kid !== options.keyId) return refuseToken('kid is not the registered key');
    key ??= importJWK(options.publicJwk, 'RS512');
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(assertion, await key, {
        algorithms: ['RS512'],
        issuer: options.apiKey,
        subject: options.apiKey,
        audience: options.tokenUrl,
        requiredClaims: ['exp', 'jti'],
        currentDate: new Date(clock()),
      }));
    } catch (error) {
      return refuseToken(`assertion does not verify: ${error instanceof Error ? error.message : String(error)}`);
    }
    const now = Math.floor(clock() / 1000);
    if (typeof payload.exp !== 'number' || payload.exp > now + 300) return refuseToken('exp more than 5 minutes ahead');
    if (typeof payload.jti !== 'string' || seenJti.has(payload.jti)) return refuseToken('jti reused');
    seenJti.add(payload.jti);
    const accessToken = `stand-in-${crypto.randomUUID()}`;
    issued.set(accessToken, clock() + lifetime * 1000);
    stats.tokensIssued += 1;
    return Response.json({ access_token: accessToken, expires_in: String(lifetime), token_type: 'Bearer', issued_at: String(clock()) });
  }

  async function patient(request: Request, nhsNumber: string): Promise<Response> {
    const bearer = /^Bearer (.+)$/.exec(request.headers.get('Authorization') ?? '')?.[1];
    const expires = bearer === undefined ? undefined : issued.get(bearer);
    if (expires === undefined || expires < clock()) return outcome(401, 'ACCESS_DENIED', 'Invalid access token');
    if (!UUID.test(request.headers.get('X-Request-ID') ?? '')) return outcome(400, 'INVALID_VALUE', 'Invalid value - X-Request-ID');
    stats.lookups += 1;
    const correlation = request.headers.get('X-Correlation-ID');
    if (correlation) stats.correlationIds.push(correlation);
    if (stand.mode === 'down') return new Response('Service Unavailable', { status: 503 });
    if (!/^\d{10}$/.test(nhsNumber)) return outcome(400, 'INVALID_RESOURCE_ID', 'Resource Id is invalid');
    const id = options.superseded?.[nhsNumber] ?? nhsNumber;
    const record = options.patients[id];
    if (!record) return outcome(404, 'RESOURCE_NOT_FOUND', 'Patient record not found');
    return Response.json(
      {
        resourceType: 'Patient',
        id,
        meta: { versionId: '2', security: [{ code: 'U', display: 'unrestricted' }] },
        ...record,
        name: [{ family: 'Stand-in' }],
      },
      { headers: { 'Content-Type': 'application/fhir+json' } },
    );
  }

  const stand: PdsStandIn = {
    mode: 'ok',
    stats,
    revokeTokens() {
      issued.clear();
    },
    async handle(request) {
      const url = new URL(request.url);
      if (request.method === 'POST' && url.pathname.endsWith('/oauth2/token')) return token(request);
      const match = /\/Patient\/([^/]+)$/.exec(url.pathname);
      if (request.method === 'GET' && match?.[1] !== undefined) return patient(request, decodeURIComponent(match[1]));
      return new Response('not found', { status: 404 });
    },
  };
  return stand;
}
