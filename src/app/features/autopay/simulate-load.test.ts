import { describe, expect, it } from 'vitest';
import { splitByBasisPoints, toBasisPoints, toCents } from '../../../api';
import { MAX_SIMULATED_CENTS, parseAmountCents, simulateLoad } from './simulate-load';

const rule = (percentage: number, n = 0) => ({ token: `autopayout_${n}`, destination_token: `dest_${n}`, percentage });
const rules = (...percentages: number[]) => percentages.map((p, i) => rule(p, i));

/** The parts of a simulation (every share and what stays) add up to the amount, to the cent. */
const expectExactSum = (amountCents: number, result: ReturnType<typeof simulateLoad>) => {
  const sum = result.shares.reduce((total, s) => total + s.cents, 0) + result.remainderCents;
  expect(sum).toBe(amountCents);
  for (const share of result.shares) {
    expect(Number.isInteger(share.cents)).toBe(true);
    expect(share.cents).toBeGreaterThanOrEqual(0);
  }
  expect(Number.isInteger(result.remainderCents)).toBe(true);
  expect(result.remainderCents).toBeGreaterThanOrEqual(0);
};

/** What the sandbox's applyLoad pays for a load of `amount` under rules of these percentages. */
const sandboxRule = (amount: number, percentages: number[]) => {
  const cents = toCents(amount);
  const shares = splitByBasisPoints(cents, percentages.map(toBasisPoints));
  return { shares, kept: cents - shares.reduce((a, s) => a + s, 0) };
};

describe('simulateLoad', () => {
  it.each([
    { name: '100.01 with 60 % + 25 %', cents: 10_001, percentages: [60, 25], shares: [6000, 2500], kept: 1501 },
    { name: '0.01 with 60 % + 25 %', cents: 1, percentages: [60, 25], shares: [0, 0], kept: 1 },
    { name: '0.03 with 3 × 33.33 %', cents: 3, percentages: [33.33, 33.33, 33.33], shares: [0, 0, 0], kept: 3 },
    { name: '0.01 with 100 %', cents: 1, percentages: [100], shares: [1], kept: 0 },
    { name: '100 with 3 × 33.33 %', cents: 10_000, percentages: [33.33, 33.33, 33.33], shares: [3333, 3333, 3333], kept: 1 },
    { name: '1 with 33.33 % + 33.33 % + 33.34 %', cents: 100, percentages: [33.33, 33.33, 33.34], shares: [33, 33, 33], kept: 1 },
    { name: '1,000,000,000 with 60 % + 25 %', cents: 100_000_000_000, percentages: [60, 25], shares: [60_000_000_000, 25_000_000_000], kept: 15_000_000_000 },
    {
      name: '1,000,000,000 with 3 × 33.33 %',
      cents: 100_000_000_000,
      percentages: [33.33, 33.33, 33.33],
      shares: [33_330_000_000, 33_330_000_000, 33_330_000_000],
      kept: 10_000_000,
    },
    { name: '999,999,999.99 with 0.01 % + 99.99 %', cents: 99_999_999_999, percentages: [0.01, 99.99], shares: [9_999_999, 99_989_999_999], kept: 1 },
    { name: '1,234.57 with a wallet sending 100 %', cents: 123_457, percentages: [100], shares: [123_457], kept: 0 },
    { name: '1,234.57 with 12.5 % + 12.5 % + 75 %', cents: 123_457, percentages: [12.5, 12.5, 75], shares: [15_432, 15_432, 92_592], kept: 1 },
    { name: '250 with no rules', cents: 25_000, percentages: [], shares: [], kept: 25_000 },
  ])('$name: shares rounded down, the rest stays, the parts sum to the amount', ({ cents, percentages, shares, kept }) => {
    const result = simulateLoad(cents, rules(...percentages));
    expect(result.shares.map((s) => s.cents)).toEqual(shares);
    expect(result.remainderCents).toBe(kept);
    expectExactSum(cents, result);
  });

  it('keeps the rules in order with their tokens, destinations and basis points', () => {
    const result = simulateLoad(10_001, [rule(60, 7), rule(25, 3)]);
    expect(result.shares).toEqual([
      { token: 'autopayout_7', destinationToken: 'dest_7', basisPoints: 6000, cents: 6000 },
      { token: 'autopayout_3', destinationToken: 'dest_3', basisPoints: 2500, cents: 2500 },
    ]);
    expect(result.remainderBasisPoints).toBe(1500);
  });

  it('gives the wallet 100 % and the whole amount when there are no rules, and 0 % when the rules send everything', () => {
    expect(simulateLoad(5, [])).toEqual({ shares: [], remainderCents: 5, remainderBasisPoints: 10_000 });
    expect(simulateLoad(5, rules(50, 50))).toMatchObject({ remainderCents: 1, remainderBasisPoints: 0 });
  });

  it('agrees with the sandbox rule for many awkward amounts and splits, and always sums exactly', () => {
    // A deterministic walk through amounts (1 cent to 1e9) and splits of up to 8 rules (two decimals each).
    let seed = 20_241_125;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let n = 0; n < 2_000; n++) {
      const cents = n % 10 === 0 ? MAX_SIMULATED_CENTS - Math.floor(next() * 1000) : 1 + Math.floor(next() ** 4 * 10_000_000);
      let leftBp = 10_000;
      const percentages = Array.from({ length: Math.floor(next() * 9) }, () => {
        const bp = Math.floor(next() * (leftBp + 1));
        leftBp -= bp;
        return bp / 100;
      }).filter((p) => p > 0);
      const result = simulateLoad(cents, rules(...percentages));
      const sandbox = sandboxRule(cents / 100, percentages);
      expect(result.shares.map((s) => s.cents)).toEqual(sandbox.shares);
      expect(result.remainderCents).toBe(sandbox.kept);
      expectExactSum(cents, result);
    }
  });

  it('refuses amounts that are not whole, non-negative cents up to 1e9, and rules over 100 %', () => {
    expect(() => simulateLoad(0.5, [])).toThrow(RangeError);
    expect(() => simulateLoad(-1, [])).toThrow(RangeError);
    expect(() => simulateLoad(MAX_SIMULATED_CENTS + 1, [])).toThrow(RangeError);
    expect(() => simulateLoad(Number.NaN, [])).toThrow(RangeError);
    expect(() => simulateLoad(100, rules(60, 40.01))).toThrow(/more than 100 %/);
  });
});

describe('parseAmountCents', () => {
  it.each([
    ['100.01', 10_001],
    ['0.01', 1],
    ['0.03', 3],
    ['.5', 50],
    ['7', 700],
    ['7.', 700],
    ['007.10', 710],
    [' 1,250.75 ', 125_075],
    ['1000000000', MAX_SIMULATED_CENTS],
    ['1000000000.00', MAX_SIMULATED_CENTS],
    ['999999999.99', 99_999_999_999],
  ])('%j is %i cents', (text, cents) => {
    expect(parseAmountCents(text)).toEqual({ ok: true, cents });
  });

  it.each([
    ['', undefined],
    ['   ', undefined],
    ['0', 'Amount must be greater than 0'],
    ['0.00', 'Amount must be greater than 0'],
    ['-5', 'Amount must be greater than 0'],
    ['-0.01', 'Amount must be greater than 0'],
    ['1.001', 'Amount may have at most two decimals'],
    ['0.005', 'Amount may have at most two decimals'],
    ['1000000000.01', 'Amount must be at most 1,000,000,000'],
    ['12345678901', 'Amount must be at most 1,000,000,000'],
    ['1e3', 'Enter an amount, such as 100 or 99.95'],
    ['ten', 'Enter an amount, such as 100 or 99.95'],
    ['.', 'Enter an amount, such as 100 or 99.95'],
    ['1.2.3', 'Enter an amount, such as 100 or 99.95'],
    ['$5', 'Enter an amount, such as 100 or 99.95'],
  ])('%j is refused with %j', (text, error) => {
    expect(parseAmountCents(text)).toEqual({ ok: false, error });
  });
});
