// Issue 16 item 3: the card's number, CVV, PIN and expiry are blanked in MassPay's raw bytes before
// anything parses them — no JS string, property or object ever holds them — and only type, status and
// balance are answered.
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { blankJsonMembers, CARD_SECRET_FIELDS, cardReviver, readCardAnswer } from './card-read';

const SECRETS = { card_number: '4000123412344242', cvv: '737', pin_number: '9183', expiration_date: '2031-07' };
const cardBody = (extra = '') =>
  Buffer.from(
    `{ "card_number" : "${SECRETS.card_number}", "cvv":"${SECRETS.cvv}","pin_number": "${SECRETS.pin_number}",\n` +
      `"expiration_date":"${SECRETS.expiration_date}", "balance": 310.5, "type": "VISA", "status": "CLOSED"${extra} }`,
  );

const realParse = JSON.parse;
afterEach(() => vi.restoreAllMocks());

describe('blankJsonMembers', () => {
  it.each([
    ['a flat object', '{"cvv":"123","a":1}', { cvv: 0, a: 1 }],
    ['escaped member names', '{"c\\u0076v":"123","pin\\u005fnumber":"4567"}', { cvv: 0, pin_number: 0 }],
    ['values holding quotes, escapes and braces', '{"cvv":"1\\"}2\\\\","x":"}"}', { cvv: 0, x: '}' }],
    ['numbers, objects and arrays as values', '{"cvv":123,"card_number":{"a":[1,"2"]},"expiration_date":[1]}', { cvv: 0, card_number: 0, expiration_date: 0 }],
    ['any depth, arrays included', '[{"x":{"cvv":"1"}},{"cvv":null}]', [{ x: { cvv: 0 } }, { cvv: 0 }]],
    ['a name that only looks like one', '{"cvvx":"1","xcvv":"2","CVV":"3"}', { cvvx: '1', xcvv: '2', CVV: '3' }],
    ['a secret name as a value', '{"a":"cvv","b":["pin_number"]}', { a: 'cvv', b: ['pin_number'] }],
  ])('%s', (_name, input, expected) => {
    const bytes = Buffer.from(input);
    expect(blankJsonMembers(bytes, CARD_SECRET_FIELDS)).toBe(true);
    // In place: the same length, the values replaced by 0 and spaces.
    expect(bytes.length).toBe(Buffer.byteLength(input));
    expect(JSON.parse(bytes.toString())).toStrictEqual(expected);
  });

  it.each(['', '{', '{"cvv":"12', '{"cvv" "1"}', '{"cvv":}', '{"a":1,}', '{"a":1} x', '{"a\n":1}', '{"a":"\u0001"}', '['.repeat(100) + ']'.repeat(100)])(
    'refuses what it cannot follow: %j',
    (input) => {
      expect(blankJsonMembers(Buffer.from(input), CARD_SECRET_FIELDS)).toBe(false);
    },
  );

  it('leaves JSON that parses to the same value, with every secret member 0 (property, 2,000 documents)', () => {
    const secretName = fc.constantFrom(...CARD_SECRET_FIELDS);
    const value = fc.jsonValue({ maxDepth: 3 });
    const doc = fc.letrec<{ node: unknown }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        value,
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(fc.oneof(secretName, fc.string({ maxLength: 8 })), tie('node'), { maxKeys: 5 }),
      ),
    })).node;
    const blanked = (node: unknown): unknown => {
      if (Array.isArray(node)) return node.map(blanked);
      if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, CARD_SECRET_FIELDS.has(k) ? 0 : blanked(v)]));
      return node;
    };
    fc.assert(
      fc.property(doc, fc.integer({ min: 0, max: 4 }), (node, indent) => {
        const text = JSON.stringify(node, null, indent);
        const bytes = Buffer.from(text);
        expect(blankJsonMembers(bytes, CARD_SECRET_FIELDS)).toBe(true);
        expect(JSON.parse(bytes.toString())).toEqual(blanked(JSON.parse(text)));
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('readCardAnswer', () => {
  it('answers type, status and balance only, and zeroes MassPay’s buffer', () => {
    const body = cardBody(', "last_4": "4242", "iframe_url": "https://x"');
    expect(readCardAnswer(body)).toStrictEqual({ type: 'VISA', status: 'CLOSED', balance: 310.5 });
    expect(body.every((byte) => byte === 0)).toBe(true);
  });

  it('no secret is ever parsed: the text JSON.parse gets holds none, and the reviver never sees one as a value', () => {
    const texts: string[] = [];
    const seen: Array<[string, unknown]> = [];
    vi.spyOn(JSON, 'parse').mockImplementation((text: string, reviver?: (this: unknown, key: string, value: unknown) => unknown) => {
      texts.push(text);
      return realParse(
        text,
        reviver &&
          function (this: unknown, key: string, value: unknown) {
            seen.push([key, value]);
            return reviver.call(this, key, value);
          },
      );
    });
    expect(readCardAnswer(cardBody())).toStrictEqual({ type: 'VISA', status: 'CLOSED', balance: 310.5 });
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
    // The reviver saw each secret member only as the 0 left in its place, and dropped it.
    for (const name of CARD_SECRET_FIELDS) expect(seen.filter(([key]) => key === name)).toEqual([[name, 0]]);
    expect(seen.at(-1)![1]).toStrictEqual({ balance: 310.5, type: 'VISA', status: 'CLOSED' });
  });

  it('the reviver alone drops the secret members as objects are built', () => {
    const parsed = JSON.parse(`{"cvv":"1","nested":{"pin_number":"2"},"type":"VISA"}`, cardReviver);
    expect(parsed).toStrictEqual({ nested: {}, type: 'VISA' });
    expect(Object.keys(parsed)).not.toContain('cvv');
  });

  it.each([
    ['not JSON', 'card_number=4000123412344242'],
    ['an array', '[{"type":"VISA","status":"ACTIVE","balance":1}]'],
    ['no status', '{"type":"VISA","balance":1}'],
    ['a balance that is text', '{"type":"VISA","status":"ACTIVE","balance":"1"}'],
  ])('reads nothing from %s', (_name, text) => {
    const body = Buffer.from(text);
    expect(readCardAnswer(body)).toBeUndefined();
    expect(body.every((byte) => byte === 0)).toBe(true);
  });

  it('passes a brand or status MassPay added later, as the string it is', () => {
    const body = Buffer.from(
      '{"card_number":"4016483301928344","cvv":"123","expiration_date":"","pin_number":"1234","type":"DINERS","status":"SUSPENDED","balance":1}',
    );
    expect(readCardAnswer(body)).toStrictEqual({ type: 'DINERS', status: 'SUSPENDED', balance: 1 });
  });
});
