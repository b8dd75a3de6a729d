import { z } from 'zod/mini';
import { AUDIT_ACTIONS, isIsoDate, TOKEN_PATTERNS, type AuditAction } from '../../../api';
import type { AuditFilters } from './audit-params';

export interface AuditFilterValues {
  user: string;
  wallet: string;
  destination: string;
  rule: string;
  staff: string;
  action: AuditAction | '';
  from: string;
  to: string;
}

const trimmed = () => z.string().check(z.trim());
const tokenOf = (kind: 'user' | 'wallet' | 'destination' | 'rule', example: string) =>
  trimmed().check(z.refine((value) => value === '' || TOKEN_PATTERNS[kind].test(value), `A ${kind} token looks like ${example}`));
const date = () => trimmed().check(z.refine((value) => value === '' || isIsoDate(value), 'Use a date like 2026-11-25'));

/** The filter form: each field empty (no filter) or something the server accepts. */
export const auditFilterSchema = z.pipe(
  z
    .object({
      user: tokenOf('user', 'usr_…'),
      wallet: tokenOf('wallet', 'usr_wlt_…'),
      destination: tokenOf('destination', 'dest_…'),
      rule: tokenOf('rule', 'autopayout_…'),
      staff: trimmed().check(z.toLowerCase(), z.maxLength(254, 'Staff email is too long')),
      action: z.enum(['', ...AUDIT_ACTIONS]),
      from: date(),
      to: date(),
    })
    .check(z.refine(({ from, to }) => !from || !to || from <= to, { message: 'To must be on or after From', path: ['to'] })),
  z.transform(({ user, wallet, destination, rule, staff, action, from, to }): AuditFilters => ({
    ...(user ? { user } : {}),
    ...(wallet ? { wallet } : {}),
    ...(destination ? { destination } : {}),
    ...(rule ? { rule } : {}),
    ...(staff ? { staff } : {}),
    ...(action ? { action } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  })),
);

export const toFilterValues = (filters: AuditFilters): AuditFilterValues => ({
  user: filters.user ?? '',
  wallet: filters.wallet ?? '',
  destination: filters.destination ?? '',
  rule: filters.rule ?? '',
  staff: filters.staff ?? '',
  action: filters.action ?? '',
  from: filters.from ?? '',
  to: filters.to ?? '',
});
