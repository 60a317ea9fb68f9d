/**
 * The Spine details code a response carried, read from the response itself.
 */

/**
 * The details code of the OperationOutcome in a FHIR JSON error response,
 * read from a clone of it (so what is recorded is exactly what was sent);
 * `null` for a success or any other body.
 */
export async function detailsCodeOf(response: Response): Promise<string | null> {
  if (response.status < 400 || !response.headers.get('Content-Type')?.startsWith('application/fhir+json')) return null;
  try {
    const outcome = (await response.clone().json()) as { issue?: { details?: { coding?: { code?: unknown }[] } }[] };
    const code = outcome.issue?.[0]?.details?.coding?.[0]?.code;
    return typeof code === 'string' ? code : null;
  } catch {
    return null;
  }
}
