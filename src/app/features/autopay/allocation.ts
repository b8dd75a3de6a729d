import { toBasisPoints, type AutopayRule } from '../../../api';

export interface Allocation {
  allocatedBp: number;
  unallocatedBp: number;
  /** Percent, exact to the basis point. */
  allocated: number;
  unallocated: number;
}

/** How much of each load a wallet's rules send away, in basis points so that 33.33 × 3 + 0.01 is 100. */
export const allocationOf = (rules: readonly Pick<AutopayRule, 'percentage'>[]): Allocation => {
  const allocatedBp = Math.min(
    10_000,
    rules.reduce((sum, rule) => sum + toBasisPoints(rule.percentage), 0),
  );
  return { allocatedBp, unallocatedBp: 10_000 - allocatedBp, allocated: allocatedBp / 100, unallocated: (10_000 - allocatedBp) / 100 };
};
