// Issue 7 item 2: hostile input at the proxy. fast-check generates more than 10,000 requests that are
// invalid in a known way — paths, queries, methods, headers, bodies, sessions, raw bytes — and sends
// them over real sockets (node:http or node:net: fetch would normalise paths) to the real server in
// front of the real embedded sandbox, with a few valid requests interleaved. Every answer must be a
// 4xx in problem+json (never a 5xx, never a dropped connection), no invalid request may reach MassPay
// (the sandbox's request counter and the recorder's request ids), the valid ones must, and the heap of
// this process (which runs the server) must settle after the run.
//
// One property per kind of hostility, so that a counterexample in one kind does not hide the others:
// fast-check stops a property at its first counterexample and prints it, shrunk.
import { METHODS, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod/mini';
import {
  changePercentageInputSchema,
  destinationTokenSchema,
  percentageSchema,
  problemSchema,
  PROXY_QUERIES,
  revealPickupCodeInputSchema,
  approveInputSchema,
  ROUTES,
  transactionTokenSchema,
  userTokenSchema,
  verifyCallerInputSchema,
  walletTokenSchema,
  type RouteId,
} from '../api';
import { loggerOptions } from './app';
import { SEED_DESTINATIONS as D, SEED_PEOPLE } from '../../test/seed';
import { startConsole, type RunningConsole } from '../../test/server-support';

const { ada, grace } = SEED_PEOPLE;
const SEED = Number(process.env.HOSTILE_SEED ?? 20_261_125);
/** `HOSTILE_SCALE=5` sends five times as many (a longer soak). */
const SCALE = Number(process.env.HOSTILE_SCALE ?? 1);
/** Requests in flight at once; properties run batches of this size. */
const BATCH = 16;
/** A request that has not been answered by then counts as dropped. */
const ANSWER_TIMEOUT_MS = 20_000;

/** `global.gc`, without `--expose-gc` on the command line. */
const gc: () => void = (() => {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

// ---------------------------------------------------------------------------------------------------
// The request model

type Who = 'editor' | 'viewer' | 'anonymous' | { garbage: string } | { mangle: 'truncate' | 'flip' | 'drop-middle'; at: number };

interface HostileRequest {
  /** The kind of hostility, for the report. */
  kind: string;
  /** `valid`: must reach MassPay and answer 200. Otherwise a 4xx (one of `statuses` when given) that never reaches MassPay. */
  expect: 'valid' | 'refused';
  statuses?: readonly number[];
  method: string;
  /** The request-target exactly as sent. */
  target: string;
  headers: [string, string][];
  body?: Buffer;
  who: Who;
  csrf: boolean;
  /** The whole request as bytes, sent on a plain socket (what node:http refuses to write). */
  raw?: Buffer;
}

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text);
const whoText = (who: Who) =>
  typeof who === 'string' ? who : 'garbage' in who ? `cookie ${JSON.stringify(cut(who.garbage, 60))}` : `editor's cookie, ${who.mangle} at ${who.at}`;

const describeRequest = (r: HostileRequest) =>
  r.raw
    ? `[${r.kind}] raw bytes ${JSON.stringify(cut(r.raw.toString('latin1'), 300))}`
    : `[${r.kind}] ${r.method} ${JSON.stringify(cut(r.target, 300))} as ${whoText(r.who)}${r.csrf ? ' +csrf' : ''}` +
      `${r.headers.length ? ` headers ${JSON.stringify(r.headers.map(([n, v]) => [n, cut(v, 80)]))}` : ''}` +
      `${r.body ? ` body ${r.body.length} bytes ${JSON.stringify(cut(r.body.toString('latin1'), 160))}` : ''}`;

function toText(this: HostileRequest) {
  return describeRequest(this);
}
/** A request fast-check prints as one readable line in a counterexample (copies made by spreading keep it). */
const hostile = (r: HostileRequest): HostileRequest => Object.assign(r, { [fc.toStringMethod]: toText });

interface Answer {
  status?: number;
  contentType?: string;
  body: string;
  requestId?: string;
  /** Set when the connection failed before a whole answer was read. */
  error?: string;
}

const json = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

// ---------------------------------------------------------------------------------------------------
// Near-valid requests: each would be valid (and reach MassPay) if nothing were done to it

interface Base {
  route: RouteId;
  segments: string[];
  query: string;
  body?: Buffer;
}

const RULE = 'autopayout_3684cc43-fe3b-4994-8ca1-7dc0db94430f';
const adaRules = ['payout', 'wallet', ada.userToken, ada.usdWallet, 'autopayout'];
const VALID_RULE = { destination_token: D.quickCash, percentage: 5 };

const BASES: Base[] = [
  { route: 'listWallets', segments: ['payout', 'wallet', ada.userToken], query: '' },
  { route: 'listAutopayRules', segments: adaRules, query: '' },
  { route: 'createAutopayRule', segments: adaRules, query: '', body: json(VALID_RULE) },
  { route: 'deleteAutopayRule', segments: adaRules, query: `token=${RULE}` },
  { route: 'getCard', segments: ['payout', 'wallet', ada.userToken, ada.cardWallet, 'card'], query: '' },
  { route: 'getUser', segments: ['payout', 'user', ada.userToken], query: '' },
  { route: 'lookupUser', segments: ['payout', 'user', 'lookup'], query: 'internal_user_id=ext-1001' },
  { route: 'getUserHistory', segments: ['payout', 'user', ada.userToken, 'history'], query: `wallet_token=${ada.usdWallet}&page=1` },
  { route: 'getService', segments: ['payout', 'service', D.quickCash], query: '' },
  { route: 'listCountries', segments: ['payout', 'country', 'list'], query: '' },
  { route: 'listCountryServices', segments: ['payout', 'country', 'USA'], query: `wallet_token=${ada.usdWallet}` },
];
const CHANGES = BASES.filter((b) => ROUTES[b.route].method !== 'GET');
const LITERALS = new Set([
  'payout',
  'wallet',
  'autopayout',
  'card',
  'user',
  'lookup',
  'history',
  'service',
  'country',
  'list',
  'console',
  'users',
  'wallets',
  'transactions',
  'pickup-code',
  'verify-caller',
]);

const targetOf = (segments: readonly string[], query: string) => `/api/${segments.join('/')}${query ? `?${query}` : ''}`;

/** The request a base stands for, as a signed-in editor would send it. */
const fromBase = (base: Base, kind: string, overrides: Partial<HostileRequest> = {}): HostileRequest =>
  hostile({
    kind,
    expect: 'refused',
    method: ROUTES[base.route].method,
    target: targetOf(base.segments, base.query),
    headers: base.body ? [['content-type', 'application/json']] : [],
    body: base.body,
    who: 'editor',
    csrf: true,
    ...overrides,
  });

const baseArb = fc.constantFrom(...BASES);
const changeArb = fc.constantFrom(...CHANGES);

// ---------------------------------------------------------------------------------------------------
// Valid requests, interleaved with the hostile ones (GETs only: one request each to MassPay)

const validGetArb: fc.Arbitrary<HostileRequest> = fc
  .oneof(
    fc.constantFrom(
      targetOf(['payout', 'wallet', ada.userToken], ''),
      targetOf(['payout', 'wallet', grace.userToken], ''),
      targetOf(adaRules, ''),
      targetOf(['payout', 'wallet', grace.userToken, grace.eurWallet, 'autopayout'], ''),
      targetOf(['payout', 'wallet', ada.userToken, ada.cardWallet, 'card'], ''),
      targetOf(['payout', 'user', grace.userToken], ''),
      targetOf(['payout', 'service', D.rhein], ''),
      targetOf(['payout', 'country', 'list'], ''),
      targetOf(['payout', 'user', 'lookup'], 'email=ada%40example.com&first_name=Ada'),
    ),
    fc.constantFrom('ext-1001', 'ext-1002', 'ext-1003').map((id) => targetOf(['payout', 'user', 'lookup'], `internal_user_id=${id}`)),
    fc
      .record({
        page: fc.integer({ min: 1, max: 5 }),
        records: fc.integer({ min: 1, max: 100 }),
        type: fc.subarray(['payout', 'load', 'spendback'], { minLength: 1 }),
      })
      .map(({ page, records, type }) =>
        targetOf(
          ['payout', 'user', ada.userToken, 'history'],
          `wallet_token=${ada.usdWallet}&page=${page}&number_of_records=${records}&type=${type.join(',')}`,
        ),
      ),
    fc.constantFrom('USA', 'MEX', 'DEU').map((code) => targetOf(['payout', 'country', code], `wallet_token=${ada.usdWallet}`)),
  )
  .map((target) => hostile({ kind: 'valid GET', expect: 'valid', method: 'GET', target, headers: [], who: 'editor', csrf: true }));

// ---------------------------------------------------------------------------------------------------
// Building blocks

/** Percent-encodes every byte of the UTF-8 form except `A–Z a–z 0–9 _ -`. */
const pct = (text: string | Buffer) =>
  [...(typeof text === 'string' ? Buffer.from(text, 'utf8') : text)]
    .map((byte) => (/[A-Za-z0-9_-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');

/**
 * Inserted into a path segment, each of these makes it invalid: none is a letter, digit, `_` or `-`,
 * so a token no longer matches its pattern and a literal segment no longer matches its route.
 * (`?` is not here: at a path's end it would only start an empty query.)
 */
const POISON = [
  '..',
  '.',
  '%2e%2e',
  '%2E%2e',
  '.%2e',
  '%2f',
  '%2F',
  '%5c',
  '%5C',
  '%00',
  '%0a',
  '%0d%0a',
  '%25',
  '%',
  '%zz',
  '%c3%28',
  '%ff',
  '%C0%AE',
  '%e2%80%ae',
  '%f0%9f%92%a9',
  '%ef%bc%8f',
  '\\',
  '//',
  ';',
  ',',
  ':',
  '@',
  '!',
  '$',
  '&',
  "'",
  '(',
  ')',
  '*',
  '+',
  '=',
  '~',
  '|',
  '{',
  '}',
  '[',
  ']',
  '^',
  '`',
  '"',
  '<',
  '>',
  '#',
  ';jsessionid=x',
  '.json',
  '%3F',
  '%23',
];
const poisonArb = fc.constantFrom(...POISON);
const asciiArb = (maxLength: number) => fc.string({ unit: 'grapheme-ascii', maxLength });
/** Junk that is never a valid token or literal: it always holds a poison. */
const junkArb = fc.tuple(asciiArb(10), poisonArb, asciiArb(10)).map(([a, poison, b]) => `${pct(a)}${poison}${pct(b)}`);
const nonAsciiArb = fc
  .tuple(fc.constantFrom('é', 'ü', '€', '🙂', '\u202e', '\u0000', '\ufeff', 'Ω', '㐀', '\ud800'), fc.string({ unit: 'grapheme', maxLength: 6 }))
  .map(([a, b]) => pct(a + b));
/** Bytes that are not UTF-8 at all. */
const INVALID_UTF8: number[][] = [
  [0xff],
  [0xfe],
  [0xc0, 0x80],
  [0xc3, 0x28],
  [0xa0, 0xa1],
  [0xe2, 0x28, 0xa1],
  [0xe2, 0x82],
  [0xed, 0xa0, 0x80],
  [0xf0, 0x28, 0x8c, 0x28],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0x80],
];
const invalidUtf8Arb = fc.array(fc.constantFrom(...INVALID_UTF8), { minLength: 1, maxLength: 4 }).map((parts) => Buffer.from(parts.flat()));

const PROTO_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', '__defineGetter__', '__lookupSetter__'];

// ---------------------------------------------------------------------------------------------------
// 1. Paths

type PathOp = (segments: string[], index: number) => string[];
const at = (segments: string[], index: number, segment: string) => segments.map((s, i) => (i === index ? segment : s));
const insertAt = (text: string, position: number, insert: string) => {
  const p = position % (text.length + 1);
  return `${text.slice(0, p)}${insert}${text.slice(p)}`;
};

const pathOpArb: fc.Arbitrary<[string, PathOp]> = fc.oneof(
  fc.tuple(poisonArb, fc.nat()).map(([poison, p]): [string, PathOp] => [`insert ${poison}`, (s, i) => at(s, i, insertAt(s[i]!, p, poison))]),
  junkArb.map((junk): [string, PathOp] => ['replace by junk', (s, i) => at(s, i, junk)]),
  nonAsciiArb.map((u): [string, PathOp] => ['insert encoded unicode', (s, i) => at(s, i, `${s[i]}${u}`)]),
  fc
    .tuple(fc.oneof(fc.integer({ min: 1, max: 80 }), fc.integer({ min: 2000, max: 9000 })), fc.nat())
    .map(([n, p]): [string, PathOp] => [`overlong +${n}`, (s, i) => at(s, i, insertAt(s[i]!, p, 'a'.repeat(n)))]),
  fc.nat().map((p): [string, PathOp] => [
    'percent-encode one character',
    (s, i) => {
      const q = p % s[i]!.length;
      return at(s, i, `${s[i]!.slice(0, q)}%${s[i]!.charCodeAt(q).toString(16).padStart(2, '0')}${s[i]!.slice(q + 1)}`);
    },
  ]),
  fc.constantFrom('upper', 'capital').map((how): [string, PathOp] => [
    `literal in ${how} case`,
    (s, i) => {
      const literal = s.findIndex((seg, k) => k >= i && LITERALS.has(seg));
      const k = literal < 0 ? s.findIndex((seg) => LITERALS.has(seg)) : literal;
      const seg = s[k]!;
      return at(s, k, how === 'upper' ? seg.toUpperCase() : `${seg[0]!.toUpperCase()}${seg.slice(1)}`);
    },
  ]),
  fc
    .constantFrom('', '.', '..', '%2e', '%2e%2e', '.%2E')
    .map((dot): [string, PathOp] => [`dot segment ${JSON.stringify(dot)} inserted`, (s, i) => [...s.slice(0, i), dot, ...s.slice(i)]]),
  fc.constant<[string, PathOp]>(['segment emptied', (s, i) => at(s, i, '')]),
  fc.constant<[string, PathOp]>(['trailing slash', (s) => [...s, '']]),
  fc.constant<[string, PathOp]>([
    'backslash for slash',
    (s, i) => (i > 0 ? [...s.slice(0, i - 1), `${s[i - 1]}\\${s[i]}`, ...s.slice(i + 1)] : at(s, i, `\\${s[i]}`)),
  ]),
  fc.constantFrom(ada.userToken, ada.usdWallet, D.quickCash, RULE, 'MEX').map((token): [string, PathOp] => [`extra segment ${token}`, (s) => [...s, token]]),
  fc.constantFrom('usr_', 'USR_', 'dest_', 'autopayout_', 'wlt_', 'usr_wlt').map((prefix): [string, PathOp] => [
    `wrong or doubled prefix ${prefix}`,
    (s, i) => {
      const k = s.findIndex((seg, j) => j >= i && !LITERALS.has(seg));
      const t = k < 0 ? s.findIndex((seg) => !LITERALS.has(seg)) : k;
      return t < 0 ? at(s, i, `${prefix}${s[i]}`) : at(s, t, `${prefix}${s[t]}`);
    },
  ]),
  fc.integer({ min: 1, max: 35 }).map((n): [string, PathOp] => [
    `token truncated by ${n}`,
    (s, i) => {
      const k = s.findIndex((seg, j) => j >= i && !LITERALS.has(seg) && seg !== 'MEX');
      const t = k < 0 ? s.findIndex((seg) => !LITERALS.has(seg) && seg !== 'MEX') : k;
      return t < 0 ? at(s, i, `${s[i]}~`) : at(s, t, s[t]!.slice(0, -n));
    },
  ]),
);

const pathArb = fc.tuple(baseArb, fc.nat(), pathOpArb).map(([base, n, [name, op]]) => {
  const segments = op(base.segments, n % base.segments.length);
  return fromBase(base, `path: ${name}`, { target: targetOf(segments, base.query) });
});

// ---------------------------------------------------------------------------------------------------
// 2. Queries (the path is valid)

/** The query names the proxy takes (PROXY_QUERIES: what the SPA sends), not all that MassPay knows. */
const DECLARED: Partial<Record<RouteId, string[]>> = {
  lookupUser: ['email', 'first_name', 'internal_user_id'],
  getUserHistory: ['wallet_token', 'type', 'start_date', 'end_date', 'number_of_records', 'page'],
  listCountryServices: ['wallet_token'],
  deleteAutopayRule: ['token'],
};
/** Names MassPay (and the sandbox) know but the console never sends: refused like any unknown name. */
const MASSPAY_ONLY: Partial<Record<RouteId, string[]>> = {
  getUserHistory: ['show_all_clients'],
  getService: ['include_payer_logos'],
  listCountryServices: ['amount', 'limit', 'user_token', 'source_currency', 'payer_name', 'destination_currency', 'include_payer_logos'],
};
/** A value MassPay would take for each of those (the sandbox does). */
const MASSPAY_VALUES: Record<string, string> = {
  show_all_clients: 'true',
  include_payer_logos: 'false',
  amount: '200',
  limit: '300',
  user_token: ada.userToken,
  source_currency: 'USD',
  payer_name: 'Evergreen',
  destination_currency: 'USD',
};
const ALL_NAMES = [...new Set([...Object.values(DECLARED), ...Object.values(MASSPAY_ONLY)].flat())];

/** Values each declared name refuses (checked against the shared schemas below). Empty is absent, so never here. */
const BAD_VALUES: Record<string, string[]> = {
  email: ['not-an-email', 'a@', '@b.co', 'a b@c.de', `${'x'.repeat(250)}@e.com`],
  first_name: ['x'.repeat(101)],
  internal_user_id: ['a b', 'ext 1001', 'x'.repeat(76), 'ext-1001;drop', '<script>', 'é', 'ext%1001'],
  wallet_token: ['bad', '../x', ada.userToken, `${ada.usdWallet}x`, `${ada.usdWallet}/../x`],
  type: ['refund', 'payout,refund', 'PAYOUT', ',', 'payout,', 'payout load'],
  start_date: ['2026-13-01', 'yesterday', '2026-1-1', '20260101', '2026-00-10', '2026-01-01T00:00:00Z'],
  end_date: ['2026-13-01', 'tomorrow', '26-01-01', '2026-01-32x'],
  number_of_records: ['0', '101', '-1', '1.5', 'ten', '1e2', '+5', '0x10'],
  page: ['0', '-1', '100001', 'x', '1e3', '0x10', '9999999999', '1 2'],
  token: ['x', '../../x', 'autopayout_', `${RULE}x`, 'autopayout_%2e%2e', ada.userToken],
};

const queryOf = (pairs: [string, string][]) => pairs.map(([n, v]) => `${n}=${v}`).join('&');
const baseQueryPairs = (base: Base): [string, string][] => (base.query ? base.query.split('&').map((p) => p.split('=') as [string, string]) : []);

type QueryOp = (base: Base) => [string, string][];
const hugeArb = fc.oneof(
  asciiArb(40).map(pct),
  fc.integer({ min: 1000, max: 11_000 }).map((n) => 'q'.repeat(n)),
  nonAsciiArb,
);

const queryOpArb: fc.Arbitrary<[string, QueryOp]> = fc.oneof(
  // An undeclared name: a prototype property, another route's name, or anything else.
  fc
    .tuple(
      fc.oneof(fc.constantFrom(...PROTO_NAMES), fc.constantFrom(...ALL_NAMES, 'debug', 'admin', 'api_key', 'token[]', 'page[0]', ''), asciiArb(16)),
      hugeArb,
      fc.boolean(),
    )
    .map(([name, value, encodeName]): [string, QueryOp] => [
      `undeclared name ${JSON.stringify(name.slice(0, 20))}`,
      (base) => {
        const declared = DECLARED[base.route] ?? [];
        const undeclared = declared.includes(name) ? `${name}x` : name;
        return [...baseQueryPairs(base), [encodeName ? pct(undeclared) : encodeURIComponent(undeclared), value]];
      },
    ]),
  // A declared name twice.
  fc.tuple(fc.nat(), fc.constantFrom('1', 'x', ''), fc.boolean()).map(([n, value, first]): [string, QueryOp] => [
    'declared name repeated',
    (base) => {
      const declared = DECLARED[base.route];
      if (!declared) return [...baseQueryPairs(base), ['page', value], ['page', value]];
      const pairs = baseQueryPairs(base);
      const name = pairs.length && first ? pairs[0]![0] : declared[n % declared.length]!;
      const existing = pairs.find(([p]) => p === name);
      return existing ? [...pairs, [name, value]] : [...pairs, [name, value], [name, value]];
    },
  ]),
  // A declared name with a value it refuses.
  fc.tuple(fc.nat(), fc.nat(), fc.boolean()).map(([n, v, encode]): [string, QueryOp] => [
    'declared name, bad value',
    (base) => {
      const declared = DECLARED[base.route];
      if (!declared) return [...baseQueryPairs(base), ['token', RULE]];
      const name = declared[n % declared.length]!;
      const bad = BAD_VALUES[name]!;
      const value = bad[v % bad.length]!;
      return [...baseQueryPairs(base).filter(([p]) => p !== name), [name, encode ? pct(value) : encodeURIComponent(value)]];
    },
  ]),
  // A name MassPay knows (with a value it would take) that the console never sends.
  fc.tuple(fc.nat(), fc.constantFrom(...Object.keys(MASSPAY_VALUES))).map(([n, fallback]): [string, QueryOp] => [
    'a MassPay name the console does not send',
    (base) => {
      const names = MASSPAY_ONLY[base.route] ?? [fallback];
      const name = names[n % names.length]!;
      return [...baseQueryPairs(base), [name, encodeURIComponent(MASSPAY_VALUES[name]!)]];
    },
  ]),
  // Percent-encodings that do not decode.
  fc.constantFrom('%', '%zz', '%c3%28', '%ff%fe', '%00', '%E0%A4%A').map((broken): [string, QueryOp] => [
    `broken encoding ${broken}`,
    (base) => {
      const declared = DECLARED[base.route];
      if (!declared) return [...baseQueryPairs(base), [broken, '1']];
      const name = ['token', 'page', 'internal_user_id', 'wallet_token'].find((d) => declared.includes(d))!;
      return [...baseQueryPairs(base).filter(([p]) => p !== name), [name, `1${broken}`]];
    },
  ]),
);

const queryArb = fc
  .tuple(baseArb, queryOpArb)
  .map(([base, [name, op]]) => fromBase(base, `query: ${name}`, { target: `/api/${base.segments.join('/')}?${queryOf(op(base))}` }));

// ---------------------------------------------------------------------------------------------------
// 3. Methods

/** Methods the proxy's route takes, on paths where they are not allowed. */
const routedMethodArb = fc
  .tuple(baseArb, fc.constantFrom('PUT', 'PATCH', 'OPTIONS', 'HEAD', 'POST', 'DELETE'), fc.boolean())
  .map(([base, method, withBody]) => {
    const path = base.segments.join('/');
    const allowed = BASES.filter((b) => b.segments.join('/') === path).map((b) => ROUTES[b.route].method as string);
    const m = allowed.includes(method) ? 'PUT' : method;
    const body = withBody && m !== 'HEAD' ? json(VALID_RULE) : undefined;
    return fromBase(base, `method: ${m}`, { method: m, headers: body ? [['content-type', 'application/json']] : [], body });
  });

/** Every other method Node's parser knows, tokens it does not, and CONNECT (raw: node:http would tunnel it). */
const OTHER_METHODS = METHODS.filter((m) => !['GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS', 'HEAD', 'CONNECT'].includes(m));
const otherMethodArb = fc.oneof(
  fc
    .tuple(baseArb, fc.oneof(fc.constantFrom(...OTHER_METHODS), fc.constantFrom('FOO', 'GETS', 'BREW', 'X-GET', 'POST2')))
    .map(([base, method]) => fromBase(base, `method: ${method}`, { method, headers: [], body: undefined })),
  fc.tuple(baseArb, fc.boolean()).map(([base, authority]) => {
    const target = authority ? '127.0.0.1:443' : targetOf(base.segments, base.query);
    return hostile({
      kind: 'method: CONNECT',
      expect: 'refused',
      method: 'CONNECT',
      target,
      headers: [],
      who: 'anonymous',
      csrf: true,
      raw: Buffer.from(`CONNECT ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Requested-With: XMLHttpRequest\r\n\r\n`),
    });
  }),
);

// ---------------------------------------------------------------------------------------------------
// 4. Headers (on an otherwise valid add or delete)

const REFUSED_CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'text/json',
  'application/jsonx',
  'application/json-patch+json',
  'application/vnd.api+json',
  'application/json, text/plain',
  'application/octet-stream',
  '*/*',
  'application/*',
  '',
  'json',
  'text/html; charset=utf-8',
];
const headerOpArb: fc.Arbitrary<[string, (r: HostileRequest) => HostileRequest]> = fc.oneof(
  fc
    .constantFrom(...REFUSED_CONTENT_TYPES)
    .map((type): [string, (r: HostileRequest) => HostileRequest] => [
      `content-type ${JSON.stringify(type)}`,
      (r) => ({ ...r, body: r.body ?? json(VALID_RULE), headers: [['content-type', type]] }),
    ]),
  fc.constantFrom('text/plain', 'application/xml', 'application/x-www-form-urlencoded').map((first): [string, (r: HostileRequest) => HostileRequest] => [
    `content-type twice, ${first} first`,
    (r) => ({
      ...r,
      body: r.body ?? json(VALID_RULE),
      headers: [
        ['content-type', first],
        ['content-type', 'application/json'],
      ],
    }),
  ]),
  fc
    .oneof(
      fc.constantFrom('', 'two words', 'k'.repeat(256), 'é', 'tab\there', 'a,b c', '"quoted key"'),
      fc.tuple(asciiArb(20), asciiArb(20)).map(([a, b]) => `k${a} ${b}x`),
    )
    .map((key): [string, (r: HostileRequest) => HostileRequest] => [
      `Idempotency-Key ${JSON.stringify(cut(key, 20))}`,
      (r) => ({ ...r, headers: [...r.headers, ['idempotency-key', key]] }),
    ]),
  fc.constant<[string, (r: HostileRequest) => HostileRequest]>([
    'Idempotency-Key twice',
    (r) => ({
      ...r,
      headers: [...r.headers, ['idempotency-key', 'b7c1f1de-8a0e-4f4e-9f57-6a3f2d1c0b9a'], ['idempotency-key', 'b7c1f1de-8a0e-4f4e-9f57-6a3f2d1c0b9b']],
    }),
  ]),
  fc
    .constantFrom('xmlhttprequest', 'XMLHTTPREQUEST', 'fetch', '1', 'XMLHttpRequest2', 'XMLHttp Request')
    .map((value): [string, (r: HostileRequest) => HostileRequest] => [
      `X-Requested-With ${value}`,
      (r) => ({ ...r, csrf: false, statuses: [403], headers: [...r.headers, ['x-requested-with', value]] }),
    ]),
  fc.constant<[string, (r: HostileRequest) => HostileRequest]>([
    'X-Requested-With twice',
    (r) => ({ ...r, csrf: false, statuses: [403], headers: [...r.headers, ['x-requested-with', 'XMLHttpRequest'], ['x-requested-with', 'XMLHttpRequest']] }),
  ]),
  fc.constant<[string, (r: HostileRequest) => HostileRequest]>(['no X-Requested-With', (r) => ({ ...r, csrf: false, statuses: [403] })]),
  fc
    .constantFrom('null', 'http://evil.example', 'https://127.0.0.1', 'http://localhost', 'http://127.0.0.1:1', 'file://', 'http://127.0.0.1.evil.example')
    .map((origin): [string, (r: HostileRequest) => HostileRequest] => [
      `Origin ${origin}`,
      (r) => ({ ...r, statuses: [403], headers: [...r.headers, ['origin', origin]] }),
    ]),
  fc.constant<[string, (r: HostileRequest) => HostileRequest]>([
    'Sec-Fetch-Site cross-site',
    (r) => ({ ...r, statuses: [403], headers: [...r.headers, ['sec-fetch-site', 'cross-site']] }),
  ]),
  // DNS rebinding: a name that is not the console's (ALLOWED_HOSTS; by default the loopback names on its port).
  fc
    .constantFrom(
      'evil.example',
      'evil.example:PORT',
      '127.0.0.1.evil.example:PORT',
      'localhost.evil.example',
      '127.0.0.1:1',
      '127.0.0.1',
      '[::2]:PORT',
      '127.0.0.1:PORT:PORT',
      'user@127.0.0.1:PORT',
      '127.0.0.1:PORT/x',
      '127.0.0.1:',
      '0x7f000001:PORT',
    )
    .map((host): [string, (r: HostileRequest) => HostileRequest] => [
      `Host ${host}`,
      (r) => ({ ...r, statuses: [421], headers: [...r.headers, ['host', host.replaceAll('PORT', String(port))]] }),
    ]),
);
/** Noise that is allowed, added to some: big and odd headers that must not matter. */
const noiseArb = fc.array(
  fc.oneof(
    fc.integer({ min: 100, max: 6000 }).map((n): [string, string] => ['x-pad', 'p'.repeat(n)]),
    fc.constantFrom<[string, string]>(
      ['x-forwarded-for', '10.0.0.1, 127.0.0.1'],
      ['x-forwarded-proto', 'https'],
      ['authorization', 'Bearer stolen'],
      ['x-request-id', '../../etc'],
      ['accept', '*/*;q=0.1'],
      ['x-http-method-override', 'GET'],
      ['forwarded', 'for=1.2.3.4;proto=https'],
    ),
  ),
  { maxLength: 3 },
);
const headerArb = fc.tuple(changeArb, headerOpArb, noiseArb).map(([base, [name, op], noise]) => {
  const changed = op(fromBase(base, `header: ${name}`));
  return hostile({ ...changed, headers: [...changed.headers, ...noise] });
});

// ---------------------------------------------------------------------------------------------------
// 5. Bodies (on a valid add's path)

const RULE_PREFIX = `{"destination_token":"${D.quickCash}","percentage":`;
const badPercentageArb = fc.oneof(
  fc.constantFrom(
    '"5"',
    'null',
    'true',
    '[5]',
    '{"value":5}',
    '0',
    '-0',
    '-1',
    '100.01',
    '100.001',
    '1.234',
    '1e400',
    '-1e400',
    '1e-7',
    '1e21',
    '"NaN"',
    '"Infinity"',
  ),
  fc
    .double({ noNaN: true, noDefaultInfinity: true })
    .map(String)
    .filter((t) => {
      try {
        return !percentageSchema.safeParse(JSON.parse(t)).success;
      } catch {
        return true;
      }
    }),
);
const badDestinationArb = fc.oneof(
  fc.constantFrom(
    '5',
    'null',
    'true',
    '[]',
    '{}',
    '""',
    `"${D.quickCash} "`,
    `"${D.quickCash.toUpperCase()}"`,
    `"../${D.quickCash}"`,
    `["${D.quickCash}"]`,
    `{"$ne":null}`,
  ),
  fc
    .string({ maxLength: 40 })
    .filter((s) => !destinationTokenSchema.safeParse(s).success)
    .map((s) => JSON.stringify(s)),
);
const jsonValueArb = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null');
const nest = (depth: number, open: string, inner: string, close: string) => `${open.repeat(depth)}${inner}${close.repeat(depth)}`;

const bodyOpArb: fc.Arbitrary<[string, Buffer, string?]> = fc.oneof(
  // Too big: a valid rule padded past 16 KiB, now and then far past it.
  fc.oneof(fc.integer({ min: 16_385, max: 70_000 }), fc.constantFrom(1_048_576)).map((size): [string, Buffer] => {
    const head = `${RULE_PREFIX}5,"pad":"`;
    return [`over the limit (${size} bytes)`, Buffer.from(`${head}${'x'.repeat(size - head.length - 2)}"}`)];
  }),
  // Deeply nested, within the limit (parsed) or far beyond it (10,000 levels).
  fc
    .tuple(fc.constantFrom('array', 'object', 'in percentage', 'in extra field'), fc.integer({ min: 50, max: 10_000 }))
    .map(([where, depth]): [string, Buffer] => {
      if (where === 'array') return [`nested ${depth} arrays`, Buffer.from(nest(depth, '[', '', ']'))];
      if (where === 'object') return [`nested ${depth} objects`, Buffer.from(nest(depth, '{"a":', '1', '}'))];
      if (where === 'in percentage') return [`percentage nested ${depth}`, Buffer.from(`${RULE_PREFIX}${nest(Math.min(depth, 8000), '[', '5', ']')}}`)];
      return [`extra field nested ${depth}`, Buffer.from(`${RULE_PREFIX}5,"x":${nest(Math.min(depth, 3000), '{"__proto__":', '{}', '}')}}`)];
    }),
  // Not UTF-8, in a value, a key, or as the whole body.
  fc.tuple(invalidUtf8Arb, fc.constantFrom('destination', 'key', 'attr', 'whole', 'percentage')).map(([bytes, where]): [string, Buffer] => {
    const parts: Record<string, Buffer[]> = {
      destination: [Buffer.from('{"destination_token":"dest_'), bytes, Buffer.from('","percentage":5}')],
      key: [Buffer.from(`${RULE_PREFIX}5,"`), bytes, Buffer.from('":1}')],
      attr: [Buffer.from(`${RULE_PREFIX}5,"attr_set_token":"`), bytes, Buffer.from('"}')],
      whole: [bytes],
      percentage: [Buffer.from(RULE_PREFIX), bytes, Buffer.from('}')],
    };
    return [`invalid UTF-8 (${where})`, Buffer.concat(parts[where]!)];
  }),
  badPercentageArb.map((p): [string, Buffer] => [`percentage ${cut(p, 20)}`, Buffer.from(`${RULE_PREFIX}${p}}`)]),
  badDestinationArb.map((d): [string, Buffer] => [`destination ${cut(d, 20)}`, Buffer.from(`{"destination_token":${d},"percentage":5}`)]),
  fc
    .constantFrom('5', '"attr_set_x"', 'null', '{}', '"attr_set_00000000-0000-4000-8000-00000000000"')
    .map((a): [string, Buffer] => [`attr_set_token ${a}`, Buffer.from(`${RULE_PREFIX}5,"attr_set_token":${a}}`)]),
  // Extra fields, prototype pollution among them.
  fc
    .tuple(
      fc.oneof(
        fc.constantFrom(...PROTO_NAMES, 'token', 'user_token', 'wallet_token', 'admin'),
        asciiArb(12).filter((k) => !['destination_token', 'percentage', 'attr_set_token'].includes(k)),
      ),
      jsonValueArb,
    )
    .map(([key, value]): [string, Buffer] => [`extra field ${JSON.stringify(key)}`, Buffer.from(`${RULE_PREFIX}5,${JSON.stringify(key)}:${value}}`)]),
  fc
    .constantFrom(
      '{"__proto__":{"percentage":5},"destination_token":"DEST"}',
      '{"constructor":{"prototype":{"admin":true}},"destination_token":"DEST","percentage":5}',
      '{"destination_token":"DEST","percentage":5,"__proto__":{"admin":true}}',
      '{"destination_token":"DEST","percentage":5,"constructor":{"prototype":{"polluted":1}}}',
    )
    .map((t): [string, Buffer] => ['prototype pollution', Buffer.from(t.replace('DEST', D.quickCash))]),
  // Missing fields, other shapes, a later duplicate key that is wrong.
  fc
    .constantFrom(
      '{}',
      '{"percentage":5}',
      `{"destination_token":"${D.quickCash}"}`,
      '[]',
      '[{}]',
      '"rule"',
      '5',
      'null',
      'true',
      `[${JSON.stringify(VALID_RULE)}]`,
      `${RULE_PREFIX}5,"percentage":"5"}`,
      `{"destination_token":"${D.quickCash}","destination_token":5,"percentage":5}`,
    )
    .map((t): [string, Buffer] => [`shape ${cut(t, 30)}`, Buffer.from(t)]),
  // Not JSON.
  fc
    .oneof(
      fc.constantFrom(
        '',
        ' ',
        '{',
        `${RULE_PREFIX}5`,
        `${RULE_PREFIX}5,}`,
        `{'destination_token':'${D.quickCash}','percentage':5}`,
        `${RULE_PREFIX}5} // c`,
        `/* c */${JSON.stringify(VALID_RULE)}x`,
        `destination_token=${D.quickCash}&percentage=5`,
        '<rule/>',
        'NaN',
        `${RULE_PREFIX}NaN}`,
        `${RULE_PREFIX}0x5}`,
        `${RULE_PREFIX}05}`,
        `${JSON.stringify(VALID_RULE)}${JSON.stringify(VALID_RULE)}`,
      ),
      fc.string({ maxLength: 200 }).filter((s) => {
        try {
          JSON.parse(s);
          return false;
        } catch {
          return true;
        }
      }),
    )
    .map((t): [string, Buffer] => [`not JSON ${JSON.stringify(cut(t, 20))}`, Buffer.from(t)]),
  // A body on a delete.
  jsonValueArb.map((v): [string, Buffer, string] => ['a body on delete', Buffer.from(v), 'DELETE']),
);
const createRule = BASES.find((b) => b.route === 'createAutopayRule')!;
const deleteRule = BASES.find((b) => b.route === 'deleteAutopayRule')!;
const bodyArb = fc.tuple(bodyOpArb, fc.constantFrom('application/json', 'application/json; charset=utf-8', undefined)).map(([[name, body, method], type]) =>
  fromBase(method === 'DELETE' ? deleteRule : createRule, `body: ${name}`, {
    body,
    headers: type === undefined && body.length > 0 ? [] : [['content-type', type ?? 'application/json']],
  }),
);

// ---------------------------------------------------------------------------------------------------
// 5b. The console's own change route: PATCH /api/console/wallet/{user}/{wallet}/autopayout/{rule}

const PATCH_SEGMENTS = ['console', 'wallet', ada.userToken, ada.usdWallet, 'autopayout', RULE];
const patchTarget = (segments: readonly string[]) => `/api/${segments.join('/')}`;
const patchRequest = (kind: string, overrides: Partial<HostileRequest> = {}): HostileRequest =>
  hostile({
    kind,
    expect: 'refused',
    method: 'PATCH',
    target: patchTarget(PATCH_SEGMENTS),
    headers: [['content-type', 'application/json']],
    body: json({ percentage: 5 }),
    who: 'editor',
    csrf: true,
    ...overrides,
  });
/** A body that would pass: the generators must never make one (it would reach MassPay's rule list). */
const isValidPatchBody = (body: Buffer) => {
  try {
    return changePercentageInputSchema.safeParse(JSON.parse(body.toString('utf8'))).success;
  } catch {
    return false;
  }
};
const changePercentageArb = fc.oneof(
  fc
    .tuple(pathOpArb, fc.nat())
    .map(([[name, op], i]) => patchRequest(`percentage change path: ${name}`, { target: patchTarget(op([...PATCH_SEGMENTS], i % PATCH_SEGMENTS.length)) })),
  fc
    .tuple(fc.constantFrom('x=1', `token=${RULE}`, '__proto__=1', 'percentage=5'), fc.boolean())
    .map(([query, encoded]) => patchRequest('percentage change: a query', { target: `${patchTarget(PATCH_SEGMENTS)}?${encoded ? pct(query) : query}` })),
  bodyOpArb.filter(([, body]) => !isValidPatchBody(body)).map(([name, body]) => patchRequest(`percentage change body: ${name}`, { body })),
  badPercentageArb.map((p) => patchRequest(`percentage change: percentage ${cut(p, 20)}`, { body: Buffer.from(`{"percentage":${p}}`) })),
  fc
    .constantFrom(encodeURIComponent('x'.repeat(201)), '%E0%A4%A', '%', '%zz', '%00', 'line%0Abreak', '%C0%AE', encodeURIComponent('é'.repeat(201)))
    .map((reason) =>
      patchRequest('percentage change: a bad X-Change-Reason', {
        headers: [
          ['content-type', 'application/json'],
          ['x-change-reason', reason],
        ],
      }),
    ),
  fc.constantFrom('a b', 'x'.repeat(256), '"quoted key"').map((key) =>
    patchRequest('percentage change: a bad Idempotency-Key', {
      headers: [
        ['content-type', 'application/json'],
        ['idempotency-key', key],
      ],
    }),
  ),
  fc.constant(patchRequest('percentage change by a viewer', { who: 'viewer', statuses: [403] })),
);

// ---------------------------------------------------------------------------------------------------
// 5c. The console's payee routes: POST …/users/{user}/verify-caller and …/transactions/{txn}/pickup-code

/** A change request's id as the approval routes take it (a UUID). */
const CHANGE_REQUEST_ID = {
  safeParse: (value: string) => ({ success: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value) }),
} as unknown as z.ZodMiniType;
const TXN = 'pyt_7c1c4c3e-0d7e-4b59-9f34-5a1f2b3c4d5e';
interface PayeeRoute {
  name: string;
  /** Literal segments as they are; each token's schema where one stands. */
  segments: (string | z.ZodMiniType)[];
  values: string[];
  body: Record<string, string>;
  input: z.ZodMiniType;
}
const PAYEE_ROUTES: PayeeRoute[] = [
  {
    name: 'verify caller',
    segments: ['console', 'users', userTokenSchema, 'verify-caller'],
    values: ['console', 'users', ada.userToken, 'verify-caller'],
    body: { date_of_birth: '1815-12-10' },
    input: verifyCallerInputSchema,
  },
  {
    name: 'pickup code',
    segments: ['console', 'users', userTokenSchema, 'wallets', walletTokenSchema, 'transactions', transactionTokenSchema, 'pickup-code'],
    values: ['console', 'users', ada.userToken, 'wallets', ada.usdWallet, 'transactions', TXN, 'pickup-code'],
    body: { day: '2026-01-05' },
    input: revealPickupCodeInputSchema,
  },
  {
    // No request has this id: any request the generators make is refused before a rule is read.
    name: 'approve a change request',
    segments: ['console', 'change-requests', CHANGE_REQUEST_ID, 'approve'],
    values: ['console', 'change-requests', '0b3c1f0e-6a8e-4c1b-9d55-3f2a7e9c0d11', 'approve'],
    body: { comment: 'checked' },
    input: approveInputSchema,
  },
];
const PICKUP_CODE = PAYEE_ROUTES[1]!;
/** Whether a path op left a request the route would take (a prefix added to a transaction token may): never sent. */
const isValidPayeeTarget = (route: PayeeRoute, target: string) => {
  const segments = target.replace(/^\/api\//, '').split('/');
  return (
    segments.length === route.segments.length &&
    segments.every((segment, i) => {
      const expected = route.segments[i]!;
      return typeof expected === 'string' ? segment === expected : expected.safeParse(segment).success;
    })
  );
};
const isValidPayeeBody = (route: PayeeRoute, body: Buffer) => {
  try {
    return route.input.safeParse(JSON.parse(body.toString('utf8'))).success;
  } catch {
    return false;
  }
};
const payeeRequest = (route: PayeeRoute, kind: string, overrides: Partial<HostileRequest> = {}): HostileRequest =>
  hostile({
    kind: `${route.name}${kind}`,
    expect: 'refused',
    method: 'POST',
    target: patchTarget(route.values),
    headers: [['content-type', 'application/json']],
    body: json(route.body),
    who: 'editor',
    csrf: true,
    ...overrides,
  });
const payeeRouteArb = fc.constantFrom(...PAYEE_ROUTES);
const validReveal = () => {
  const { rosalind } = SEED_PEOPLE;
  const payout = c.embedded.sandbox.store.historyOf(rosalind.userToken).find((row) => row.pickup_code !== undefined)!;
  return hostile({
    kind: 'valid pickup code reveal',
    expect: 'valid',
    method: 'POST',
    target: patchTarget(['console', 'users', rosalind.userToken, 'wallets', rosalind.mxnWallet, 'transactions', payout.token, 'pickup-code']),
    headers: [['content-type', 'application/json']],
    body: json({ day: payout.time_of_txn.slice(0, 10) }),
    who: 'editor',
    csrf: true,
  });
};
const payeeArb = fc.oneof(
  fc
    .tuple(payeeRouteArb, pathOpArb, fc.nat())
    .map(
      ([route, [name, op], i]) =>
        [route, payeeRequest(route, ` path: ${name}`, { target: patchTarget(op([...route.values], i % route.values.length)) })] as const,
    )
    .filter(([route, request]) => !isValidPayeeTarget(route, request.target))
    .map(([, request]) => request),
  fc
    .tuple(payeeRouteArb, fc.constantFrom('x=1', '__proto__=1', 'date_of_birth=1815-12-10', 'day=2026-01-05', 'page=2'), fc.boolean())
    .map(([route, query, encoded]) => payeeRequest(route, ': a query', { target: `${patchTarget(route.values)}?${encoded ? pct(query) : query}` })),
  fc
    .tuple(payeeRouteArb, bodyOpArb)
    .filter(([route, [, body]]) => !isValidPayeeBody(route, body))
    .map(([route, [name, body]]) => payeeRequest(route, ` body: ${name}`, { body })),
  fc
    .tuple(
      payeeRouteArb,
      fc.constantFrom(
        'null',
        '"1815-02-30"',
        '"10/12/1815"',
        '"1815-12-10T00:00:00Z"',
        '18151210',
        '""',
        '"1815-12-1"',
        '["1815-12-10"]',
        '{"$gt":""}',
        '" 1815-12-10"',
      ),
    )
    .map(([route, value]) =>
      payeeRequest(route, `: ${Object.keys(route.body)[0]} ${value}`, { body: Buffer.from(`{${JSON.stringify(Object.keys(route.body)[0])}:${value}}`) }),
    ),
  payeeRouteArb.map((route) => payeeRequest(route, ' without the CSRF header', { csrf: false, statuses: [403] })),
  fc
    .tuple(payeeRouteArb, fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'))
    .map(([route, type]) => payeeRequest(route, `: a ${type} body`, { headers: [['content-type', type]], statuses: [415] })),
  fc
    .tuple(payeeRouteArb, fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH'))
    .map(([route, method]) => payeeRequest(route, `: ${method}`, { method, body: undefined, headers: [] })),
  fc.constant(payeeRequest(PICKUP_CODE, ' by a viewer', { who: 'viewer', statuses: [403] })),
  // A viewer may verify a caller: a malformed try is refused for what it is, not for the role.
  fc.constant(payeeRequest(PAYEE_ROUTES[0]!, ' by a viewer, malformed', { who: 'viewer', body: json({ date_of_birth: '1815-02-30' }), statuses: [400] })),
  // Now and then a valid reveal (Rosalind's cash pickup, read from the sandbox when generated): one history read of MassPay, 200.
  { weight: 1, arbitrary: fc.constant(null).map(() => validReveal()) },
);

// ---------------------------------------------------------------------------------------------------
// 6. No valid session: no cookie, a forged or mangled one

const whoArb: fc.Arbitrary<Who> = fc.oneof(
  fc.constant<Who>('anonymous'),
  fc
    .oneof(
      asciiArb(60).map((s) => `console_session=${s.replace(/[;\s]/g, '')}`),
      fc.uint8Array({ minLength: 1, maxLength: 200 }).map((b) => `console_session=${encodeURIComponent(Buffer.from(b).toString('base64'))}`),
      fc
        .uint8Array({ minLength: 40, maxLength: 120 })
        .map(
          (b) =>
            `console_session=${encodeURIComponent(Buffer.from(b).toString('base64'))}%3B${encodeURIComponent(Buffer.from(b.slice(0, 24)).toString('base64'))}`,
        ),
      fc.constantFrom(
        'console_session=',
        'console_session',
        'session=editor',
        'console_session=null; role=admin',
        `${'a=b; '.repeat(200)}x=y`,
        `console_session=${'A'.repeat(4000)}`,
      ),
    )
    .map((garbage): Who => ({ garbage })),
  fc
    .tuple(fc.constantFrom('truncate', 'flip', 'drop-middle') as fc.Arbitrary<'truncate' | 'flip' | 'drop-middle'>, fc.nat())
    .map(([mangle, n]): Who => ({ mangle, at: n })),
);
const anonymousArb = fc.tuple(baseArb, whoArb, fc.boolean(), fc.boolean()).map(([base, who, csrf, withKey]) => {
  const safe = ROUTES[base.route].method === 'GET';
  return fromBase(base, `session: ${whoText(who).slice(0, 40)}`, {
    who,
    csrf,
    statuses: [!safe && !csrf ? 403 : 401],
    headers: [
      ...(base.body ? ([['content-type', 'application/json']] as [string, string][]) : []),
      ...(withKey ? ([['authorization', 'Bearer MASSPAY_KEY']] as [string, string][]) : []),
    ],
  });
});

// ---------------------------------------------------------------------------------------------------
// 7. Roles: a viewer changing rules, an editor or viewer reading the audit log

const roleArb = fc.oneof(
  changeArb.map((base) => fromBase(base, `role: viewer ${ROUTES[base.route].method}`, { who: 'viewer', statuses: [403] })),
  fc
    .tuple(
      fc.constantFrom<Who>('viewer', 'editor'),
      fc.constantFrom('/api/audit', '/api/audit?limit=25', '/api/audit/export', `/api/audit?user=${ada.userToken}`),
    )
    .map(([who, target]) =>
      hostile({ kind: `role: ${String(who)} reads the audit log`, expect: 'refused', statuses: [403], method: 'GET', target, headers: [], who, csrf: true }),
    ),
);

// ---------------------------------------------------------------------------------------------------
// 8. Bytes Node's HTTP parser refuses (sent without a session: whatever happens, nothing is allowed)

const CRLF = '\r\n';
// The Host names the console's own port (known when the generators run), so that what is judged is the bytes, not the Host.
const rawRequest = (kind: string, head: Buffer | string, tail = `Host: 127.0.0.1:${port}${CRLF}Connection: close${CRLF}${CRLF}`) =>
  hostile({
    kind,
    expect: 'refused',
    method: 'RAW',
    target: '',
    headers: [],
    who: 'anonymous',
    csrf: false,
    raw: Buffer.concat([typeof head === 'string' ? Buffer.from(head, 'latin1') : head, Buffer.from(tail, 'latin1')]),
  });
const okPath = targetOf(adaRules, '');
const rawArb = fc.oneof(
  fc
    .tuple(fc.array(fc.oneof(fc.integer({ min: 0, max: 0x20 }), fc.integer({ min: 0x7f, max: 0xff })), { minLength: 1, maxLength: 6 }), fc.nat())
    .map(([bytes, p]) => {
      const cutAt = 5 + (p % (okPath.length - 5));
      return rawRequest(
        'raw: control or 8-bit bytes in the path',
        Buffer.concat([Buffer.from(`GET ${okPath.slice(0, cutAt)}`), Buffer.from(bytes), Buffer.from(`${okPath.slice(cutAt)} HTTP/1.1${CRLF}`)]),
      );
    }),
  invalidUtf8Arb.map((bytes) =>
    rawRequest('raw: invalid UTF-8 in the path', Buffer.concat([Buffer.from('GET /api/payout/wallet/'), bytes, Buffer.from(` HTTP/1.1${CRLF}`)])),
  ),
  fc
    .constantFrom('get', 'Get', 'FOO', 'G\tET', 'GET\x00', 'GE T', 'POST\x7f')
    .map((m) => rawRequest(`raw: method ${JSON.stringify(m)}`, `${m} ${okPath} HTTP/1.1${CRLF}`)),
  fc
    .constantFrom('HTTP/1.1x', 'HTTP/', 'HTTPS/1.1', 'HTTP/11', 'http/1.1', 'HTTP/1.1 extra', 'HTTP/1.')
    .map((v) => rawRequest(`raw: version ${JSON.stringify(v)}`, `GET ${okPath} ${v}${CRLF}`)),
  fc
    .constantFrom('X-A: a\x00b', 'X-A: a\x01b', 'X-A: a\x7fb', 'X A: b', 'X(A): b', 'no colon here', ': empty name', 'X-A: a\rb', '\x00: b', 'Héader: b')
    .map((line) => rawRequest(`raw: header line ${JSON.stringify(line)}`, `GET ${okPath} HTTP/1.1${CRLF}${line}${CRLF}`)),
  fc
    .constantFrom(
      `Content-Length: 5${CRLF}Content-Length: 6`,
      `Content-Length: 2${CRLF}Transfer-Encoding: chunked`,
      'Transfer-Encoding: gzip',
      'Transfer-Encoding: chunked, gzip',
      'Content-Length: abc',
      'Content-Length: -1',
      'Content-Length: 1 2',
      'Content-Length: 99999999999999999999',
    )
    .map((headers) =>
      rawRequest(
        `raw: framing ${JSON.stringify(headers)}`,
        `POST ${okPath} HTTP/1.1${CRLF}X-Requested-With: XMLHttpRequest${CRLF}Content-Type: application/json${CRLF}${headers}${CRLF}`,
        `Host: 127.0.0.1:${port}${CRLF}Connection: close${CRLF}${CRLF}{}`,
      ),
    ),
  fc.integer({ min: 16_500, max: 40_000 }).map((n) => rawRequest(`raw: a ${n}-byte header`, `GET ${okPath} HTTP/1.1${CRLF}X-Big: ${'b'.repeat(n)}${CRLF}`)),
  fc.integer({ min: 16_500, max: 30_000 }).map((n) => rawRequest(`raw: a ${n}-byte URL`, `GET ${okPath}?x=${'u'.repeat(n)} HTTP/1.1${CRLF}`)),
  fc.constant(rawRequest('raw: no Host on HTTP/1.1', `GET ${okPath} HTTP/1.1${CRLF}`, `Connection: close${CRLF}${CRLF}`)),
  fc
    .uint8Array({ minLength: 1, maxLength: 64 })
    .map((bytes) => rawRequest('raw: random bytes', Buffer.concat([Buffer.from([0x16, 0x03, 0x01]), Buffer.from(bytes)]), `${CRLF}${CRLF}`)),
);

// ---------------------------------------------------------------------------------------------------
// 9. The `/api` prefix and `audit` spelt otherwise: encoded letters, the absolute form

const encodeSomeLetters = (path: string, picks: number[]) => {
  const letters = [...path].flatMap((ch, i) => (/[a-z]/.test(ch) ? [i] : []));
  const chosen = new Set(picks.map((p) => letters[p % letters.length]!));
  return [...path].map((ch, i) => (chosen.has(i) ? `%${ch.charCodeAt(0).toString(16)}` : ch)).join('');
};
const spelledArb = fc
  .tuple(
    fc.constantFrom('/api/audit', '/api/audit/export', `/api/payout/wallet/${ada.userToken}`, `/api/payout/user/${ada.userToken}`),
    fc.oneof(
      fc
        .array(fc.nat(), { minLength: 1, maxLength: 3 })
        .map((picks) => ['encoded letters', (p: string) => encodeSomeLetters(p.slice(0, 10), picks) + p.slice(10)] as const),
      fc
        .constantFrom('http://127.0.0.1', 'HTTP://x', 'http://user@x', 'https://x:1')
        .map((origin) => [`absolute form ${origin}`, (p: string) => `${origin}${p}`] as const),
    ),
    fc.constantFrom<Who>('anonymous', 'viewer', 'editor'),
  )
  .map(([path, [how, spell], who]) => {
    const target = spell(path);
    const audit = path.startsWith('/api/audit');
    // Only an admin reads the audit log; without a session nothing answers but a refusal.
    // (An absolute-form target is refused outright: 400.)
    const statuses = who === 'anonymous' ? [400, 401, 403, 404] : audit ? [400, 403, 404] : undefined;
    return hostile({ kind: `spelling: ${how} as ${String(who)}`, expect: 'refused', statuses, method: 'GET', target, headers: [], who, csrf: true });
  });

// ---------------------------------------------------------------------------------------------------
// 10. A body on a GET

const getBodyArb = fc
  .tuple(
    validGetArb,
    fc.oneof(
      jsonValueArb.map((t) => Buffer.from(t)),
      fc.integer({ min: 16_385, max: 100_000 }).map((n) => Buffer.alloc(n, 'x')),
    ),
    fc.constantFrom('application/json', 'text/plain'),
  )
  .map(([get, body, type]) =>
    hostile({ ...get, kind: `GET with a ${body.length}-byte ${type} body`, expect: 'refused', headers: [['content-type', type]], body }),
  );

// ---------------------------------------------------------------------------------------------------
// 11. Percentages with more than two decimals that sit within a hair of two

const finePercentageArb = fc
  .oneof(
    fc
      .tuple(fc.integer({ min: 0, max: 9_999 }), fc.integer({ min: 4, max: 12 }), fc.integer({ min: 1, max: 9 }))
      .map(([bp, zeros, digit]) => `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, '0')}${'0'.repeat(zeros)}${digit}`),
    fc.constantFrom('5e-324', '1e-9', '2.5e-10', '99.999999999'),
  )
  // `16.320000000000001` parses to the very double `16.32` does: that one IS two decimals.
  .filter((text) => !percentageSchema.safeParse(Number(text)).success)
  .map((text) =>
    fromBase(
      BASES.find((b) => b.route === 'createAutopayRule')!,
      `percentage ${text}`,
      { body: Buffer.from(`${RULE_PREFIX}${text}}`) },
    ),
  );

// ---------------------------------------------------------------------------------------------------
// Sending and judging

let c: RunningConsole;
let port = 0;
let cookies: Record<'editor' | 'viewer', string>;
const serverErrors: string[] = [];

const cookieFor = (who: Who): string | undefined => {
  if (who === 'anonymous') return undefined;
  if (who === 'editor' || who === 'viewer') return cookies[who];
  if ('garbage' in who) return who.garbage;
  const [name, value] = [cookies.editor.slice(0, cookies.editor.indexOf('=') + 1), cookies.editor.slice(cookies.editor.indexOf('=') + 1)];
  // Only the first 20 characters are touched: each carries six whole bits of the ciphertext.
  const p = who.at % Math.min(20, value.length);
  if (who.mangle === 'truncate') return `${name}${value.slice(0, p + 1)}`;
  if (who.mangle === 'drop-middle') return `${name}${value.slice(0, p)}${value.slice(p + 8)}`;
  const swapped = value[p] === 'A' ? 'B' : 'A';
  return `${name}${value.slice(0, p)}${swapped}${value.slice(p + 1)}`;
};

const sendHttp = (r: HostileRequest): Promise<Answer> =>
  new Promise((resolve) => {
    const headers: Record<string, string | string[]> = {};
    const add = (name: string, value: string) => {
      const prev = headers[name];
      headers[name] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
    };
    if (r.csrf) add('x-requested-with', 'XMLHttpRequest');
    const cookie = cookieFor(r.who);
    if (cookie !== undefined) add('cookie', cookie);
    for (const [name, value] of r.headers) add(name, value === 'Bearer MASSPAY_KEY' ? `Bearer ${c.embedded.apiKey}` : value);
    if (r.body) add('content-length', String(r.body.length));
    let status: number | undefined;
    let contentType: string | undefined;
    let requestId: string | undefined;
    const chunks: Buffer[] = [];
    const done = (error?: string) => resolve({ status, contentType, requestId, body: Buffer.concat(chunks).toString('utf8'), error });
    let req;
    try {
      req = httpRequest({ host: '127.0.0.1', port, method: r.method, path: r.target, headers, agent: false }, (res) => {
        status = res.statusCode;
        contentType = res.headers['content-type'];
        requestId = res.headers['x-request-id'] as string | undefined;
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done());
        res.on('error', (error) => done(error.message));
      });
    } catch (error) {
      resolve({ body: '', error: `node:http would not send it (${(error as Error).message}): the generator is wrong` });
      return;
    }
    req.setTimeout(ANSWER_TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`)));
    // The server may answer (413) and close before a big body is written: what counts is the answer.
    req.on('error', (error) => (status === undefined ? done(error.message) : undefined));
    req.end(r.body);
  });

const sendRaw = (bytes: Buffer): Promise<Answer> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let error: string | undefined;
    socket.setTimeout(ANSWER_TIMEOUT_MS, () => socket.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`)));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (e) => (error = e.message));
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const status = /^HTTP\/1\.[01] (\d{3}) /.exec(text)?.[1];
      const end = text.indexOf('\r\n\r\n');
      const head = end < 0 ? text : text.slice(0, end);
      resolve({
        status: status ? Number(status) : undefined,
        contentType: /^content-type:\s*(.*)$/im.exec(head)?.[1],
        requestId: /^x-request-id:\s*(.*)$/im.exec(head)?.[1],
        body: end < 0 ? '' : Buffer.from(text.slice(end + 4), 'latin1').toString('utf8'),
        error: status ? undefined : (error ?? 'the connection closed without an answer'),
      });
    });
    socket.end(bytes);
  });

const send = (r: HostileRequest) => (r.raw ? sendRaw(r.raw) : sendHttp(r));

/** What is wrong with an answer, if anything. */
const judge = (r: HostileRequest, a: Answer, reached: Set<string>): string | undefined => {
  if (a.status === undefined) return `no answer: ${a.error}`;
  if (r.expect === 'valid') {
    if (a.status !== 200) return `a valid request answered ${a.status}: ${cut(a.body, 200)}`;
    if (!a.requestId || !reached.has(a.requestId)) return 'a valid request answered 200 without reaching MassPay';
    return undefined;
  }
  if (a.requestId && reached.has(a.requestId)) return `reached MassPay, answered ${a.status}: ${cut(a.body, 200)}`;
  if (a.status >= 500) return `answered ${a.status}: ${cut(a.body, 300)}`;
  if (a.status < 400) return `not refused: answered ${a.status} ${cut(a.body, 200)}`;
  if (r.statuses && !r.statuses.includes(a.status)) return `answered ${a.status}, expected ${r.statuses.join(' or ')}: ${cut(a.body, 200)}`;
  if (!a.contentType?.startsWith('application/problem+json'))
    return `answered ${a.status} as ${a.contentType ?? 'no content type'}, not problem+json: ${cut(a.body, 200)}`;
  if (r.method === 'HEAD') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(a.body);
  } catch {
    return `answered ${a.status} with a problem+json body that is not JSON: ${cut(a.body, 200)}`;
  }
  const problem = problemSchema.safeParse(parsed);
  if (!problem.success) return `answered ${a.status} with a body that is not a problem: ${cut(a.body, 200)}`;
  if (problem.data.status !== a.status) return `problem.status ${problem.data.status} differs from the HTTP status ${a.status}`;
  return undefined;
};

// Figures for the report.
const tally = { sent: 0, valid: 0, statuses: new Map<number | string, number>(), byKind: new Map<string, number>() };
const tallyOf = (r: HostileRequest, a: Answer) => {
  tally.sent += 1;
  if (r.expect === 'valid') tally.valid += 1;
  const key = a.status ?? 'none';
  tally.statuses.set(key, (tally.statuses.get(key) ?? 0) + 1);
  const kind = r.kind.split(':')[0]!;
  tally.byKind.set(kind, (tally.byKind.get(kind) ?? 0) + 1);
};

/** Sends one batch at once and checks every answer and the sandbox's counter; throws what went wrong. */
const sendBatch = async (batch: HostileRequest[]) => {
  const countBefore = c.embedded.sandbox.stats.requests;
  const seenBefore = c.recorder.seen.length;
  const answers = await Promise.all(batch.map(send));
  const reached = new Set(c.recorder.seen.slice(seenBefore).map((s) => String(s.headers['x-request-id'])));
  c.recorder.seen.length = 0; // the recorder keeps headers: not ours to hold for the whole run
  const valid = batch.filter((r) => r.expect === 'valid').length;
  batch.forEach((r, i) => tallyOf(r, answers[i]!));
  const wrong = batch.flatMap((r, i) => {
    const problem = judge(r, answers[i]!, reached);
    return problem ? [`${describeRequest(r)}\n    → ${problem}`] : [];
  });
  const count = c.embedded.sandbox.stats.requests - countBefore;
  if (count !== valid) wrong.push(`MassPay received ${count} requests for the ${valid} valid ones of this batch`);
  if (wrong.length > 0) throw new Error(wrong.join('\n'));
};

/** Up to BATCH requests, about one in fifteen valid; a failing batch shrinks to the requests that fail. */
const batchOf = (arb: fc.Arbitrary<HostileRequest>) =>
  fc.array(fc.oneof({ weight: 14, arbitrary: arb }, { weight: 1, arbitrary: validGetArb }), { minLength: 1, maxLength: BATCH, size: 'max' });

const runProperty = (arb: fc.Arbitrary<HostileRequest>, numRuns: number) =>
  fc.assert(
    fc.asyncProperty(batchOf(arb), async (batch) => sendBatch(batch)),
    { numRuns: Math.round(numRuns * SCALE), seed: SEED, endOnFailure: false },
  );

// ---------------------------------------------------------------------------------------------------

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
const settle = async () => {
  for (let i = 0; i < 4; i += 1) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return process.memoryUsage();
};

let heapBefore: NodeJS.MemoryUsage;
let startedAt = 0;
let countAtStart = 0;

beforeAll(async () => {
  // Warn and above only, kept to count: a trace log of 10,000 requests would be most of the heap.
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (/"level":(50|60)/.test(chunk.toString('utf8'))) serverErrors.push(chunk.toString('utf8'));
      done();
    },
  });
  c = await startConsole({ logger: { ...(loggerOptions('warn') as object), stream } });
  port = Number(new URL(c.baseUrl).port);
  cookies = { editor: await c.sessionCookie('editor'), viewer: await c.sessionCookie('viewer') };
  // Warm up before the baseline (JIT, code paths loaded on first use, pools): a sample of every kind,
  // answers not judged here (the properties do that).
  await sendBatch(fc.sample(validGetArb, { numRuns: BATCH, seed: SEED }));
  for (const arb of [pathArb, queryArb, routedMethodArb, otherMethodArb, headerArb, bodyArb, anonymousArb, roleArb, rawArb, spelledArb]) {
    const sample = fc.sample(arb, { numRuns: 4 * BATCH, seed: SEED + 1 });
    for (let i = 0; i < sample.length; i += BATCH) await Promise.all(sample.slice(i, i + BATCH).map(send));
  }
  c.recorder.seen.length = 0;
  serverErrors.length = 0;
  tally.sent = 0;
  tally.valid = 0;
  tally.statuses.clear();
  tally.byKind.clear();
  heapBefore = await settle();
  countAtStart = c.embedded.sandbox.stats.requests;
  startedAt = performance.now();
}, 60_000);
afterAll(() => c?.close());

/**
 * Batches per property: about 8 requests each (1 to 16). The properties that pass today send more than
 * 10,000 on their own; with every property passing, some 13,000 are sent before the summary.
 */
const RUNS = {
  path: 350,
  query: 170,
  routedMethod: 100,
  otherMethod: 70,
  header: 230,
  body: 350,
  session: 210,
  role: 80,
  raw: 90,
  spelling: 60,
  getBody: 15,
  finePercentage: 15,
  changePercentage: 150,
  payee: 150,
} as const;

describe(`hostile input at the proxy (fast-check seed ${SEED})`, () => {
  it('the generators only make invalid requests, by the shared schemas', () => {
    for (const [route, names] of Object.entries(DECLARED) as [RouteId, string[]][]) {
      const base = BASES.find((b) => b.route === route)!;
      const baseValues = Object.fromEntries(baseQueryPairs(base).map(([n, v]) => [n, decodeURIComponent(v)]));
      for (const name of names) {
        for (const bad of BAD_VALUES[name]!) {
          expect(PROXY_QUERIES[route].safeParse({ ...baseValues, [name]: bad }).success, `${route} ${name}=${bad}`).toBe(false);
        }
      }
    }
    // MassPay's names the console does not send: MassPay (the sandbox) takes them, the proxy does not.
    for (const [route, names] of Object.entries(MASSPAY_ONLY) as [RouteId, string[]][]) {
      const base = BASES.find((b) => b.route === route)!;
      const baseValues = Object.fromEntries(baseQueryPairs(base).map(([n, v]) => [n, decodeURIComponent(v)]));
      for (const name of names) {
        const query = { ...baseValues, [name]: MASSPAY_VALUES[name]! };
        expect(ROUTES[route].query.safeParse(query).success, `MassPay: ${route} ${name}`).toBe(true);
        expect(PROXY_QUERIES[route].safeParse(query).success, `the proxy: ${route} ${name}`).toBe(false);
      }
    }
  });

  it('paths: bad tokens, encodings, dot and empty segments, backslashes, overlong segments, unicode', () => runProperty(pathArb, RUNS.path), 120_000);
  it('queries: undeclared, repeated and prototype names, bad and huge values, broken encodings', () => runProperty(queryArb, RUNS.query), 120_000);
  it('methods the route takes, where the path does not allow them', () => runProperty(routedMethodArb, RUNS.routedMethod), 120_000);
  it('other methods: TRACE, WebDAV and unknown tokens', () => runProperty(otherMethodArb, RUNS.otherMethod), 120_000);
  it('headers: content types, Idempotency-Key, CSRF, Origin, Sec-Fetch-Site, duplicates, big ones', () => runProperty(headerArb, RUNS.header), 120_000);
  it('bodies: oversized, deeply nested, invalid UTF-8, wrong types, extra and prototype keys, not JSON', () => runProperty(bodyArb, RUNS.body), 120_000);
  it(
    'no valid session (none, forged, mangled; the MassPay key as Authorization): 401, or 403 without the CSRF header',
    () => runProperty(anonymousArb, RUNS.session),
    120_000,
  );
  it('roles: a viewer changing rules, an editor or viewer reading the audit log: 403', () => runProperty(roleArb, RUNS.role), 120_000);
  it('bytes the HTTP parser refuses', () => runProperty(rawArb, RUNS.raw), 120_000);
  it(
    'the /api prefix or `audit` spelt with encoded letters or in absolute form: no audit log without an admin, nothing without a session',
    () => runProperty(spelledArb, RUNS.spelling),
    120_000,
  );

  it(
    "the console's percentage change route: bad tokens and encodings, queries, bodies, reasons, keys, a viewer",
    () => runProperty(changePercentageArb, RUNS.changePercentage),
    120_000,
  );
  it(
    "the console's payee routes (verify caller, reveal a pickup code): bad tokens and encodings, queries, bodies, methods, a viewer",
    () => runProperty(payeeArb, RUNS.payee),
    120_000,
  );

  it('after the run: MassPay received exactly the valid requests, no server errors were logged, and the heap settles', async () => {
    const seconds = (performance.now() - startedAt) / 1000;
    const heapAfter = process.memoryUsage();
    const settled = await settle();
    const received = c.embedded.sandbox.stats.requests - countAtStart;
    console.log(
      [
        `hostile input: ${tally.sent} requests (${tally.valid} valid) in ${seconds.toFixed(1)} s, up to ${BATCH} at a time; seed ${SEED}`,
        `  by kind: ${[...tally.byKind].map(([k, n]) => `${k} ${n}`).join(', ')}`,
        `  statuses: ${[...tally.statuses]
          .sort(([a], [b]) => String(a).localeCompare(String(b)))
          .map(([s, n]) => `${s}×${n}`)
          .join(', ')}`,
        `  MassPay received ${received} requests; server error log lines: ${serverErrors.length}`,
        `  heap used: before ${mb(heapBefore.heapUsed)}, after ${mb(heapAfter.heapUsed)}, settled ${mb(settled.heapUsed)} (rss ${mb(heapBefore.rss)} → ${mb(settled.rss)}, external ${mb(heapBefore.external)} → ${mb(settled.external)})`,
      ].join('\n'),
    );
    // Soft: each figure is worth knowing even when another is off. (A property that fails stops at its
    // first counterexample, so then fewer than 10,000 requests are sent.)
    expect.soft(tally.sent, 'requests sent').toBeGreaterThanOrEqual(10_000);
    expect.soft(received, 'requests MassPay received (only the valid ones may reach it)').toBe(tally.valid);
    expect
      .soft(
        serverErrors.map((line) => cut(line, 500)),
        'error lines the server logged',
      )
      .toEqual([]);
    // What this process may legitimately keep after the run is small and bounded: the sandbox's
    // idempotency and audit rows are not written by refusals, the recorder is emptied after every
    // batch, and the tallies above are a few maps. A leak of even 1 KiB per request would leave
    // ≥ 10 MB behind, so 8 MB over the warmed-up baseline separates the two while leaving room for
    // V8's own slack (code caches, inline caches, pools grown by 16 concurrent requests).
    expect.soft(settled.heapUsed - heapBefore.heapUsed, 'heap growth after settling').toBeLessThan(8 * 1048576);
  }, 60_000);

  // After the summary: these two send requests that (today) reach MassPay, which would blur its count.
  it('a GET with a body: refused (415/400/413), not forwarded without it', () => runProperty(getBodyArb, RUNS.getBody), 120_000);
  it('a percentage with more than two decimals, however close to two: refused', () => runProperty(finePercentageArb, RUNS.finePercentage), 120_000);
});
