import { z } from 'zod/mini';
import { calendarDateSchema } from '../dates';
import { optionalQuery, queryInt } from '../query';
import { browserTxnListSchema, TXN_TYPE_FILTERS } from '../schemas/history';
import { walletTokenSchema } from '../tokens';
import { userParams, type BrowserRouteDef } from './route-def';

const historyTypeFilter = z.pipe(
  z.pipe(
    z.string(),
    z.transform((value) => value.split(',')),
  ),
  z.array(z.enum(TXN_TYPE_FILTERS, { error: 'type must be payout, load or spendback' })),
);

/** The history filters the SPA uses (a wallet's transactions). */
export const consoleHistoryFields = {
  wallet_token: optionalQuery(walletTokenSchema),
  type: optionalQuery(historyTypeFilter),
  start_date: optionalQuery(calendarDateSchema('start_date')),
  end_date: optionalQuery(calendarDateSchema('end_date')),
  number_of_records: optionalQuery(queryInt('number_of_records', 1, 100)),
  page: optionalQuery(queryInt('page', 1, 100_000)),
};

export const datesInOrder = z.refine<{ start_date?: string; end_date?: string }>((q) => !q.start_date || !q.end_date || q.start_date <= q.end_date, {
  message: 'start_date must not be after end_date',
  path: ['start_date'],
});

/** A wallet's transactions as the SPA asks for them: no `show_all_clients` (other clients' payees). */
export const consoleHistoryQuerySchema = z.strictObject(consoleHistoryFields).check(datesInOrder);

export const getUserHistory = {
  method: 'GET',
  path: '/payout/user/{user_token}/history',
  params: userParams,
  query: consoleHistoryQuerySchema,
  response: browserTxnListSchema,
} as const satisfies BrowserRouteDef;
