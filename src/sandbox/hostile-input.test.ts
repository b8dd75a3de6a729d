import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MASSPAY_ERRORS } from '../api';
import { SEED_DESTINATIONS, SEED_PEOPLE } from './seed';
import { startSandbox, type RunningSandbox } from '../../test/sandbox-support';

const { ada } = SEED_PEOPLE;
const adaRules = `/payout/wallet/${ada.userToken}/${ada.usdWallet}/autopayout`;

let sb: RunningSandbox;
let seededState: string;
beforeAll(async () => {
  sb = await startSandbox();
  seededState = JSON.stringify(sb.sandbox.store.state);
});
afterAll(() => sb.close());

/** Raw HTTP, so that paths go out exactly as written (fetch would normalise `..` and encodings). */
const raw = (method: string, path: string, body?: string, headers: Record<string, string> = {}) =>
  new Promise<{ status: number; body: any }>((resolve, reject) => {
    const url = new URL(sb.baseUrl);
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        agent: false,
        headers: { authorization: `Bearer ${sb.apiKey}`, ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }), ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // keep the text for the assertion message
          }
          resolve({ status: res.statusCode!, body: parsed });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });

const json = { 'content-type': 'application/json' };
const validRule = JSON.stringify({ destination_token: SEED_DESTINATIONS.quickCash, percentage: 5 });

const cases: [string, string, string, string | undefined, Record<string, string>][] = [
  ['malformed JSON', 'POST', adaRules, '{"destination_token": ', json],
  ['JSON with a trailing comma', 'POST', adaRules, '{"percentage": 5,}', json],
  ['a JSON array', 'POST', adaRules, '[1,2]', json],
  ['a JSON string', 'POST', adaRules, '"x"', json],
  ['null', 'POST', adaRules, 'null', json],
  ['an empty JSON body', 'POST', adaRules, '', json],
  ['no body at all', 'POST', adaRules, undefined, {}],
  ['text/plain', 'POST', adaRules, validRule, { 'content-type': 'text/plain' }],
  ['a form post', 'POST', adaRules, 'destination_token=x&percentage=5', { 'content-type': 'application/x-www-form-urlencoded' }],
  ['a body over 16 KiB', 'POST', adaRules, JSON.stringify({ destination_token: SEED_DESTINATIONS.quickCash, percentage: 5, pad: 'x'.repeat(17_000) }), json],
  ['an unknown field', 'POST', adaRules, JSON.stringify({ destination_token: SEED_DESTINATIONS.quickCash, percentage: 5, extra: true }), json],
  ['__proto__ pollution', 'POST', adaRules, `{"destination_token":"${SEED_DESTINATIONS.quickCash}","percentage":5,"__proto__":{"admin":true}}`, json],
  ['percentage NaN (bare)', 'POST', adaRules, `{"destination_token":"${SEED_DESTINATIONS.quickCash}","percentage":NaN}`, json],
  ['percentage "NaN"', 'POST', adaRules, JSON.stringify({ destination_token: SEED_DESTINATIONS.quickCash, percentage: 'NaN' }), json],
  ['percentage Infinity (1e400)', 'POST', adaRules, `{"destination_token":"${SEED_DESTINATIONS.quickCash}","percentage":1e400}`, json],
  ['percentage "Infinity"', 'POST', adaRules, JSON.stringify({ destination_token: SEED_DESTINATIONS.quickCash, percentage: 'Infinity' }), json],
  ['percentage as a string', 'POST', adaRules, JSON.stringify({ destination_token: SEED_DESTINATIONS.quickCash, percentage: '5' }), json],
  ['percentage negative', 'POST', adaRules, JSON.stringify({ destination_token: SEED_DESTINATIONS.quickCash, percentage: -1 }), json],
  ['percentage 0', 'POST', adaRules, JSON.stringify({ destination_token: SEED_DESTINATIONS.quickCash, percentage: 0 }), json],
  ['percentage 100.001', 'POST', adaRules, JSON.stringify({ destination_token: SEED_DESTINATIONS.quickCash, percentage: 100.001 }), json],
  ['percentage with three decimals', 'POST', adaRules, JSON.stringify({ destination_token: SEED_DESTINATIONS.quickCash, percentage: 1.005 }), json],
  ['percentage null', 'POST', adaRules, JSON.stringify({ destination_token: SEED_DESTINATIONS.quickCash, percentage: null }), json],
  ['percentage true', 'POST', adaRules, JSON.stringify({ destination_token: SEED_DESTINATIONS.quickCash, percentage: true }), json],
  ['destination as a number', 'POST', adaRules, JSON.stringify({ destination_token: 5, percentage: 5 }), json],
  ['destination with a path', 'POST', adaRules, JSON.stringify({ destination_token: '../dest_x', percentage: 5 }), json],
  ['a deeply nested body', 'POST', adaRules, `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`, json],
  ['a user token with ..', 'GET', '/payout/wallet/..', undefined, {}],
  ['a user token ending in ..', 'GET', `/payout/wallet/${ada.userToken}..`, undefined, {}],
  ['an encoded slash in a token', 'GET', `/payout/wallet/usr_x%2F..%2Fadmin`, undefined, {}],
  ['an encoded slash in a rule path', 'POST', `/payout/wallet/${ada.userToken}%2F${ada.usdWallet}/autopayout`, validRule, json],
  ['an encoded dot-dot', 'GET', '/payout/wallet/%2e%2e', undefined, {}],
  ['a NUL in a token', 'GET', `/payout/wallet/${ada.userToken}%00`, undefined, {}],
  ['a 2 KB token', 'GET', `/payout/wallet/usr_${'a'.repeat(2048)}`, undefined, {}],
  ['a 2 KB wallet token on add', 'POST', `/payout/wallet/${ada.userToken}/${'b'.repeat(2048)}/autopayout`, validRule, json],
  ['a malformed percent-encoding', 'GET', '/payout/wallet/%E0%A4%A', undefined, {}],
  ['a rule token with ..', 'DELETE', `${adaRules}?token=..`, undefined, {}],
  ['a rule token given twice', 'DELETE', `${adaRules}?token=a&token=b`, undefined, {}],
  ['an unknown query name on add', 'POST', `${adaRules}?percentage=100`, validRule, json],
];

describe('hostile input gets a 4xx with a MassPay body, never a 5xx, and changes nothing', () => {
  it.each(cases)('%s', async (_name, method, path, body, headers) => {
    const res = await raw(method, path, body, headers);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(typeof res.body.message).toBe('string');
    expect(res.body.message).toBe(MASSPAY_ERRORS[res.status as 400 | 404].message);
  });

  it('left the state exactly as seeded', () => {
    expect(JSON.stringify(sb.sandbox.store.state)).toBe(seededState);
  });

  it('still serves a valid request afterwards', async () => {
    expect((await raw('POST', adaRules, validRule, json)).status).toBe(200);
  });
});
