import type { AutopayRule, Card, StoredUser, TxnHistory, Wallet } from '../api';

/** A history row as the sandbox keeps it: the wallet it belongs to is not part of MassPay's row. */
export interface TxnRecord extends TxnHistory {
  wallet_token: string;
}

export interface IdempotencyRecord {
  fingerprint: string;
  status: number;
  body: unknown;
  created_at: string;
}

/** Everything the sandbox persists, in one JSON document. */
export interface SandboxState {
  version: 1;
  seeded_at: string;
  users: StoredUser[];
  /** In creation order: a load lands in the user's first matching wallet. */
  wallets: Wallet[];
  /** By wallet token, in creation order. */
  rules: Record<string, AutopayRule[]>;
  /** By wallet token; MASSPAY_CARD wallets only. */
  cards: Record<string, Card>;
  /** By user token, oldest first. */
  history: Record<string, TxnRecord[]>;
  /** By Idempotency-Key. */
  idempotency: Record<string, IdempotencyRecord>;
  /** How many synthetic payees the seed added (SANDBOX_SEED_USERS); absent when none. */
  seed_users?: number;
}
