/**
 * `@fgm-is/client`: a typed client for both channels of an FGM-IS server
 * (FHIR R4 JSON and the legacy Spine messaging XML), and a local cache that
 * keeps the 24-hour rule of the FGM IS Local System Integration Requirements.
 *
 * Every call resolves to `{ ok: true, value }` or `{ ok: false, error }`;
 * nothing an HTTP server or the network does makes a call throw. This file
 * is the whole public API.
 *
 * @packageDocumentation
 */

export type { Ok, Err, Result, FgmFlag } from '@fgm-is/rules';

export { createClient } from './client/index.ts';
export type { ClientOptions, FgmClient, LegacyCalls, TokenSource } from './client/index.ts';

export { isRetryableStatus } from './errors/index.ts';
export type { ClientError, KnownErrorCode, TransportCode } from './errors/index.ts';

export type { AddInput, AddValue, FlagValue, RemovalReason, RemoveOptions, SearchValue } from './r4/index.ts';
export type { LegacyAck, LegacyAuthor, LegacyCreateInput, LegacyDeleteOptions, LegacyFlag, LegacyQueryValue } from './legacy/index.ts';
export { readLegacyMessage } from './legacy/message.ts';
export type { LegacyIssue, LegacyMessage } from './legacy/message.ts';
export type { RetryPolicy } from './transport/index.ts';
export { MAX_RETRIES } from './transport/index.ts';

export { MAX_CACHE_AGE_MS, createFlagCache } from './cache/index.ts';
export type { CacheQuery, CachedAnswer, FlagCache, FlagCacheOptions, FlagSource } from './cache/index.ts';
