import { describe, expect, it } from 'vitest';
import type { Destination } from '../catalog/api/get-service';
import { addRuleFormSchema, changePercentageFormSchema, ruleFormSchema, type RuleFormContext, type RuleFormValues } from './rule-form-schema';

// The schema is pure: what it knows of MassPay comes through `resolveDestination`, a parameter.
const QUICK_CASH = 'dest_3c8b5e2a-af4d-4e7b-9a93-4b6dac2f8e33';
const BANCO = 'dest_4d9c6f3b-b05e-4f8c-8ba4-5c7ebd3a9f44';
const EVERGREEN = 'dest_1a6f3c0e-8d2b-4c59-9e71-2f4b8a0d6c11';
const UNKNOWN = 'dest_00000000-0000-4000-8000-000000000000';
const UNREACHABLE = 'dest_11111111-1111-4111-8111-111111111111';

const destination = (token: string, payerName: string, currency: string): Destination => ({
  token,
  payerName,
  deliveryType: 'Bank deposit',
  countryCode: 'USA',
  currency,
  label: `${payerName} · Bank deposit · USA · ${currency}`,
});

const KNOWN: Record<string, Destination> = {
  [QUICK_CASH]: destination(QUICK_CASH, 'QuickCash Wallet', 'USD'),
  [BANCO]: destination(BANCO, 'Banco Ejemplo', 'MXN'),
  [EVERGREEN]: destination(EVERGREEN, 'Evergreen Bank', 'USD'),
};

const context = (overrides: Partial<RuleFormContext> = {}): RuleFormContext => ({
  walletCurrency: 'USD',
  unallocatedBp: 1_500,
  usedDestinations: new Set([EVERGREEN]),
  resolveDestination: async (token) => (token === UNREACHABLE ? undefined : (KNOWN[token] ?? null)),
  ...overrides,
});

const valid: RuleFormValues = { destination_token: QUICK_CASH, percentage: '15', attr_set_token: '' };

/** The first message per field, as the form shows them. */
const errorsOf = async (values: Partial<RuleFormValues>, ctx = context()) => {
  const result = await ruleFormSchema(ctx).safeParseAsync({ ...valid, ...values });
  if (result.success) return {};
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) errors[String(issue.path[0])] ??= issue.message;
  return errors;
};

describe('ruleFormSchema', () => {
  it('accepts a valid rule and gives the request body: trimmed, a number, no empty attribute set', async () => {
    const result = await ruleFormSchema(context()).safeParseAsync({ destination_token: `  ${QUICK_CASH} `, percentage: ' 12.5 ', attr_set_token: '  ' });
    expect(result.success).toBe(true);
    expect(result.data).toEqual({ destination_token: QUICK_CASH, percentage: 12.5 });
  });

  it('passes a well-formed attribute set token on', async () => {
    const attr = 'attr_set_5a8f2c1e-3b4d-4e6f-8a9b-0c1d2e3f4a5b';
    const result = await ruleFormSchema(context()).safeParseAsync({ ...valid, attr_set_token: attr });
    expect(result.data).toEqual({ destination_token: QUICK_CASH, percentage: 15, attr_set_token: attr });
  });

  it.each([
    ['empty', '', 'Enter a destination token, or pick a country and a service'],
    ['blank', '   ', 'Enter a destination token, or pick a country and a service'],
    ['malformed', 'dest_nope', 'Destination token is not a valid token'],
    ['too long', `dest_${'a'.repeat(80)}`, 'Destination token is too long'],
    ['already used by this wallet', EVERGREEN, 'This wallet already has a rule for this destination'],
    ['unknown to MassPay', UNKNOWN, 'No payout destination has this token'],
  ])('refuses a destination token that is %s', async (_case, destination_token, message) => {
    expect(await errorsOf({ destination_token })).toEqual({ destination_token: message });
  });

  it('refuses a destination paying out in another currency, naming both currencies', async () => {
    const { destination_token } = await errorsOf({ destination_token: BANCO });
    expect(destination_token).toBe('Banco Ejemplo pays out in MXN; this wallet holds USD, and autopay never converts currency');
  });

  it('leaves a destination it could not look up to the server', async () => {
    expect(await errorsOf({ destination_token: UNREACHABLE })).toEqual({});
  });

  it('names the format first when a token is malformed, whatever a lookup would say', async () => {
    const ctx = context({ resolveDestination: async () => null });
    expect(await errorsOf({ destination_token: 'dest_nope' }, ctx)).toEqual({ destination_token: 'Destination token is not a valid token' });
    expect(await errorsOf({ destination_token: '' }, ctx)).toEqual({ destination_token: 'Enter a destination token, or pick a country and a service' });
  });

  it.each([
    ['empty', '', 'Enter a percentage'],
    ['blank', '  ', 'Enter a percentage'],
    ['not a number', 'abc', 'Enter a number, such as 15 or 12.5'],
    ['a number with a comma', '12,5', 'Enter a number, such as 15 or 12.5'],
    ['negative', '-5', 'Percentage must be greater than 0'],
    ['zero', '0', 'Percentage must be greater than 0'],
    ['over 100', '150', 'Percentage must be at most 100'],
    ['three decimals', '12.345', 'Percentage may have at most two decimals'],
    ['more than is unallocated', '15.01', 'At most 15 % is unallocated'],
  ])('refuses a percentage that is %s', async (_case, percentage, message) => {
    expect(await errorsOf({ percentage })).toEqual({ percentage: message });
  });

  it.each(['0.01', '14.99', '15', '15.00'])('accepts %s % when 15 % is unallocated', async (percentage) => {
    expect(await errorsOf({ percentage })).toEqual({});
  });

  it('counts the remainder in basis points: 33.34 fits into what 33.33 + 33.33 leave', async () => {
    expect(await errorsOf({ percentage: '33.34' }, context({ unallocatedBp: 3_334 }))).toEqual({});
    expect(await errorsOf({ percentage: '33.35' }, context({ unallocatedBp: 3_334 }))).toEqual({ percentage: 'At most 33.34 % is unallocated' });
  });

  it('refuses any percentage on a fully allocated wallet', async () => {
    expect(await errorsOf({ percentage: '0.01' }, context({ unallocatedBp: 0 }))).toEqual({ percentage: 'At most 0 % is unallocated' });
  });

  it.each(['attr_nope', 'attr_set_', 'dest_3c8b5e2a-af4d-4e7b-9a93-4b6dac2f8e33'])('refuses the attribute set token %s', async (attr_set_token) => {
    expect(await errorsOf({ attr_set_token })).toEqual({ attr_set_token: 'An attribute set token looks like attr_set_…' });
  });

  it('reports every field at once', async () => {
    expect(await errorsOf({ destination_token: '', percentage: '', attr_set_token: 'x' })).toEqual({
      destination_token: 'Enter a destination token, or pick a country and a service',
      percentage: 'Enter a percentage',
      attr_set_token: 'An attribute set token looks like attr_set_…',
    });
  });
});

describe('addRuleFormSchema', () => {
  it('gives the rule (the request body) and the reason apart, trimmed', async () => {
    const result = await addRuleFormSchema({ ...context(), reasonMode: 'optional' }).safeParseAsync({ ...valid, reason: '  SUP-12  ' });
    expect(result.data).toEqual({ input: { destination_token: QUICK_CASH, percentage: 15 }, reason: 'SUP-12' });
  });

  it('takes no reason when it is optional, and asks for one when it is required', async () => {
    expect((await addRuleFormSchema({ ...context(), reasonMode: 'optional' }).safeParseAsync({ ...valid, reason: '  ' })).data?.reason).toBe('');
    const required = await addRuleFormSchema({ ...context(), reasonMode: 'required' }).safeParseAsync({ ...valid, reason: '  ' });
    expect(required.error?.issues.map((i) => [i.path[0], i.message])).toEqual([['reason', 'Enter a reason: why, or a ticket reference']]);
  });

  it.each([
    ['201 characters', 'x'.repeat(201), 'A reason is at most 200 characters'],
    ['a control character', 'a\tb', 'A reason is one line of text, without control characters'],
  ])('refuses a reason of %s', async (_case, reason, message) => {
    const result = await addRuleFormSchema({ ...context(), reasonMode: 'optional' }).safeParseAsync({ ...valid, reason });
    expect(result.error?.issues.map((i) => [i.path[0], i.message])).toEqual([['reason', message]]);
  });

  it('takes 200 characters', async () => {
    expect((await addRuleFormSchema({ ...context(), reasonMode: 'optional' }).safeParseAsync({ ...valid, reason: 'é'.repeat(200) })).success).toBe(true);
  });
});

describe('changePercentageFormSchema', () => {
  // Evergreen's 60 % beside Lakeside's 25 %: at most 75 % fits.
  const schema = changePercentageFormSchema({ current: 60, othersBp: 2_500, reasonMode: 'optional' });
  const errorOf = (percentage: string) => {
    const result = schema.safeParse({ percentage, reason: '' });
    return result.success ? undefined : result.error.issues[0]?.message;
  };

  it.each(['0.01', '59.99', '60.01', '70', '75', '75.00'])('accepts %s %', (percentage) => {
    expect(errorOf(percentage)).toBeUndefined();
  });

  it.each([
    ['the current share', '60', 'This rule already sends 60 %: enter another percentage'],
    ['the current share with decimals', '60.00', 'This rule already sends 60 %: enter another percentage'],
    ['more than the others leave', '75.01', 'At most 75 % fits: the other rules take 25 %'],
    ['empty', '', 'Enter a percentage'],
    ['not a number', '7O', 'Enter a number, such as 15 or 12.5'],
    ['zero', '0', 'Percentage must be greater than 0'],
    ['over 100', '100.01', 'Percentage must be at most 100'],
    ['three decimals', '1.001', 'Percentage may have at most two decimals'],
  ])('refuses %s', (_case, percentage, message) => {
    expect(errorOf(percentage)).toBe(message);
  });

  it('gives the number and the reason', () => {
    expect(schema.parse({ percentage: ' 70 ', reason: ' why ' })).toEqual({ percentage: 70, reason: 'why' });
  });

  it('counts in basis points: 33.34 fits beside 33.33 + 33.33', () => {
    const thirds = changePercentageFormSchema({ current: 10, othersBp: 6_666, reasonMode: 'optional' });
    expect(thirds.safeParse({ percentage: '33.34', reason: '' }).success).toBe(true);
    expect(thirds.safeParse({ percentage: '33.35', reason: '' }).error?.issues[0]?.message).toBe('At most 33.34 % fits: the other rules take 66.66 %');
  });
});
