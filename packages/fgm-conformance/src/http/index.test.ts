import { describe, expect, it } from 'vitest';
import { signHs256 } from './index.ts';

describe('signHs256', () => {
  it('signs as RFC 7515 does (the jwt.io HS256 example, secret "your-256-bit-secret")', async () => {
    const token = await signHs256({ sub: '1234567890', name: 'John Doe', iat: 1516239022 }, 'your-256-bit-secret', { alg: 'HS256', typ: 'JWT' });
    expect(token).toBe(
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
    );
  });
});
