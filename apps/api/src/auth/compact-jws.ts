/**
 * Compact JWS serialisation (RFC 7515 §7.1) of a JSON header and claims, for
 * the two tokens this project signs itself: the PDS client's RS512 assertion
 * (`storage/platform-token.ts`) and the docs console's HS256 sandbox token
 * (`@fgm-is/docs`). The signing is the caller's, with WebCrypto: a compact
 * JWS is two JSON parts and one signature, where a JWT library's signing and
 * key parsing were 2.4 KiB of the production bundle (gzip).
 */

const encoder = new TextEncoder();

/** @internal Unpadded base64url (RFC 7515 §2). */
function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** @internal One JWS part: a JSON object as UTF-8, base64url-encoded. */
function jsonPart(value: object): string {
  return base64url(encoder.encode(JSON.stringify(value)));
}

/**
 * `header.claims.signature`: the two JSON objects encoded as JWS parts, and
 * `sign`'s signature of the ASCII signing input `header.claims` (for
 * example `(input) => crypto.subtle.sign('HMAC', key, input)`).
 */
export async function signCompactJws(
  header: { readonly alg: string } & Record<string, unknown>,
  claims: Record<string, unknown>,
  sign: (signingInput: Uint8Array<ArrayBuffer>) => Promise<ArrayBuffer>,
): Promise<string> {
  const signingInput = `${jsonPart(header)}.${jsonPart(claims)}`;
  // TextEncoder always returns bytes over a plain ArrayBuffer; some lib typings still say ArrayBufferLike.
  const signature = await sign(encoder.encode(signingInput) as Uint8Array<ArrayBuffer>);
  return `${signingInput}.${base64url(new Uint8Array(signature))}`;
}
