import { describe, expect, it } from 'vitest';
import { catalogue } from '../catalogue/index.ts';
import { INTERACTIONS } from '../interaction/index.ts';
import { DEFAULT_MAX_TOKEN_TTL_SECONDS, authoriseAsid, authoriseUser, parseAccessPolicy, parseAccessTokenClaims as parseClaims } from './index.ts';

const SANDBOX = {
  serviceAsid: '200000000000',
  asids: {
    '200000000001': ['search', 'add', 'remove'],
    '200000000002': ['search'],
    '200000000003': [],
  },
  activities: { B0370: ['search'], B0380: ['search', 'add', 'remove'], B0999: ['search', 'add', 'remove'] },
};
const parsed = parseAccessPolicy(SANDBOX);
if (!parsed.ok) throw new Error('sandbox policy must parse');
const policy = parsed.value;
const ASID_ERROR = { search: catalogue.S3, read: catalogue.S3, add: catalogue.A9, remove: catalogue.R5 };

describe('parseAccessPolicy', () => {
  it('accepts the sandbox policy', () => expect(parsed.ok).toBe(true));
  it('reports what is wrong, with paths', () => {
    const result = parseAccessPolicy({ serviceAsid: '123', asids: { abc: ['search'] }, activities: { B0370: ['delete'] } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['serviceAsid', 'activities.B0370.0']));
  });
  it('[H-04] refuses "read" as a permission rather than ignoring it: read uses search (D-4)', () => {
    const result = parseAccessPolicy({ ...SANDBOX, asids: { '200000000002': ['read'] } });
    expect(result).toEqual({
      ok: false,
      issues: [{ path: 'asids.200000000002.0', message: 'a permission is search, add or remove (read uses search)' }],
    });
  });
});

describe('[H-04] authoriseAsid (D-4)', () => {
  const expected: Record<string, readonly string[]> = {
    '200000000001': ['search', 'read', 'add', 'remove'],
    '200000000002': ['search', 'read'],
    '200000000003': [],
    '200000000009': [],
    constructor: [],
    ['__proto__']: [],
  };
  for (const [asid, allowed] of Object.entries(expected)) {
    for (const interaction of INTERACTIONS) {
      const ok = allowed.includes(interaction);
      it(`FromASID ${asid} ${ok ? 'may' : 'may not'} ${interaction}`, () => {
        expect(authoriseAsid(policy, asid, '200000000000', interaction)).toEqual(
          ok ? { ok: true, value: undefined } : { ok: false, error: ASID_ERROR[interaction] },
        );
      });
    }
  }

  it('refuses a ToASID that is not this service', () => {
    for (const interaction of INTERACTIONS) {
      expect(authoriseAsid(policy, '200000000001', '200000000001', interaction)).toEqual({ ok: false, error: ASID_ERROR[interaction] });
    }
  });
});

describe('[H-04] access token claims and RBAC (D-5)', () => {
  const NOW = new Date('2026-11-21T10:00:00.000Z');
  const now = NOW.getTime() / 1000;
  const claims = { sub: '555555555555', exp: now + 600, iss: 'https://auth.sandbox.fgm-is.local', aud: 'fgm-is-api', activities: ['B0370'] };
  const limits = { now: NOW };
  const parseAccessTokenClaims = (payload: unknown, given: Parameters<typeof parseClaims>[1] = limits) => parseClaims(payload, given);

  it('accepts the required claims and keeps the optional ones', () => {
    expect(parseAccessTokenClaims({ ...claims, role: 'R8000', org: 'A12345', extra: 1 })).toEqual({
      ok: true,
      value: { ...claims, role: 'R8000', org: 'A12345' },
    });
  });

  it.each(['sub', 'exp', 'iss', 'aud', 'activities'])('refuses a token without %s', (claim) => {
    const payload: Record<string, unknown> = { ...claims };
    delete payload[claim];
    expect(parseAccessTokenClaims(payload)).toEqual({ ok: false, error: catalogue.INVALID_TOKEN });
  });

  describe('token limits (D-17)', () => {
    it.each([
      ['iat exactly 60 s ahead (clock skew)', { iat: now + 60 }, true],
      ['iat 61 s ahead', { iat: now + 61 }, false],
      ['exp exactly the default 12 h ahead', { exp: now + DEFAULT_MAX_TOKEN_TTL_SECONDS }, true],
      ['exp one second beyond 12 h', { exp: now + DEFAULT_MAX_TOKEN_TTL_SECONDS + 1 }, false],
      ['exp ten years ahead', { exp: now + 10 * 365 * 86_400 }, false],
      ['nbf now', { nbf: now }, true],
      ['nbf one second ahead', { nbf: now + 1 }, false],
      ['sub of 64 visible ASCII characters', { sub: 'x'.repeat(64) }, true],
      ['sub of 65 characters', { sub: 'x'.repeat(65) }, false],
      ['an empty sub', { sub: '' }, false],
      ['a sub with a space', { sub: '555 555' }, false],
      ['a sub with non-ASCII', { sub: 'sub-é' }, false],
      ['a role of 11,000 characters', { role: 'R'.repeat(11_000) }, false],
      ['an org with a control character', { org: 'A1\n2345' }, false],
      ['a role that is not a string', { role: 8000 }, false],
    ])('%s → %s', (_name, change, accepted) => {
      expect(parseAccessTokenClaims({ ...claims, ...change }).ok).toBe(accepted);
      if (!accepted) expect(parseAccessTokenClaims({ ...claims, ...change })).toEqual({ ok: false, error: catalogue.INVALID_TOKEN });
    });

    it('takes the longest lifetime from configuration', () => {
      expect(parseAccessTokenClaims({ ...claims, exp: now + 3600 }, { now: NOW, maxTtlSeconds: 3600 }).ok).toBe(true);
      expect(parseAccessTokenClaims({ ...claims, exp: now + 3601 }, { now: NOW, maxTtlSeconds: 3600 }).ok).toBe(false);
    });
  });

  it('refuses activities that are not a list of strings', () => {
    expect(parseAccessTokenClaims({ ...claims, activities: 'B0370' }).ok).toBe(false);
    expect(parseAccessTokenClaims({ ...claims, activities: [1] }).ok).toBe(false);
  });

  it.each([
    [['B0370'], ['search', 'read']],
    [['B0999'], ['search', 'read', 'add', 'remove']],
    [
      ['B0370', 'B0999'],
      ['search', 'read', 'add', 'remove'],
    ],
    [[], []],
    [['B9999', 'toString', '__proto__'], []],
  ])('activities %j grant %j', (activities, granted) => {
    for (const interaction of INTERACTIONS) {
      const result = authoriseUser(policy, activities, interaction);
      expect(result.ok).toBe(granted.includes(interaction));
      if (!result.ok) expect(result.error).toBe(catalogue.USER_NOT_AUTHORISED);
    }
  });
});
