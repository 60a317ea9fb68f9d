/**
 * JSON request bodies (D-6, D-12): read within the size limit, then parsed by the rules.
 */
import { catalogue, parseJsonBody } from '@fgm-is/rules';
import { createMiddleware } from 'hono/factory';
import type { EnvWith } from '../app-env.ts';
import { readRequestText } from './request-body.ts';
import { sendOutcome } from './respond.ts';

/*
 * Not `hono/body-limit`: it trusts a declared Content-Length and, when it
 * streams, keeps the reader to itself, so the rest of an oversized body can
 * be neither counted by the rules' `checkBodySize` nor drained (D-23).
 */
/** What {@link jsonBody} sets: the parsed JSON body, for the rules to check. */
export interface BodyVariables {
  body: unknown;
}

/**
 * Reads the request body as JSON: more than the rules' limit (64 KiB) → 413
 * (counted on the bytes received, so a lying or absent Content-Length does
 * not help; the rest is discarded, D-23); invalid UTF-8, JSON or a key
 * given twice → 400 `Invalid request body`.
 */
export function jsonBody() {
  return createMiddleware<EnvWith<BodyVariables>>(async function jsonBody(c, next) {
    const read = await readRequestText(c.req.raw);
    if (read.kind === 'too-large') return sendOutcome(c, catalogue.BODY_TOO_LARGE);
    if (read.kind !== 'text') return sendOutcome(c, catalogue.INVALID_BODY);
    const parsed = parseJsonBody(read.text);
    if (!parsed.ok) return sendOutcome(c, parsed.error);
    c.set('body', parsed.value);
    await next();
  });
}
