/**
 * Money and percentages are compared in integer units (cents, basis points) so that
 * 33.33 + 33.33 + 33.34 is exactly 100 and no float drift lets a total slip past a limit.
 */
export const toBasisPoints = (percentage: number): number => Math.round(percentage * 100);
export const toCents = (amount: number): number => Math.round(amount * 100);
export const fromCents = (cents: number): number => cents / 100;

/** True when `value` has at most two decimals (tolerating binary float noise such as 0.1 + 0.2). */
export const hasAtMostTwoDecimals = (value: number): boolean =>
  // n / 100 is the double nearest to n hundredths (what `12.34` parses to); arithmetic noise of an ulp
  // or so (0.1 + 0.2) is forgiven, relative to the value — an absolute tolerance let 5e-324 and
  // 5.000000001 through.
  Number.isFinite(value) && Math.abs(value - Math.round(value * 100) / 100) <= Number.EPSILON * Math.abs(value);

/**
 * Splits `amountCents` by rules given in basis points: each share is rounded down to the cent,
 * so the shares together never exceed the amount. Returns one share per rule, in order.
 */
export const splitByBasisPoints = (amountCents: number, basisPoints: readonly number[]): number[] =>
  basisPoints.map((bp) => Math.floor((amountCents * bp) / 10_000));
