/**
 * The published sandbox credentials of spec §15. SANDBOX ONLY: the secret is
 * refused unless ENVIRONMENT is "sandbox" (see config).
 */

/** HS256 key of sandbox access tokens. */
export const SANDBOX_JWT_SECRET = 'fgm-is-sandbox-secret-not-for-production';
/** `iss` of sandbox access tokens. */
export const SANDBOX_ISSUER = 'https://auth.sandbox.fgm-is.local';
/** `aud` of sandbox access tokens. */
export const SANDBOX_AUDIENCE = 'fgm-is-api';
