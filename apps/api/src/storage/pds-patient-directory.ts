import { parsePatientDemographics } from '@fgm-is/rules';
import { DependencyUnavailableError } from '../ports/errors.ts';
import type { PatientDirectory } from '../ports/patient-directory.ts';

/** Options of {@link pdsPatientDirectory}. */
export interface PdsOptions {
  /** PDS FHIR R4 base URL, e.g. `https://api.service.nhs.uk/personal-demographics/FHIR/R4`. */
  readonly baseUrl: string;
  /** The fetch to use (injected so tests can stand up a fake PDS). */
  readonly fetch: typeof fetch;
  /** Give up after this many milliseconds (default 5000). */
  readonly timeoutMs?: number;
  /** Extra request headers, such as the platform's access token. */
  readonly headers?: Record<string, string>;
}

/**
 * The PDS patient directory (D-8): `GET {baseUrl}/Patient/{nhsNumber}`,
 * reading `birthDate` and `gender` through the rules' one demographics
 * schema. 404 means the NHS number is unknown; any other failure, a
 * timeout, or a body that is not a valid Patient (an unknown gender code
 * included) is `DependencyUnavailableError`.
 */
export function pdsPatientDirectory(options: PdsOptions): PatientDirectory {
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 5000;

  return {
    async lookup(nhsNumber) {
      let response: Response;
      try {
        response = await options.fetch(`${base}/Patient/${nhsNumber}`, {
          headers: { Accept: 'application/fhir+json', 'X-Request-ID': crypto.randomUUID(), ...options.headers },
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (cause) {
        throw new DependencyUnavailableError('pds', { cause });
      }
      if (response.status === 404) {
        await response.body?.cancel();
        return null;
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new DependencyUnavailableError('pds');
      }
      let patient: unknown;
      try {
        patient = await response.json();
      } catch (cause) {
        throw new DependencyUnavailableError('pds', { cause });
      }
      const demographics = (patient as { resourceType?: unknown } | null)?.resourceType === 'Patient' ? parsePatientDemographics(patient) : undefined;
      if (!demographics) throw new DependencyUnavailableError('pds');
      return demographics;
    },
  };
}
