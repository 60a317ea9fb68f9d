/**
 * The Spine details code a response carried, read from the response itself.
 */

/** The details code in a legacy response Bundle's OperationOutcome, which this service writes in one fixed shape. */
const LEGACY_DETAILS_CODE = /<OperationOutcome>.*?<details><coding><system value="[^"]*"\/><code value="([A-Z0-9_]+)"\/>/;

/** @internal Details codes already read, per response: the request log and the audit record read the same one once. */
const readCodes = new WeakMap<Response, Promise<string | null>>();

/**
 * The details code of the OperationOutcome in an error or warning response
 * (FHIR JSON on R4, a message Bundle in XML on legacy messaging), read from
 * a clone of it, so what is recorded is exactly what was sent; `null` for a
 * success or any other body.
 */
export function detailsCodeOf(response: Response): Promise<string | null> {
  let code = readCodes.get(response);
  if (!code) {
    code = readDetailsCode(response);
    readCodes.set(response, code);
  }
  return code;
}

/** @internal Reads the details code from a clone of the response. */
async function readDetailsCode(response: Response): Promise<string | null> {
  const type = response.headers.get('Content-Type') ?? '';
  if (response.status >= 400 && type.startsWith('application/xml+fhir')) {
    // Decoded by hand: the runtime warns when .text() meets a Content-Type it does not take for text.
    return LEGACY_DETAILS_CODE.exec(new TextDecoder().decode(await response.clone().arrayBuffer()))?.[1] ?? null;
  }
  if (response.status < 400 || !type.startsWith('application/fhir+json')) return null;
  try {
    const outcome = (await response.clone().json()) as { issue?: { details?: { coding?: { code?: unknown }[] } }[] };
    const code = outcome.issue?.[0]?.details?.coding?.[0]?.code;
    return typeof code === 'string' ? code : null;
  } catch {
    return null;
  }
}
