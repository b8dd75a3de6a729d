import { splitByBasisPoints, toBasisPoints, type AutopayRule } from '../../../api';

/** The largest amount the simulation takes: cents × basis points stay exact integers well below 2^53. */
export const MAX_SIMULATED_CENTS = 100_000_000_000; // 1,000,000,000.00

export interface SimulatedShare {
  /** The rule's token. */
  token: string;
  destinationToken: string;
  basisPoints: number;
  cents: number;
}

export interface SimulatedLoad {
  /** One per rule, in the rules' order. */
  shares: SimulatedShare[];
  /** What stays in the wallet: the amount less every share, so the parts always sum to the amount. */
  remainderCents: number;
  /** The wallet's own share in basis points (10 000 less the rules'). */
  remainderBasisPoints: number;
}

/**
 * What a load of `amountCents` would do under `rules`, exactly as MassPay (the sandbox's
 * `applyLoad`) splits it: each share rounded down to the cent with `splitByBasisPoints`, and the
 * wallet keeps the rest — including every cent the rounding left over.
 */
export const simulateLoad = (amountCents: number, rules: readonly Pick<AutopayRule, 'token' | 'destination_token' | 'percentage'>[]): SimulatedLoad => {
  if (!Number.isSafeInteger(amountCents) || amountCents < 0 || amountCents > MAX_SIMULATED_CENTS) {
    throw new RangeError(`amountCents must be a whole number of cents from 0 to ${MAX_SIMULATED_CENTS}, not ${amountCents}`);
  }
  const basisPoints = rules.map((rule) => toBasisPoints(rule.percentage));
  const totalBp = basisPoints.reduce((sum, bp) => sum + bp, 0);
  if (basisPoints.some((bp) => bp < 0) || totalBp > 10_000) throw new RangeError(`The rules allocate ${totalBp / 100} %, more than 100 %`);

  const cents = splitByBasisPoints(amountCents, basisPoints);
  const shares = rules.map((rule, i) => ({ token: rule.token, destinationToken: rule.destination_token, basisPoints: basisPoints[i]!, cents: cents[i]! }));
  return {
    shares,
    remainderCents: amountCents - cents.reduce((sum, c) => sum + c, 0),
    remainderBasisPoints: 10_000 - totalBp,
  };
};

export type AmountParse = { ok: true; cents: number } | { ok: false; error: string | undefined };

/**
 * The amount typed into the simulation, as integer cents without any float on the way
 * (`100.01` → 10001). Thousands separators are allowed (`1,250.75`). An empty field is not an
 * error yet: it has no amount and no message.
 */
export const parseAmountCents = (text: string): AmountParse => {
  const value = text.trim().replaceAll(',', '');
  if (value === '') return { ok: false, error: undefined };
  if (/^-\s*[\d.]/.test(value)) return { ok: false, error: 'Amount must be greater than 0' };
  const match = /^(\d*)(?:\.(\d*))?$/.exec(value);
  if (!match || (match[1] === '' && !match[2])) return { ok: false, error: 'Enter an amount, such as 100 or 99.95' };
  const [, whole = '', fraction = ''] = match;
  if (fraction.length > 2) return { ok: false, error: 'Amount may have at most two decimals' };
  const wholeDigits = whole.replace(/^0+/, '');
  if (wholeDigits.length > 10) return { ok: false, error: 'Amount must be at most 1,000,000,000' };
  const cents = Number(wholeDigits || '0') * 100 + Number(fraction.padEnd(2, '0'));
  if (cents === 0) return { ok: false, error: 'Amount must be greater than 0' };
  if (cents > MAX_SIMULATED_CENTS) return { ok: false, error: 'Amount must be at most 1,000,000,000' };
  return { ok: true, cents };
};
