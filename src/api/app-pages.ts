import { z } from 'zod/mini';
import { consoleSettingsSchema } from './schemas/changes';
import { staffMemberSchema } from './schemas/staff';

/**
 * The SPA's pages: each path (react-router's syntax, which Fastify's router reads the same way) and the
 * module under src/app/pages that renders it. The SPA routes by it (src/app/routes.tsx); the server
 * answers these paths with index.html and `modulepreload` links for the page's code (src/server/page-preloads.ts),
 * so a cold load fetches that code beside the entry chunk rather than after it has run.
 */
export const APP_PAGES = {
  login: { path: '/login', page: 'LoginPage' },
  home: { path: '/', page: 'HomePage' },
  audit: { path: '/audit', page: 'AuditPage' },
  approvals: { path: '/approvals', page: 'ApprovalsPage' },
  bulk: { path: '/bulk', page: 'BulkPage' },
  bulkJob: { path: '/bulk/:jobId', page: 'BulkJobPage' },
  user: { path: '/users/:userToken', page: 'UserPage' },
  wallet: { path: '/users/:userToken/wallets/:walletToken', page: 'WalletPage' },
} as const;

export type AppPage = (typeof APP_PAGES)[keyof typeof APP_PAGES];

/** Where the build finds a page's module (the key of its chunk in Vite's manifest). */
export const pageModulePath = (page: AppPage['page']) => `src/app/pages/${page}.tsx`;

/**
 * The id of the `<script type="application/json">` in which the server writes into index.html, for a
 * signed-in staff member, what `GET /auth/me` and `GET /api/console/settings` would answer: the SPA
 * starts without asking either.
 */
export const SIGNED_IN_SCRIPT_ID = 'signed-in-staff';
export const signedInPageSchema = z.object({ staff: staffMemberSchema, settings: consoleSettingsSchema });
export type SignedInPage = z.infer<typeof signedInPageSchema>;
