import { BULK_OUTCOMES, BULK_VERDICTS } from '../../../api';
import { readOneOf, readPage, writeView, type ViewChange } from '../../lib/url-view';
import type { BulkRowFilters } from './api/bulk-rows';

/** A job page's view in its URL: the rows' filters and page, and the wallets' page (`?verdict=&outcome=&page=&wallets=`). */
export interface BulkJobView extends BulkRowFilters {
  walletsPage: number;
}

export const readBulkJobView = (params: URLSearchParams): BulkJobView => ({
  verdict: readOneOf(params.get('verdict'), BULK_VERDICTS),
  outcome: readOneOf(params.get('outcome'), BULK_OUTCOMES),
  page: readPage(params.get('page')),
  walletsPage: readPage(params.get('wallets')),
});

/** The rows' part of the view: a filter change goes back to the first page of rows; the wallets' page stays. */
export const writeRowsView = (params: URLSearchParams, change: ViewChange<'verdict' | 'outcome' | 'page'>) =>
  writeView(params, { verdict: 'verdict', outcome: 'outcome', page: 'page' }, change);

/** The wallets' page, the rows' view kept. */
export const writeWalletsPage = (params: URLSearchParams, page: number) => writeView(params, { page: 'wallets' }, { page });
