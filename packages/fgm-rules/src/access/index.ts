/**
 * Who may do what: the ASID allow-list (D-4), the access-token claims and
 * the RBAC activity map (D-5). The policy is configuration, parsed here.
 */
import * as v from 'valibot';
import { asidError, catalogue } from '../catalogue/index.ts';
import { type Interaction, PERMISSIONS, permissionFor } from '../interaction/index.ts';
import { type Result, fail, ok } from '../result/index.ts';

const ASID = /^[0-9]{12}$/;

/** Whether a value is an Accredited System ID (exactly 12 digits): the one ASID pattern. */
export function isAsid(value: unknown): value is string {
  return typeof value === 'string' && ASID.test(value);
}

/** valibot schema of an ASID. */
export const AsidSchema = v.pipe(
  v.string(),
  v.check((value: string) => isAsid(value), 'an ASID is exactly 12 digits'),
);

/** @internal A list of permissions; `read` is not one (read uses `search`, D-4), so it is refused rather than ignored. */
const PermissionListSchema = v.array(v.picklist(PERMISSIONS, 'a permission is search, add or remove (read uses search)'));

/**
 * The access policy: this service's ASID, the interactions each calling
 * ASID may use, and the interactions each RBAC activity code grants.
 */
export const AccessPolicySchema = v.object({
  serviceAsid: AsidSchema,
  asids: v.record(AsidSchema, PermissionListSchema),
  activities: v.record(v.pipe(v.string(), v.nonEmpty()), PermissionListSchema),
});
export type AccessPolicy = v.InferOutput<typeof AccessPolicySchema>;

/** The issues found in an invalid access policy (for start-up diagnostics, never sent to clients). */
export type PolicyIssues = readonly { readonly path: string; readonly message: string }[];

/**
 * Validates an access policy read from configuration.
 *
 * @returns the policy, or the list of what is wrong with it.
 */
export function parseAccessPolicy(input: unknown): { ok: true; value: AccessPolicy } | { ok: false; issues: PolicyIssues } {
  const result = v.safeParse(AccessPolicySchema, input);
  if (result.success) return { ok: true, value: result.output };
  return {
    ok: false,
    issues: result.issues.map((issue) => ({ path: v.getDotPath(issue) ?? '', message: issue.message })),
  };
}

/**
 * ASID authorisation (D-4): `ToASID` must be this service's ASID and
 * `FromASID` must be allowed the interaction (read uses the search permission).
 */
export function authoriseAsid(policy: AccessPolicy, fromAsid: string, toAsid: string, interaction: Interaction): Result<void> {
  const permission = permissionFor(interaction);
  const allowed = Object.hasOwn(policy.asids, fromAsid) ? policy.asids[fromAsid] : undefined;
  if (toAsid !== policy.serviceAsid || !allowed?.includes(permission)) return fail(asidError(interaction));
  return ok(undefined);
}

/** @internal A claim naming a person, role or organisation: 1–64 visible ASCII characters (D-17), so nothing longer reaches the audit trail. */
const IdentityClaimSchema = v.pipe(v.string(), v.regex(/^[\x21-\x7E]{1,64}$/));

/** The verified claims the service relies on (D-5, D-17). */
export const AccessTokenClaimsSchema = v.object({
  sub: IdentityClaimSchema,
  exp: v.number(),
  iat: v.optional(v.number()),
  nbf: v.optional(v.number()),
  iss: v.string(),
  aud: v.union([v.string(), v.array(v.string())]),
  activities: v.array(v.string()),
  role: v.optional(IdentityClaimSchema),
  org: v.optional(IdentityClaimSchema),
});
export type AccessTokenClaims = v.InferOutput<typeof AccessTokenClaimsSchema>;

/** The longest token lifetime accepted unless configured otherwise: 12 hours (D-17). */
export const DEFAULT_MAX_TOKEN_TTL_SECONDS = 43_200;

/** How far a token's `iat` may lie in the future, for clock skew (D-17). */
const MAX_ISSUED_IN_FUTURE_SECONDS = 60;

/** What the token limits are judged against. */
export interface TokenLimits {
  /** The request's time. */
  readonly now: Date;
  /** The longest accepted lifetime from now to `exp`; {@link DEFAULT_MAX_TOKEN_TTL_SECONDS} unless configured. */
  readonly maxTtlSeconds?: number | undefined;
}

/**
 * Checks that a verified token's payload has every required claim (D-5) and
 * keeps within the limits of D-17: `iat` at most 60 s ahead, `exp` at most
 * the configured lifetime ahead, `nbf` not in the future, and `sub`, `role`
 * and `org` of 1–64 visible ASCII characters. Signature, `exp`, `iss` and
 * `aud` are verified by the JWT library before this.
 */
export function parseAccessTokenClaims(payload: unknown, limits: TokenLimits): Result<AccessTokenClaims> {
  const result = v.safeParse(AccessTokenClaimsSchema, payload);
  if (!result.success) return fail(catalogue.INVALID_TOKEN);
  const claims = result.output;
  const now = Math.floor(limits.now.getTime() / 1000);
  const maxTtl = limits.maxTtlSeconds ?? DEFAULT_MAX_TOKEN_TTL_SECONDS;
  if (claims.exp > now + maxTtl) return fail(catalogue.INVALID_TOKEN);
  if (claims.iat !== undefined && claims.iat > now + MAX_ISSUED_IN_FUTURE_SECONDS) return fail(catalogue.INVALID_TOKEN);
  if (claims.nbf !== undefined && claims.nbf > now) return fail(catalogue.INVALID_TOKEN);
  return ok(claims);
}

/** User RBAC (D-5): some activity in the token must grant the interaction (read uses search). */
export function authoriseUser(policy: AccessPolicy, activities: readonly string[], interaction: Interaction): Result<void> {
  const permission = permissionFor(interaction);
  for (const activity of activities) {
    if (Object.hasOwn(policy.activities, activity) && policy.activities[activity]?.includes(permission)) return ok(undefined);
  }
  return fail(catalogue.USER_NOT_AUTHORISED);
}
