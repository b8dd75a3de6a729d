// Caller verification (issue 16 item 4): the date of birth never reaches the browser; staff get only
// "matches" or not, each payee's tries are limited in the console's database, and each try is recorded.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PROBLEM_TYPES, problemSchema, verifyCallerPath } from '../api';
import { SEED_PEOPLE } from '../../test/seed';
import { startConsole, type RunningConsole } from '../../test/server-support';
import { payeeKey } from './verify-caller-limit';

const { ada, grace, alan, rosalind } = SEED_PEOPLE;
/** The seed's dates of birth (src/sandbox/seed.ts SEED_SECRETS): the sandbox holds them as MassPay would. */
const ADA_BORN = '1815-12-10';

let clock = Date.parse('2026-03-01T09:00:00Z');
let c: RunningConsole;
beforeAll(async () => {
  c = await startConsole({ verifyCaller: { now: () => clock } });
});
afterAll(() => c.close());
beforeEach(async () => {
  // Every test starts with fresh windows for every payee.
  clock += 60 * 60_000;
  await c.audit.sql.query('DELETE FROM caller_verification_attempts');
});

const verify = (userToken: string, date_of_birth: unknown, as: 'viewer' | 'editor' | 'admin' = 'viewer') =>
  c.call('POST', verifyCallerPath(userToken), { body: { date_of_birth }, as });
const entriesOf = async (requestId: string | null) =>
  (await c.audit.list({ action: 'verify_caller' }, { page: 1, limit: 100 })).entries.filter((entry) => entry.requestId === requestId);
const userReads = () => c.embedded.sandbox.stats.byRoute.getUser ?? 0;

describe('verify caller', () => {
  it('answers only whether the date matches, to every role, and records each check', async () => {
    for (const role of ['viewer', 'editor', 'admin'] as const) {
      const yes = await verify(ada.userToken, ADA_BORN, role);
      expect(yes.status).toBe(200);
      expect(yes.body).toStrictEqual({ matches: true });
      expect(yes.headers.get('cache-control')).toBe('no-store');
      expect(await entriesOf(yes.headers.get('x-request-id'))).toEqual([
        expect.objectContaining({
          action: 'verify_caller',
          outcome: 'succeeded',
          staffEmail: `${role}@example.com`,
          userToken: ada.userToken,
          walletToken: '',
          masspayStatus: 200,
        }),
      ]);
    }
    const no = await verify(grace.userToken, ADA_BORN);
    expect(no.status).toBe(200);
    expect(no.body).toStrictEqual({ matches: false });
    expect(no.text).not.toContain('1906');
    expect(await entriesOf(no.headers.get('x-request-id'))).toEqual([
      expect.objectContaining({ outcome: 'refused', masspayStatus: 200, userToken: grace.userToken }),
    ]);
    expect(c.logs.join('')).not.toContain('1906-12-09');
  });

  it('allows 5 tries per payee in 15 minutes: the 6th is 429 with Retry-After, MassPay not asked, the first refused try recorded', async () => {
    for (let i = 0; i < 5; i += 1) expect((await verify(alan.userToken, `1950-01-0${i + 1}`)).status).toBe(200);
    const reads = userReads();
    const sixth = await verify(alan.userToken, '1912-06-23');
    expect(sixth.status).toBe(429);
    expect(problemSchema.parse(sixth.body)).toMatchObject({ type: PROBLEM_TYPES.tooManyAttempts });
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    expect(await entriesOf(sixth.headers.get('x-request-id'))).toEqual([expect.objectContaining({ outcome: 'blocked', masspayStatus: null })]);
    const seventh = await verify(alan.userToken, '1912-06-23');
    expect(seventh.status).toBe(429);
    expect(await entriesOf(seventh.headers.get('x-request-id'))).toEqual([]);
    expect(userReads()).toBe(reads);
    // Another payee is not affected; the same payee spelt otherwise shares the count.
    expect((await verify(ada.userToken, ADA_BORN)).status).toBe(200);
    expect((await verify(alan.userToken.replace(/^usr_/, '').toUpperCase(), '1912-06-23')).status).toBe(429);
    // The window ends 15 minutes after the payee's first try.
    clock += 15 * 60_000;
    expect((await verify(alan.userToken, '1912-06-23')).body).toStrictEqual({ matches: true });
  });

  it('holds under a burst: of 20 tries sent at once, 5 are checked', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => verify(rosalind.userToken, '1920-07-25')));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(5);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(15);
  });

  it('is shared by replicas: the count lives in the console database', async () => {
    const other = await startConsole({ audit: c.audit, verifyCaller: { now: () => clock } });
    try {
      for (let i = 0; i < 3; i += 1) expect((await verify(grace.userToken, '1906-12-09')).status).toBe(200);
      const onB = (date: string) => other.call('POST', verifyCallerPath(grace.userToken), { body: { date_of_birth: date }, as: 'viewer' });
      expect((await onB('1906-12-09')).status).toBe(200);
      expect((await onB('1906-12-09')).status).toBe(200);
      expect((await onB('1906-12-09')).status).toBe(429);
      expect((await verify(grace.userToken, '1906-12-09')).status).toBe(429);
    } finally {
      await other.close();
    }
  });

  it('refuses a malformed request before counting it or asking MassPay', async () => {
    const reads = userReads();
    for (const body of [
      { date_of_birth: '10/12/1815' },
      { date_of_birth: '1815-02-30' },
      { date_of_birth: 18151210 },
      {},
      { date_of_birth: ADA_BORN, extra: 1 },
    ]) {
      const res = await c.call('POST', verifyCallerPath(ada.userToken), { body, as: 'viewer' });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await verify('usr_not-a-token', ADA_BORN)).status).toBe(400);
    expect((await c.call('POST', `${verifyCallerPath(ada.userToken)}?x=1`, { body: { date_of_birth: ADA_BORN } })).status).toBe(400);
    expect((await c.call('POST', verifyCallerPath(ada.userToken), { body: { date_of_birth: ADA_BORN }, csrf: false })).status).toBe(403);
    expect((await c.call('POST', verifyCallerPath(ada.userToken), { body: { date_of_birth: ADA_BORN }, as: 'anonymous' })).status).toBe(401);
    expect(userReads()).toBe(reads);
    const [row] = await c.audit.sql.query<{ attempts: number }>('SELECT attempts FROM caller_verification_attempts WHERE payee = $1', [
      payeeKey(ada.userToken),
    ]);
    expect(row).toBeUndefined();
  });

  it('an unknown payee is MassPay’s 404; a payee without a date of birth cannot be verified by it (422); both recorded', async () => {
    const unknown = await verify('usr_00000000-0000-4000-8000-000000000000', ADA_BORN);
    expect(unknown.status).toBe(404);
    expect(await entriesOf(unknown.headers.get('x-request-id'))).toEqual([expect.objectContaining({ outcome: 'refused', masspayStatus: 404 })]);
    const born = c.embedded.sandbox.store.user(ada.userToken)!;
    delete born.date_of_birth;
    try {
      const none = await verify(ada.userToken, ADA_BORN);
      expect(none.status).toBe(422);
      expect(none.body).toMatchObject({ type: PROBLEM_TYPES.callerUnverifiable });
      expect(await entriesOf(none.headers.get('x-request-id'))).toEqual([expect.objectContaining({ outcome: 'failed', masspayStatus: 200 })]);
    } finally {
      born.date_of_birth = ADA_BORN;
    }
  });

  it('a check that cannot be recorded is not answered', async () => {
    const failing = await startConsole({ audit: { ...c.audit, append: () => Promise.reject(new Error('disk full')) } });
    try {
      const res = await failing.call('POST', verifyCallerPath(ada.userToken), { body: { date_of_birth: ADA_BORN }, as: 'viewer' });
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ type: PROBLEM_TYPES.auditUnavailable });
      expect(res.text).not.toContain('matches');
    } finally {
      await failing.close();
    }
  });
});
