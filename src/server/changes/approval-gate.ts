// Where the change path meets four-eyes approval (src/server/approvals): under the wallet's lock, once
// the console's policy has found that the change fits, a change that needs a second person is held.
import type { FastifyRequest } from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { AutopayRule, ChangeRequest } from '../../api';
import type { ChangeContext } from './audit';
import type { MassPayClient } from './masspay';
import type { Answer, ChangeAnswer, ChangeMode, ChangeOrigin } from './run-change';

/** The change as the approval sees it: what it does, and to which rule. */
export type HeldChange = Pick<ChangeRequest, 'action' | 'destinationToken' | 'percentage' | 'ruleToken' | 'previousPercentage' | 'attrSetToken'>;

/** The answer (202 with the change request) when the change must wait; undefined: carry it out now. */
export type ApprovalGate = (
  request: FastifyRequest,
  context: ChangeContext,
  mode: ChangeMode,
  rules: readonly AutopayRule[],
  change: HeldChange,
) => Promise<Answer | undefined>;

/** `APPROVAL_POLICY=off`: nothing waits. */
export const noApproval: ApprovalGate = async () => undefined;

/** A change a second person approved, to carry out as it was asked for. */
export type ApprovedChange = HeldChange & Pick<ChangeRequest, 'userToken' | 'walletToken'>;

/** What approvals need of the change path: fresh rules, and carrying out an approved change. */
export interface ApprovalKit {
  masspay: MassPayClient;
  execute: (request: FastifyRequest, change: ApprovedChange, origin: ChangeOrigin) => Promise<ChangeAnswer>;
}

/** Four-eyes approval as the change path sees it (src/server/approvals): its gate, and its routes given the kit. */
export interface ApprovalHooks {
  policyName: string;
  gate: ApprovalGate;
  register: (app: FastifyInstance, kit: ApprovalKit) => void;
}
