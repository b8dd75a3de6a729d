import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { browserUserSchema, browserWalletListSchema, PICKUP_CODE_MASK, PROBLEM_TYPES, problemSchema, redactedCardSchema } from '../api';
import { SEED_DESTINATIONS as D, SEED_PEOPLE } from '../../test/seed';
import { startConsole, type RunningConsole } from '../../test/server-support';

const { ada, grace } = SEED_PEOPLE;
const api = '/api/payout';
const adaRules = `${api}/wallet/${ada.userToken}/${ada.usdWallet}/autopayout`;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let c: RunningConsole;
beforeAll(async () => {
  // /readyz asks MassPay on every call here (its answer is reused for 5 s by default: app.test.ts).
  c = await startConsole({ readyCacheMs: 0 });
});
afterAll(() => c.close());
beforeEach(() => {
  c.embedded.sandbox.faults.clear();
  c.recorder.seen.length = 0;
});

const upstreamCount = () => c.embedded.sandbox.stats.requests;

describe('every allowed route is forwarded', () => {
  it.each([
    ['wallets', `${api}/wallet/${ada.userToken}`, (b: any) => expect(browserWalletListSchema.parse(b)).toHaveLength(3)],
    ['rules', adaRules, (b: any) => expect(b.map((r: any) => r.percentage)).toEqual([60, 25])],
    ['user', `${api}/user/${ada.userToken}`, (b: any) => expect(b.email).toBe('ada@example.com')],
    ['lookup by id', `${api}/user/lookup?internal_user_id=ext-1002`, (b: any) => expect(b.user_token).toBe(grace.userToken)],
    ['lookup by email', `${api}/user/lookup?email=ada%40example.com&first_name=Ada`, (b: any) => expect(b.user_token).toBe(ada.userToken)],
    [
      'history',
      `${api}/user/${ada.userToken}/history?wallet_token=${ada.usdWallet}&number_of_records=25&page=1&type=payout`,
      (b: any) => expect(b.length).toBe(20),
    ],
    ['service', `${api}/service/${D.quickCash}`, (b: any) => expect(b.payers[0].payer_name).toBe('QuickCash Wallet')],
    ['countries', `${api}/country/list`, (b: any) => expect(b.length).toBeGreaterThan(3)],
    ['country services', `${api}/country/USA?wallet_token=${ada.usdWallet}`, (b: any) => expect(b.companies.length).toBeGreaterThan(0)],
  ])('GET %s', async (_name, path, check) => {
    const res = await c.call('GET', path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    check(res.body);
  });

  it('POST then DELETE a rule', async () => {
    const added = await c.call('POST', adaRules, { body: { destination_token: D.quickCash, percentage: 15 } });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ destination_token: D.quickCash, percentage: 15 });
    const removed = await c.call('DELETE', `${adaRules}?token=${added.body.token}`);
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ success: true, token: added.body.token });
  });
});

describe('answers filtered by allow-list: only what the console shows reaches the browser', () => {
  const { alan, rosalind } = SEED_PEOPLE;
  /** MassPay's (the sandbox's) own answer, asked directly with the key: what the console is given. */
  const fromMassPay = async (path: string) =>
    (await fetch(`${c.embedded.baseUrl}${path}`, { headers: { authorization: `Bearer ${c.embedded.apiKey}` } })).json();
  const storedUser = (token: string) => c.embedded.sandbox.store.user(token)!;

  it('a user: no activation_url and no date_of_birth, though MassPay sends both', async () => {
    const upstream = await fromMassPay(`/payout/user/${alan.userToken}`);
    expect(upstream.activation_url).toMatch(/^https:\/\//);
    expect(upstream.date_of_birth).toBe('1912-06-23');
    const res = await c.call('GET', `${api}/user/${alan.userToken}`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['email', 'first_name', 'internal_user_id', 'last_name', 'status', 'user_token']);
    expect(res.text).not.toContain(upstream.activation_url);
    expect(res.text).not.toContain('1912-06-23');
    expect(c.logs.join('')).not.toContain(upstream.activation_url);
  });

  it('history: pickup codes masked, and only the columns the table shows', async () => {
    const query = `wallet_token=${rosalind.mxnWallet}&type=payout`;
    const upstream: { pickup_code?: string }[] = await fromMassPay(`/payout/user/${rosalind.userToken}/history?${query}`);
    const codes = upstream.map((row) => row.pickup_code).filter((code) => code !== undefined);
    expect(codes.length).toBeGreaterThan(0);
    const res = await c.call('GET', `${api}/user/${rosalind.userToken}/history?${query}`);
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(upstream.length);
    for (const row of res.body) {
      expect(row.pickup_code).toBe(PICKUP_CODE_MASK);
      expect(
        Object.keys(row).every((key) =>
          [
            'token',
            'type',
            'time_of_txn',
            'source_amount',
            'source_currency_code',
            'destination_amount',
            'destination_currency_code',
            'fee',
            'status',
            'payer_name',
            'pickup_code',
          ].includes(key),
        ),
      ).toBe(true);
    }
    for (const code of codes) expect(res.text).not.toContain(code);
  });

  it('wallets, the catalog: fields the console does not show are dropped', async () => {
    const wallets = await c.call('GET', `${api}/wallet/${ada.userToken}`);
    expect(wallets.body.every((w: object) => !('user_token' in w))).toBe(true);
    const service = await c.call('GET', `${api}/service/${D.quickCash}`);
    expect(service.body).toStrictEqual({
      country_code: 'USA',
      delivery_type: 'MOBILE_WALLET',
      payers: [{ destination_token: D.quickCash, payer_name: 'QuickCash Wallet', exchange_rate: [{ currency_symbol: 'USD' }] }],
    });
    const companies = await c.call('GET', `${api}/country/USA?wallet_token=${ada.usdWallet}`);
    expect(Object.keys(companies.body.companies[0]).sort()).toEqual(['services']);
    const countries = await c.call('GET', `${api}/country/list`);
    expect(Object.keys(countries.body[0]).sort()).toEqual(['name', 'three_letter_code']);
  });

  it('a field MassPay adds is dropped, not passed; a status it adds passes as a string', async () => {
    const user = storedUser(grace.userToken) as unknown as Record<string, unknown>;
    const before = { ...user };
    Object.assign(user, { status: 'SUSPENDED', tax_id: '123-45-6789', metadata: { note: 'private' } });
    try {
      const res = await c.call('GET', `${api}/user/${grace.userToken}`);
      expect(res.status).toBe(200);
      expect(browserUserSchema.parse(res.body).status).toBe('SUSPENDED');
      expect(res.text).not.toContain('123-45-6789');
      expect(res.text).not.toContain('private');
      const found = await c.call('GET', `${api}/user/lookup?internal_user_id=ext-1002`);
      expect(found.body).toMatchObject({ user_token: grace.userToken, status: 'SUSPENDED' });
    } finally {
      for (const key of Object.keys(user)) delete user[key];
      Object.assign(user, before);
    }
  });

  it('the answer to an add: the rule’s own fields only, though MassPay adds one', async () => {
    const rules = c.embedded.sandbox.store.rulesOf(ada.usdWallet) as unknown as Record<string, unknown>[];
    // MassPay's answer to the add is the rule it stores: here it carries a field the console does not know.
    rules.push = (...added) =>
      Array.prototype.push.apply(
        rules,
        added.map((rule) => Object.assign(rule, { internal_note: 'payee asked twice' })),
      );
    try {
      const res = await c.call('POST', adaRules, { body: { destination_token: D.quickCash, percentage: 2 } });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['attr_set_token', 'destination_token', 'percentage', 'token']);
      expect(res.text).not.toContain('payee asked twice');
      await c.call('DELETE', `${adaRules}?token=${res.body.token}`);
    } finally {
      delete (rules as { push?: unknown }).push;
    }
  });

  it('an answer missing a required field is a 502 problem, naming the field and not the values', async () => {
    const user = storedUser(grace.userToken);
    const { first_name: firstName } = user;
    delete (user as Partial<typeof user>).first_name;
    try {
      const res = await c.call('GET', `${api}/user/${grace.userToken}`);
      expect(res.status).toBe(502);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(problemSchema.parse(res.body)).toMatchObject({ type: PROBLEM_TYPES.upstreamInvalid, status: 502 });
      expect(res.body.detail).toMatch(/first_name/);
      expect(res.text).not.toContain('grace@example.com');
    } finally {
      user.first_name = firstName;
    }
  });
});

describe('the key', () => {
  it('is added as Bearer, replaces any client Authorization, and no Cookie is forwarded', async () => {
    const cookie = `${await c.sessionCookie('editor')}; other=abc`;
    const res = await c.call('GET', `${api}/wallet/${ada.userToken}`, { headers: { authorization: 'Bearer stolen', cookie } });
    expect(res.status).toBe(200);
    const seen = c.recorder.seen.at(-1)!;
    expect(seen.headers.authorization).toBe(`Bearer ${c.embedded.apiKey}`);
    expect(seen.headers.cookie).toBeUndefined();
    expect(seen.headers['x-request-id']).toBe(res.headers.get('x-request-id'));
  });

  it('appears in no response and no log line', async () => {
    const responses = [
      await c.call('GET', `${api}/wallet/${ada.userToken}`),
      await c.call('GET', `${api}/wallet/usr_00000000-0000-4000-8000-000000000000`),
      await c.call('POST', adaRules, { body: { destination_token: D.bancoEjemplo, percentage: 5 } }),
      await c.call('GET', '/healthz'),
      await c.call('GET', '/readyz'),
    ];
    for (const res of responses) {
      expect(res.text).not.toContain(c.embedded.apiKey);
      expect([...res.headers.values()].join('\n')).not.toContain(c.embedded.apiKey);
    }
    const logs = c.logs.join('');
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(c.embedded.apiKey);
    expect(logs.toLowerCase()).not.toContain('bearer');
  });
});

describe('Idempotency-Key', () => {
  it('is added (UUID v4) to a POST and a DELETE that lack one', async () => {
    const added = await c.call('POST', adaRules, { body: { destination_token: D.quickCash, percentage: 1 } });
    await c.call('DELETE', `${adaRules}?token=${added.body.token}`);
    // (A DELETE is preceded by a GET of the rules: the audit log records what is deleted.)
    const [post, del] = c.recorder.seen.filter((s) => s.method !== 'GET');
    expect(post!.headers['idempotency-key']).toMatch(UUID_V4);
    expect(del!.headers['idempotency-key']).toMatch(UUID_V4);
    expect(post!.headers['idempotency-key']).not.toBe(del!.headers['idempotency-key']);
  });

  it("passes a client's well-formed key through, and a repeat is replayed by the console, not sent again", async () => {
    const headers = { 'idempotency-key': 'b7c1f1de-8a0e-4f4e-9f57-6a3f2d1c0b9a' };
    const first = await c.call('POST', adaRules, { body: { destination_token: D.quickCash, percentage: 2 }, headers });
    const again = await c.call('POST', adaRules, { body: { destination_token: D.quickCash, percentage: 2 }, headers });
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const posts = c.recorder.seen.filter((s) => s.method === 'POST');
    expect(posts.map((s) => s.headers['idempotency-key'])).toEqual([headers['idempotency-key']]);
    expect((await c.call('GET', adaRules)).body).toHaveLength(3);
    await c.call('DELETE', `${adaRules}?token=${first.body.token}`);
  });
});

describe('refused before MassPay is asked', () => {
  const rule = { destination_token: D.quickCash, percentage: 5 };
  const cases: [string, string, string, { body?: unknown; headers?: Record<string, string> }?][] = [
    ['unknown path', 'GET', `${api}/nothing`],
    ['unknown /api path', 'GET', '/api/other'],
    ["the sandbox's fault injection", 'PUT', '/api/__sandbox/faults', { body: { failureRate: 1 } }],
    ["the sandbox's reset", 'POST', '/api/__sandbox/reset'],
    ['PUT on the wallets path (balance notification)', 'PUT', `${api}/wallet/${ada.userToken}`],
    ['card update', 'PUT', `${api}/wallet/${ada.userToken}/${ada.cardWallet}/card?pin=1234`],
    ['load', 'POST', `${api}/load/${ada.userToken}`, { body: { client_load_id: 'x', source_token: 's', amount: 1 } }],
    ['all-users history', 'GET', `${api}/user/history`],
    ['alternatives', 'GET', `${api}/service/${D.quickCash}/alternatives`],
    ['cheapest', 'GET', `${api}/country/USA/cheapest`],
    ['PATCH a rule', 'PATCH', adaRules, { body: rule }],
    ['dot-dot segment', 'GET', `${api}/wallet/../user/${ada.userToken}`],
    ['encoded slash', 'GET', `${api}/wallet/${ada.userToken}%2F${ada.usdWallet}/autopayout`],
    ['encoded slash (lower case)', 'GET', `${api}/wallet/usr_x%2fy`],
    ['encoded dot-dot', 'GET', `${api}/wallet/%2e%2e/x`],
    ['encoded NUL', 'GET', `${api}/wallet/${ada.userToken}%00`],
    ['double slash', 'GET', `${api}//wallet/${ada.userToken}`],
    ['backslash', 'GET', `${api}/wallet\\${ada.userToken}`],
    ['trailing slash', 'GET', `${api}/wallet/${ada.userToken}/`],
    ['malformed user token', 'GET', `${api}/wallet/not-a-token`],
    ['2 KB token', 'GET', `${api}/wallet/usr_${'a'.repeat(2048)}`],
    ['unknown query name', 'GET', `${api}/wallet/${ada.userToken}?debug=1`],
    ['query smuggled into a token', 'GET', `${api}/wallet/${ada.userToken}%3Ftoken=x`],
    [
      'repeated query name',
      'DELETE',
      `${adaRules}?token=autopayout_3684cc43-fe3b-4994-8ca1-7dc0db94430f&token=autopayout_3684cc43-fe3b-4994-8ca1-7dc0db94430e`,
    ],
    ['delete without token', 'DELETE', adaRules],
    ['delete with a malformed token', 'DELETE', `${adaRules}?token=../../x`],
    ['history page 0', 'GET', `${api}/user/${ada.userToken}/history?page=0`],
    ['history bad type', 'GET', `${api}/user/${ada.userToken}/history?type=refund`],
    ['lookup with neither form', 'GET', `${api}/user/lookup?first_name=Ada`],
    ['country in lower case', 'GET', `${api}/country/usa`],
    ['non-JSON body', 'POST', adaRules, { body: 'destination_token=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }],
    ['text/plain body', 'POST', adaRules, { body: JSON.stringify(rule), headers: { 'content-type': 'text/plain' } }],
    ['malformed JSON', 'POST', adaRules, { body: '{"percentage":', headers: { 'content-type': 'application/json' } }],
    ['body over the limit', 'POST', adaRules, { body: { ...rule, pad: 'x'.repeat(20_000) } }],
    ['unknown field', 'POST', adaRules, { body: { ...rule, extra: 1 } }],
    ['percentage 0', 'POST', adaRules, { body: { ...rule, percentage: 0 } }],
    ['percentage 100.001', 'POST', adaRules, { body: { ...rule, percentage: 100.001 } }],
    ['percentage with three decimals', 'POST', adaRules, { body: { ...rule, percentage: 1.234 } }],
    ['percentage as a string', 'POST', adaRules, { body: { ...rule, percentage: '5' } }],
    ['percentage Infinity', 'POST', adaRules, { body: `{"destination_token":"${D.quickCash}","percentage":1e400}` }],
    ['missing destination', 'POST', adaRules, { body: { percentage: 5 } }],
    ['malformed destination', 'POST', adaRules, { body: { ...rule, destination_token: 'dest_x' } }],
    ['no body on add', 'POST', adaRules],
    ['a body on delete', 'DELETE', `${adaRules}?token=autopayout_3684cc43-fe3b-4994-8ca1-7dc0db94430f`, { body: { token: 'x' } }],
    ['malformed Idempotency-Key', 'POST', adaRules, { body: rule, headers: { 'idempotency-key': 'two words' } }],
  ];

  it(`has ${cases.length} cases`, () => expect(cases.length).toBeGreaterThanOrEqual(30));

  it.each(cases)('%s', async (_name, method, path, init) => {
    const before = upstreamCount();
    const res = await c.call(method, path, init);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = problemSchema.parse(res.body);
    expect(problem.status).toBe(res.status);
    expect(problem.source).toBe('console');
    expect(upstreamCount()).toBe(before);
  });

  it('names the offending fields', async () => {
    const res = await c.call('POST', adaRules, { body: { destination_token: 'dest_x', percentage: 100.001 } });
    expect(res.body.errors).toEqual({
      destination_token: ['Destination token is not a valid token'],
      percentage: ['Percentage must be at most 100', 'Percentage may have at most two decimals'],
    });
  });
});

describe('errors from MassPay keep their status, in one shape', () => {
  it("409: the console's policy, with what the wallet holds now, on the field", async () => {
    const res = await c.call('POST', adaRules, { body: { destination_token: D.quickCash, percentage: 16 } });
    expect(res.status).toBe(409);
    const problem = problemSchema.parse(res.body);
    expect(problem).toMatchObject({ source: 'console', status: 409, type: 'urn:masspay-console:problem:policy' });
    expect(problem.detail).toMatch(/now 85 % allocated; 16 % more would make 101 %/);
    expect(problem.errors?.percentage?.[0]).toMatch(/At most 15 % fits/);
  });

  it('400 from MassPay: its reason as detail and the field as errors (here: a wallet closed since the console last looked)', async () => {
    const wallets = `${api}/wallet/${grace.userToken}/${grace.eurWallet}/autopayout`;
    // The console has just seen the wallet active (its facts are cached briefly)…
    const made = await c.call('POST', wallets, { body: { destination_token: D.rhein, percentage: 1 } });
    expect(made.status).toBe(200);
    expect((await c.call('DELETE', `${wallets}?token=${made.body.token}`)).status).toBe(200);
    const wallet = c.embedded.sandbox.store.state.wallets.find((w) => w.token === grace.eurWallet)!;
    wallet.active = false;
    try {
      // …so MassPay's own refusal is what the staff member reads.
      const res = await c.call('POST', wallets, { body: { destination_token: D.rhein, percentage: 2 } });
      expect(res.status).toBe(400);
      const problem = problemSchema.parse(res.body);
      expect(problem).toMatchObject({ source: 'masspay', status: 400 });
      expect(problem.detail).toMatch(/inactive/i);
      // The refusal made the console forget what it had cached: the next attempt is judged on fresh facts.
      const next = await c.call('POST', wallets, { body: { destination_token: D.rhein, percentage: 2 } });
      expect(next.status).toBe(409);
      expect(next.body.detail).toMatch(/inactive/);
    } finally {
      wallet.active = true;
    }
  });

  it('404 for an unknown user', async () => {
    const res = await c.call('GET', `${api}/wallet/usr_00000000-0000-4000-8000-000000000000`);
    expect(res.status).toBe(404);
    expect(problemSchema.parse(res.body)).toMatchObject({ source: 'masspay', title: 'Not found', detail: 'No user has this token' });
  });

  it('500, not retried', async () => {
    c.embedded.sandbox.faults.set({ failNext: { count: 1, status: 500 } });
    const res = await c.call('GET', `${api}/wallet/${ada.userToken}`);
    expect(res.status).toBe(500);
    expect(problemSchema.parse(res.body).source).toBe('masspay');
    expect(c.recorder.seen).toHaveLength(1);
  });

  it('401 when MassPay refuses the key', async () => {
    const other = await startConsole({ upstream: { baseUrl: c.embedded.baseUrl, apiKey: 'wrong-key' } });
    try {
      const res = await other.call('GET', `${api}/wallet/${ada.userToken}`);
      expect(res.status).toBe(401);
      expect(problemSchema.parse(res.body).source).toBe('masspay');
    } finally {
      await other.close();
    }
  });
});

describe('unreachable and slow MassPay', () => {
  it('502 with a clear detail when MassPay cannot be reached', async () => {
    const dead = await startConsole({ upstream: { baseUrl: 'http://127.0.0.1:9', apiKey: 'k' } });
    try {
      const res = await dead.call('GET', `${api}/wallet/${ada.userToken}`);
      expect(res.status).toBe(502);
      expect(res.body.detail).toMatch(/could not be reached/);
      const post = await dead.call('POST', adaRules, { body: { destination_token: D.quickCash, percentage: 1 } });
      expect(post.status).toBe(502);
      expect((await dead.call('GET', '/readyz')).status).toBe(503);
    } finally {
      await dead.close();
    }
  });

  it('504 when MassPay is slower than UPSTREAM_TIMEOUT_MS', async () => {
    const slow = await startConsole({ upstreamTimeoutMs: 200, upstreamRetries: 0 });
    try {
      slow.embedded.sandbox.faults.set({ latencyMs: 2500 }); // undici's timers tick coarsely: leave room
      const res = await slow.call('GET', `${api}/wallet/${ada.userToken}`);
      expect(res.status).toBe(504);
      expect(res.body).toMatchObject({ status: 504, source: 'console' });
      expect(res.body.detail).toMatch(/within 0.2 s/);
    } finally {
      await slow.close();
    }
  });
});

describe('retries', () => {
  it('a GET is retried on 503 (twice at most) and then succeeds', async () => {
    c.embedded.sandbox.faults.set({ failNext: { count: 2, status: 503 } });
    const res = await c.call('GET', `${api}/wallet/${ada.userToken}`);
    expect(res.status).toBe(200);
    expect(c.recorder.seen.map((s) => s.method)).toEqual(['GET', 'GET', 'GET']);
  });

  it("a GET that keeps failing gives up after two retries with MassPay's status", async () => {
    c.embedded.sandbox.faults.set({ failNext: { count: 5, status: 502 } });
    const res = await c.call('GET', `${api}/wallet/${ada.userToken}`);
    expect(res.status).toBe(502);
    expect(c.recorder.seen).toHaveLength(3);
  });

  it('a GET whose connection drops is retried', async () => {
    c.embedded.sandbox.faults.set({ failNext: { count: 1, drop: true } });
    const res = await c.call('GET', `${api}/wallet/${ada.userToken}`);
    expect(res.status).toBe(200);
    expect(c.recorder.seen).toHaveLength(2);
  });

  it('a POST is never retried, and a DELETE neither', async () => {
    c.embedded.sandbox.faults.set({ failNext: { count: 1, status: 503, methods: ['POST'] } });
    const res = await c.call('POST', adaRules, { body: { destination_token: D.quickCash, percentage: 1 } });
    expect(res.status).toBe(503);
    const [rule] = (await c.call('GET', adaRules)).body as { token: string }[];
    c.embedded.sandbox.faults.set({ failNext: { count: 1, drop: true, methods: ['DELETE'] } });
    const del = await c.call('DELETE', `${adaRules}?token=${rule!.token}`);
    expect(del.status).toBe(502);
    // The GETs are the change path's fresh look at the wallet; each write went out once.
    expect(c.recorder.seen.filter((s) => s.method !== 'GET').map((s) => s.method)).toEqual(['POST', 'DELETE']);
  });
});

describe('card data never leaves the proxy', () => {
  const cardPath = (wallet: string = ada.cardWallet) => `${api}/wallet/${ada.userToken}/${wallet}/card`;
  const readsOf = async (requestId: string | null) =>
    (await c.audit.list({ action: 'read_card' }, { page: 1, limit: 100 })).entries.filter((e) => e.requestId === requestId);

  it('answers only type, status and balance: brand and last four are the wallet list’s', async () => {
    const full = c.embedded.sandbox.store.state.cards[ada.cardWallet]!;
    const res = await c.call('GET', cardPath(), { as: 'viewer' });
    expect(res.status).toBe(200);
    expect(res.body).toStrictEqual({ type: 'VISA', status: 'ACTIVE', balance: 310 });
    expect(redactedCardSchema.parse(res.body)).toStrictEqual(res.body);
    const wallet = browserWalletListSchema.parse((await c.call('GET', `${api}/wallet/${ada.userToken}`)).body).find((w) => w.token === ada.cardWallet);
    expect(wallet).toMatchObject({ card_type: 'VISA', last_4: '4242', active: true });
    const logs = c.logs.join('');
    for (const secret of [full.card_number, full.expiration_date]) {
      expect(res.text).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
    // A CVV or PIN is 3–4 digits, found anywhere in timestamps: looked for as a JSON value.
    for (const secret of [full.cvv, full.pin_number]) {
      expect(res.text).not.toContain(`"${secret}"`);
      expect(logs).not.toContain(`"${secret}"`);
    }
  });

  it('records each read in the audit log: who, which wallet, and how it ended', async () => {
    const ok = await c.call('GET', cardPath(), { as: 'viewer' });
    expect(await readsOf(ok.headers.get('x-request-id'))).toEqual([
      expect.objectContaining({
        action: 'read_card',
        outcome: 'succeeded',
        masspayStatus: 200,
        staffEmail: 'viewer@example.com',
        staffRole: 'viewer',
        userToken: ada.userToken,
        walletToken: ada.cardWallet,
        destinationToken: null,
        percentage: null,
        ruleToken: null,
      }),
    ]);

    const unknownWallet = 'usr_wlt_00000000-0000-4000-8000-000000000000';
    const refused = await c.call('GET', cardPath(unknownWallet), { as: 'viewer' });
    expect(refused.status).toBe(404);
    expect(await readsOf(refused.headers.get('x-request-id'))).toEqual([
      expect.objectContaining({ outcome: 'refused', masspayStatus: 404, walletToken: unknownWallet }),
    ]);

    c.embedded.sandbox.faults.set({ failNext: { count: 3, status: 503 } });
    const failed = await c.call('GET', cardPath(), { as: 'admin' });
    expect(failed.status).toBe(503);
    expect(await readsOf(failed.headers.get('x-request-id'))).toEqual([expect.objectContaining({ outcome: 'failed', masspayStatus: 503, staffRole: 'admin' })]);

    c.embedded.sandbox.faults.set({ failNext: { count: 3, drop: true } });
    const unreachable = await c.call('GET', cardPath(), { as: 'admin' });
    expect(unreachable.status).toBe(502);
    expect(await readsOf(unreachable.headers.get('x-request-id'))).toEqual([expect.objectContaining({ outcome: 'failed', masspayStatus: null })]);
  });

  it('a read that cannot be recorded is not answered', async () => {
    const failing = await startConsole({ audit: { ...c.audit, append: () => Promise.reject(new Error('disk full')) } });
    try {
      const res = await failing.call('GET', cardPath(), { as: 'viewer' });
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ type: PROBLEM_TYPES.auditUnavailable });
      // Nothing of the card (its balance is 310): looked for outside the request id, a random UUID
      // that may hold those digits.
      const { requestId, ...rest } = res.body as { requestId: string };
      expect(requestId).toBe(res.headers.get('x-request-id'));
      expect(JSON.stringify(rest)).not.toContain('310');
    } finally {
      await failing.close();
    }
  });
});

describe('health', () => {
  it('/healthz answers for the process, /readyz for the upstream', async () => {
    expect((await c.call('GET', '/healthz')).body).toEqual({ status: 'ok' });
    expect((await c.call('GET', '/readyz')).body).toEqual({ status: 'ready' });
    c.embedded.sandbox.faults.set({ failNext: { count: 1, status: 503 } });
    expect((await c.call('GET', '/readyz')).status).toBe(503);
  });
});
