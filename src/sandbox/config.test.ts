import { describe, expect, it } from 'vitest';
import { readSandboxEnv } from './config';

describe('environment (npm run sandbox)', () => {
  it('SANDBOX_POLICY: strict by default, lenient when asked, anything else stops with a message naming it', () => {
    expect(readSandboxEnv({}).policy).toBe('strict');
    expect(readSandboxEnv({ SANDBOX_POLICY: 'lenient' }).policy).toBe('lenient');
    expect(readSandboxEnv({ SANDBOX_POLICY: 'strict' }).policy).toBe('strict');
    for (const value of ['loose', 'Lenient', '', 'true']) {
      expect(() => readSandboxEnv({ SANDBOX_POLICY: value }), value).toThrow(/SANDBOX_POLICY: must be "strict" or "lenient"/);
    }
  });

  it('SANDBOX_SEED_USERS: 0 by default, a whole number up to 100 000', () => {
    expect(readSandboxEnv({}).seedUsers).toBe(0);
    expect(readSandboxEnv({ SANDBOX_SEED_USERS: '0' }).seedUsers).toBe(0);
    expect(readSandboxEnv({ SANDBOX_SEED_USERS: '10000' }).seedUsers).toBe(10_000);
    expect(readSandboxEnv({ SANDBOX_SEED_USERS: '100000' }).seedUsers).toBe(100_000);
    expect(() => readSandboxEnv({ SANDBOX_SEED_USERS: '100001' })).toThrow(/SANDBOX_SEED_USERS: must be at most 100000/);
    for (const value of ['-1', '1.5', 'ten', '', '1e3']) {
      expect(() => readSandboxEnv({ SANDBOX_SEED_USERS: value }), value).toThrow(/SANDBOX_SEED_USERS: must be a whole number/);
    }
  });
});
