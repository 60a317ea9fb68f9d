import { parsePatientDemographics } from '@fgm-is/rules';
import { DependencyUnavailableError, guardDependency } from '../ports/errors.ts';
import type { LookupContext, PatientDirectory } from '../ports/patient-directory.ts';
import type { AccessTokenSource } from './platform-token.ts';

/** Options of {@link pdsPatientDirectory}. */
export interface PdsOptions {
  /** PDS FHIR R4 base URL, e.g. `https://int.api.service.nhs.uk/personal-demographics/FHIR/R4`. */
  readonly baseUrl: string;
  /** The fetch to use (injected so tests can stand up a PDS stand-in). */
  readonly fetch: typeof fetch;
  /** The NHS API platform's bearer tokens (application-restricted access); none for a PDS that needs none (a local stand-in). */
  readonly accessToken?: AccessTokenSource;
  /** Give up after this many milliseconds (default 5000: a clinician is waiting). */
  readonly timeoutMs?: number;
}

/** PDS's codes for a malformed or invalid NHS number in the path: the number is not in the directory (A1). */
const INVALID_ID_CODES = new Set(['INVALID_RESOURCE_ID', 'INVALID_NHS_NUMBER']);

/** @internal Whether a PDS 400 says the NHS number itself is invalid (rather than our request). */
async function saysInvalidNhsNumber(response: Response): Promise<boolean> {
  try {
    const outcome = (await response.json()) as { issue?: Array<{ details?: { coding?: Array<{ code?: unknown }> } }> };
    return outcome.issue?.some((issue) => issue.details?.coding?.some((coding) => INVALID_ID_CODES.has(String(coding.code)))) === true;
  } catch {
    return false;
  }
}

/**
 * The PDS patient directory (D-8): `GET {baseUrl}/Patient/{nhsNumber}` with
 * the platform's bearer token, an `X-Request-ID` of its own and our request
 * id as `X-Correlation-ID`, reading `birthDate` and `gender` through the
 * rules' one demographics schema.
 *
 * - 200 for this NHS number → its demographics. 200 naming another NHS
 *   number (PDS answers a superseded number with the record it was merged
 *   into) → not in the directory: the flag must be added under the number
 *   PDS now uses, which the supplier gets by tracing again (decisions.md, P-1).
 * - 404, or a 400 saying the NHS number is invalid → not in the directory (A1).
 * - 401 or 403 → the token is renewed once and the lookup tried again; a
 *   second refusal, 429, any other status, a timeout or a body that is not
 *   a valid Patient (an unknown gender code included) →
 *   `DependencyUnavailableError` (503, nothing changed).
 */
export function pdsPatientDirectory(options: PdsOptions): PatientDirectory {
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 5000;

  const get = async (nhsNumber: string, context: LookupContext | undefined): Promise<{ response: Response; token: string | undefined }> => {
    const token = options.accessToken ? await options.accessToken.token() : undefined;
    const headers: Record<string, string> = { Accept: 'application/fhir+json', 'X-Request-ID': crypto.randomUUID() };
    if (token !== undefined) headers.Authorization = `Bearer ${token}`;
    if (context?.correlationId) headers['X-Correlation-ID'] = context.correlationId;
    const response = await guardDependency('pds', () =>
      options.fetch(`${base}/Patient/${nhsNumber}`, { headers, signal: AbortSignal.timeout(timeoutMs) }),
    );
    return { response, token };
  };

  return {
    async lookup(nhsNumber, context) {
      let { response, token } = await get(nhsNumber, context);
      if ((response.status === 401 || response.status === 403) && options.accessToken && token !== undefined) {
        await response.body?.cancel();
        options.accessToken.renew(token);
        ({ response } = await get(nhsNumber, context));
      }
      if (response.status === 404) {
        await response.body?.cancel();
        return null;
      }
      if (response.status === 400) {
        // Read whole either way: PDS's words decide between "no such patient" and a fault of ours.
        if (await saysInvalidNhsNumber(response)) return null;
        throw new DependencyUnavailableError('pds');
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new DependencyUnavailableError('pds');
      }
      const patient: unknown = await guardDependency('pds', () => response.json());
      const resource = patient as { resourceType?: unknown; id?: unknown } | null;
      const demographics = resource?.resourceType === 'Patient' ? parsePatientDemographics(patient) : undefined;
      if (!demographics) throw new DependencyUnavailableError('pds');
      return resource?.id === nhsNumber ? demographics : null;
    },
  };
}
