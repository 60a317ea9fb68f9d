/**
 * The sandbox token endpoint's request and response (sandbox only): what
 * the endpoint checks and answers with, and what the OpenAPI document shows.
 */
import * as v from 'valibot';

/** How long a sandbox token is valid: an hour, as `npm run token` signs them. */
export const SANDBOX_TOKEN_TTL_SECONDS = 3600;

/** What a client asks for: the RBAC activity codes of the `activities` claim, and optionally the user, role profile and organisation. */
export const SandboxTokenRequestSchema = v.strictObject({
  activities: v.pipe(
    v.array(v.pipe(v.string(), v.regex(/^B[0-9]{4}$/))),
    v.maxLength(8),
    v.description('RBAC activity codes: B0380 searches, reads, adds and removes; B0370 searches and reads; [] grants nothing.'),
  ),
  sub: v.optional(v.pipe(v.string(), v.regex(/^[0-9]{12}$/), v.description('SDS user id; 555555555555 when absent.'))),
  role: v.optional(v.pipe(v.string(), v.regex(/^[A-Z0-9]{1,16}$/), v.description('SDS role profile id; R8000 when absent.'))),
  org: v.optional(v.pipe(v.string(), v.regex(/^[A-Z0-9]{3,10}$/), v.description('ODS organisation code; A12345 when absent.'))),
});

/** The token issued: an HS256 JWT signed with the published sandbox secret, with the Worker's own issuer and audience. */
export const SandboxTokenSchema = v.strictObject({
  access_token: v.string(),
  token_type: v.literal('Bearer'),
  expires_in: v.literal(SANDBOX_TOKEN_TTL_SECONDS),
});
