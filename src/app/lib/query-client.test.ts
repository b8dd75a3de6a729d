import { describe, expect, it } from 'vitest';
import { PROBLEM_TYPES, type StaffMember } from '../../api';
import { ApiError } from './api-error';
import { createQueryClient } from './query-client';
import { queryKeys } from './query-keys';

// The query client ends the session itself when any query or change meets a 401: no component has to
// be mounted for it, and the tests' client is this one, so they exercise the same policy.

const STAFF: StaffMember = { email: 'editor@example.com', name: 'Ed', role: 'editor' };
const problem = (status: number, type: string) => new ApiError({ type, title: 'Title', status });
const expired = problem(401, PROBLEM_TYPES.unauthenticated);

const signedIn = () => {
  const client = createQueryClient({ retryDelay: 0 });
  client.setQueryData(queryKeys.session(), STAFF);
  return client;
};
const fail = (error: Error) => () => Promise.reject(error);

describe('createQueryClient', () => {
  it('ends the session when a query meets a 401, and not for another failure', async () => {
    const client = signedIn();
    await client.fetchQuery({ queryKey: queryKeys.user('u'), queryFn: fail(problem(404, PROBLEM_TYPES.notFound)) }).catch(() => undefined);
    expect(client.getQueryData(queryKeys.session())).toEqual(STAFF);
    await client.fetchQuery({ queryKey: queryKeys.wallets('u'), queryFn: fail(expired) }).catch(() => undefined);
    expect(client.getQueryData(queryKeys.session())).toBeNull();
  });

  it('ends the session when a change meets a 401', async () => {
    const client = signedIn();
    await client
      .getMutationCache()
      .build(client, { mutationKey: queryKeys.verifyCaller('u'), mutationFn: fail(expired) })
      .execute(undefined)
      .catch(() => undefined);
    expect(client.getQueryData(queryKeys.session())).toBeNull();
  });

  it('leaves the session’s own 401s (a wrong password at sign-in) to the session code', async () => {
    const client = signedIn();
    await client
      .getMutationCache()
      .build(client, { mutationKey: queryKeys.signIn(), mutationFn: fail(expired) })
      .execute(undefined)
      .catch(() => undefined);
    expect(client.getQueryData(queryKeys.session())).toEqual(STAFF);
  });

  it('tries a transient failure once more, a 4xx never', async () => {
    const client = signedIn();
    let calls = 0;
    const count = (error: Error) => () => ((calls += 1), Promise.reject(error));
    await client.fetchQuery({ queryKey: queryKeys.countries(), queryFn: count(problem(503, PROBLEM_TYPES.upstreamUnavailable)) }).catch(() => undefined);
    expect(calls).toBe(2);
    calls = 0;
    await client.fetchQuery({ queryKey: queryKeys.service('d'), queryFn: count(problem(404, PROBLEM_TYPES.notFound)) }).catch(() => undefined);
    expect(calls).toBe(1);
  });
});
