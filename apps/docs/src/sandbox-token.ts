/**
 * `POST /_sandbox/token` (sandbox only): signs an access token for the docs
 * page console with the sandbox's secret, issuer and audience, exactly as
 * `npm run token` does. The API hands them over with the request
 * (`sandboxSigning` of the {@link DocsContext}); anywhere else the path does
 * not exist.
 */
import { signCompactJws } from '@fgm-is/api/auth/compact-jws';
import type { DocsContext } from '@fgm-is/api/routes';
import { catalogue, isJsonContentType } from '@fgm-is/rules';
import type { Context } from 'hono';
import * as v from 'valibot';
import { readJsonBody } from './json-body.ts';
import { sendOutcome } from './respond.ts';
import { SANDBOX_TOKEN_TTL_SECONDS, SandboxTokenRequestSchema } from './sandbox-token-schema.ts';

/** @internal An HS256 JWT (RFC 7519) of these claims, signed with WebCrypto; the API verifies it with jose like any other token. */
async function signHs256(claims: Record<string, unknown>, secret: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return signCompactJws({ alg: 'HS256', typ: 'JWT' }, claims, (input) => crypto.subtle.sign('HMAC', key, input));
}

/** Issues a sandbox token for the activities asked for; 404 where the console does not exist. */
export async function issueSandboxToken(c: Context<{ Variables: { context: DocsContext } }>): Promise<Response> {
  const signing = c.get('context').sandboxSigning;
  if (!signing) return sendOutcome(c, catalogue.UNKNOWN_PATH);
  // The body first, as the API reads every JSON body (413, or 400 Invalid request body), then its Content-Type.
  const body = await readJsonBody(c.req.raw);
  if (!body.ok) return sendOutcome(c, body.error);
  if (!isJsonContentType(c.req.header('Content-Type'))) return sendOutcome(c, catalogue.INVALID_BODY);
  const request = v.safeParse(SandboxTokenRequestSchema, body.value);
  if (!request.success) return sendOutcome(c, catalogue.INVALID_BODY);
  const { activities, sub = '555555555555', role = 'R8000', org = 'A12345' } = request.output;
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub, iss: signing.issuer, aud: signing.audience, iat: now, exp: now + SANDBOX_TOKEN_TTL_SECONDS, activities, role, org };
  const token = await signHs256(claims, signing.secret);
  return c.json({ access_token: token, token_type: 'Bearer', expires_in: SANDBOX_TOKEN_TTL_SECONDS }, 200);
}
