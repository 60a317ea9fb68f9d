import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
/**
 * `@fgm-is/conformance` against this Worker, through its real fetch
 * handler: every check passes, twice in a row on the same state (the kit
 * puts each patient it uses into the state it needs, and the seeded flag of
 * 9000000009 survives). Then against deliberately broken versions of the
 * Worker, each breaking one thing a supplier relies on, to prove the kit
 * catches each one.
 */
import { type Report, listChecks, runConformance } from '@fgm-is/conformance';
import { describe, expect, it, vi } from 'vitest';
import worker from '../src/index.ts';
import { checkResponse } from './support/contract.ts';
import { BASE, SEEDED_FLAG_ID, call, fgmHeaders } from './support/http.ts';
import { useSandbox } from './support/sandbox.ts';

// A whole run is about 200 requests (a few seconds here); each test below makes one or two, and the sandbox's after-each
// clean-up then has some twenty ledger objects to wipe.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 30_000 });

/**
 * The Worker's exported fetch handler with the real bindings and an execution context waited on, so each request's
 * audit writes land before the next. Not `exports.default.fetch`: each call through it gets slower with every earlier
 * one in the same file (cloudflare/workers-sdk#15446), and this file makes some 1,600.
 */
async function handle(request: Request): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(request, env, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

useSandbox();

/** The Worker, each response checked against the OpenAPI document. */
const checkedWorker: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  const response = await handle(request);
  await checkResponse(request.method, request.url, response.clone());
  return response;
};

/** The Worker with its answers rewritten by `breakIt`. */
function broken(breakIt: (request: Request, response: Response, text: string) => Response | Promise<Response>): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const response = await handle(request.clone());
    return breakIt(request, response, await response.text());
  };
}

/** A copy of a response with another status, headers or body. */
function rewrite(response: Response, text: string, changes: { status?: number; body?: string; headers?: (headers: Headers) => void } = {}): Response {
  const headers = new Headers(response.headers);
  changes.headers?.(headers);
  const status = changes.status ?? response.status;
  return new Response(status === 204 || text === '' ? null : (changes.body ?? text), { status, headers });
}

const failedIds = (report: Report) => report.results.filter((result) => result.outcome === 'failed').map((result) => result.id);

describe('fgm-is-conformance against this Worker', () => {
  it('passes every check, twice in a row on the same state, and leaves the seeded flag of 9000000009 in place', async () => {
    for (const run of [1, 2]) {
      const report = await runConformance({ baseUrl: BASE, fetch: checkedWorker });
      expect({ run, failed: report.results.filter((result) => result.outcome !== 'passed') }).toEqual({ run, failed: [] });
      expect(report.passed).toBe(listChecks().length);
    }
    // The seeded flag itself (not one added back by the kit) is still active.
    const flag = await call(`/Flag/${SEEDED_FLAG_ID}`, { headers: await fgmHeaders() });
    expect(((await flag.json()) as { status: string; meta: { versionId: string } }).status).toBe('active');
  });

  it('checks each catalogue row of §8 (S1–S3, A1–A9, R1–R5) and of the legacy table at least once', () => {
    const ids = listChecks().map((check) => check.id);
    for (const row of ['S1', 'S2', 'S3', 'A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7', 'A8', 'A9', 'R1', 'R2', 'R3', 'R4', 'R5']) {
      expect(ids.some((id) => id.startsWith(`${row}-`))).toBe(true);
    }
    for (const code of [
      'NO_RECORD_FOUND',
      'INVALID_NHS_NUMBER',
      'PATIENT_OVER_18',
      'INVALID_PARAMETER',
      'MESSAGE_NOT_WELL_FORMED',
      'ASID_CHECK_FAILED',
      'AUTHOR_CREDENTIALS_ERROR',
    ]) {
      expect(ids.some((id) => id.startsWith(`L-${code}`))).toBe(true);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('fgm-is-conformance catches a broken server', () => {
  it.each([
    {
      broken: 'a search that misses the flag',
      fetch: broken((request, response, text) => {
        const url = new URL(request.url);
        if (request.method !== 'GET' || url.pathname !== '/Flag' || response.status !== 200) return rewrite(response, text);
        const bundle = JSON.parse(text) as Record<string, unknown>;
        delete bundle.entry;
        return rewrite(response, text, { body: JSON.stringify({ ...bundle, total: 0 }) });
      }),
      caught: ['D-10-found', 'D-1-add'],
      // Every check that needs search to find a flag: the kit's own set-up (clearing a patient) also relies on it.
      exactly: [
        'A6-already-set',
        'R3-no-reason',
        'REMOVE_STATUS',
        'REMOVAL_REASON_CODE',
        'VERSION_MISMATCH',
        'D-10-found',
        'D-10-raw-bar-and-extra-parameters',
        'D-1-add',
        'D-9-remove',
        'D-9-guide-extension-form',
        'D-14-concurrent-adds',
        'L-NO_RECORD_FOUND',
        'L-INVALID_PARAMETER-reason-1',
        'L-5-query-hit',
        'L-11.3-no-namespace',
        'L-11.9-query-1_0',
        'L-6-create-then-delete',
      ],
    },
    {
      broken: 'reworded diagnostics',
      fetch: broken((_request, response, text) => rewrite(response, text, { body: text.replace('"Patient is over 18"', '"Patient is 18 or over"') })),
      caught: ['A4-over-18', 'A4-no-birth-date'],
      exactly: ['A4-over-18', 'A4-no-birth-date'],
    },
    {
      broken: 'a 403 answered as 401',
      fetch: broken((_request, response, text) => rewrite(response, text, response.status === 403 ? { status: 401 } : {})),
      caught: ['S3-unknown-receiver', 'A9-read-only-system', 'R5-read-only-system', 'USER_NOT_AUTHORISED', 'L-ASID_CHECK_FAILED-receiver'],
      exactly: [
        'S3-unknown-receiver',
        'S3-sender-without-access',
        'A9-read-only-system',
        'R5-read-only-system',
        'USER_NOT_AUTHORISED',
        'D-5-asid-before-rbac',
        'D-5-rbac-before-body',
        'L-ASID_CHECK_FAILED-receiver',
        'L-ASID_CHECK_FAILED-sender',
        'L-ASID_CHECK_FAILED-no-access',
      ],
    },
    {
      broken: 'a missing ETag',
      fetch: broken((_request, response, text) => rewrite(response, text, { headers: (headers) => headers.delete('ETag') })),
      caught: ['D-1-add', 'D-9-remove'],
      exactly: ['D-1-add', 'D-9-remove'],
    },
    {
      broken: 'a legacy "no record" answered 200',
      fetch: broken((request, response, text) =>
        rewrite(response, text, new URL(request.url).pathname.startsWith('/fhir/fgm/') && response.status === 404 ? { status: 200 } : {}),
      ),
      caught: ['L-NO_RECORD_FOUND'],
      exactly: ['L-NO_RECORD_FOUND', 'L-6-create-then-delete', 'L-11.4-trailing-slash'],
    },
    {
      broken: 'no Cache-Control: no-store on errors',
      fetch: broken((_request, response, text) =>
        rewrite(response, text, response.status >= 400 ? { headers: (headers) => headers.delete('Cache-Control') } : {}),
      ),
      caught: ['S1-check-digit', 'A1-check-digit', 'L-PATIENT_OVER_18'],
      // Every error answer lacks it, so every check of one fails; answers that succeed are untouched.
      unaffected: ['D-22-ping', 'D-10-found', 'D-1-add', 'D-1-prefer', 'L-5-query-hit', 'D-12-metadata'],
    },
  ] as Array<{ broken: string; fetch: typeof fetch; caught: string[]; exactly?: string[]; unaffected?: string[] }>)(
    '$broken',
    async ({ fetch, caught, exactly, unaffected }) => {
      const report = await runConformance({ baseUrl: BASE, fetch });
      expect(failedIds(report)).toEqual(expect.arrayContaining(caught));
      if (exactly) expect(failedIds(report)).toEqual(exactly);
      for (const id of unaffected ?? []) expect(report.results.find((result) => result.id === id)?.outcome, id).toBe('passed');
    },
  );
});
