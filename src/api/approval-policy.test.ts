import { describe, expect, it } from 'vitest';
import { approvalNeeded, formatApprovalPolicy, parseApprovalPolicy, type ApprovalPolicy, type ProposedChange } from './schemas/approvals';

const rules = [
  { token: 'r1', destination_token: 'd1', percentage: 40 },
  { token: 'r2', destination_token: 'd2', percentage: 10.5 },
];
const off: ApprovalPolicy = { kind: 'off' };
const all: ApprovalPolicy = { kind: 'all' };
const over = (points: number): ApprovalPolicy => ({ kind: 'over', points });

describe('APPROVAL_POLICY', () => {
  it.each([
    ['off', off],
    ['all', all],
    ['over:0', over(0)],
    ['over:10', over(10)],
    ['over:12.5', over(12.5)],
    ['over:100', over(100)],
  ])('%s is a policy', (text, policy) => {
    expect(parseApprovalPolicy(text)).toEqual(policy);
    expect(formatApprovalPolicy(policy)).toBe(text);
  });

  it.each(['', 'on', 'ALL', 'over', 'over:', 'over:-1', 'over:101', 'over:1.234', 'over: 5', 'over:5%', 'over:1e2'])('%j is refused', (text) => {
    expect(parseApprovalPolicy(text)).toBeUndefined();
  });
});

describe('the decision table', () => {
  const cases: [string, ApprovalPolicy, ProposedChange, boolean][] = [
    ['off: nothing waits', off, { action: 'add_rule', destinationToken: 'd9', percentage: 50 }, false],
    ['off: not even a last rule', off, { action: 'delete_rule', ruleToken: 'r1' }, false],
    ['all: a 1-point edit waits', all, { action: 'edit_rule', ruleToken: 'r1', percentage: 41 }, true],
    ['over:50: an add to a new destination waits, however small', over(50), { action: 'add_rule', destinationToken: 'd9', percentage: 1 }, true],
    ['over:10: an edit of exactly 10 points does not wait', over(10), { action: 'edit_rule', ruleToken: 'r1', percentage: 30 }, false],
    ['over:10: an edit of 10.01 points waits', over(10), { action: 'edit_rule', ruleToken: 'r1', percentage: 29.99 }, true],
    ['over:10: an edit upwards counts the same', over(10), { action: 'edit_rule', ruleToken: 'r2', percentage: 21 }, true],
    ['over:10: deleting a 10.5 % rule moves 10.5 points', over(10), { action: 'delete_rule', ruleToken: 'r2' }, true],
    ['over:20: deleting a 10.5 % rule of two does not wait', over(20), { action: 'delete_rule', ruleToken: 'r2' }, false],
    ['over:0: any move waits', over(0), { action: 'edit_rule', ruleToken: 'r2', percentage: 10.51 }, true],
    ['over:100: an unknown rule is the change path’s to refuse', over(100), { action: 'delete_rule', ruleToken: 'nope' }, false],
  ];
  it.each(cases)('%s', (_, policy, change, waits) => {
    expect(approvalNeeded(policy, rules, change) !== null).toBe(waits);
  });

  it("a wallet's last rule waits for a second person whatever the threshold", () => {
    expect(approvalNeeded(over(100), [rules[0]!], { action: 'delete_rule', ruleToken: 'r1' })).toMatch(/last rule/);
  });

  it('says why', () => {
    expect(approvalNeeded(over(5), rules, { action: 'edit_rule', ruleToken: 'r1', percentage: 50 })).toBe('It moves 10 percentage points (more than 5).');
    expect(approvalNeeded(over(5), rules, { action: 'add_rule', destinationToken: 'd3', percentage: 1 })).toMatch(/no rule for/);
  });
});
