import { z } from 'zod/mini';

/** DESIGN §7: `viewer` reads; `editor` also adds and deletes rules; `admin` also reads the audit log. */
export const STAFF_ROLES = ['viewer', 'editor', 'admin'] as const;
export const staffRoleSchema = z.enum(STAFF_ROLES, { error: 'must be viewer, editor or admin' });
export type StaffRole = z.infer<typeof staffRoleSchema>;

/**
 * What a role may do. The server enforces it on every route; the SPA only hides what would be refused.
 * Verifying a caller changes nothing and tells only "matches" or not: every role may (it is
 * rate-limited per payee and audited). Revealing a pickup code hands over a secret: not viewers.
 */
export const ROLE_PERMISSIONS = {
  read: ['viewer', 'editor', 'admin'],
  changeRules: ['editor', 'admin'],
  readAudit: ['admin'],
  verifyCaller: ['viewer', 'editor', 'admin'],
  revealPickupCode: ['editor', 'admin'],
} as const satisfies Record<string, readonly StaffRole[]>;
export type Permission = keyof typeof ROLE_PERMISSIONS;

export const can = (role: StaffRole, permission: Permission) => (ROLE_PERMISSIONS[permission] as readonly StaffRole[]).includes(role);

export const staffEmailSchema = z.string().check(z.trim(), z.toLowerCase(), z.maxLength(254, 'Email is too long'), z.email('Enter an email address'));

/** `POST /auth/login`. The password's only rule here is a bound: its strength is checked when it is set. */
export const loginInputSchema = z.strictObject({
  email: staffEmailSchema,
  password: z.string().check(z.minLength(1, 'Enter your password'), z.maxLength(1024, 'Password is too long')),
});
export type LoginInput = z.infer<typeof loginInputSchema>;

/** `POST /auth/login` and `GET /auth/me` answer who is signed in. */
export const staffMemberSchema = z.object({
  email: z.string(),
  name: z.string(),
  role: staffRoleSchema,
});
export type StaffMember = z.infer<typeof staffMemberSchema>;

/** DESIGN §7: every state-changing request carries it; a cross-site form cannot set it. */
export const CSRF_HEADER = { name: 'x-requested-with', value: 'XMLHttpRequest' } as const;
