import type { QueryClient } from '@tanstack/react-query';
import type { BrowserUser, BrowserWallet } from '../../../api';
import { autopayRulesQueryOptions } from '../autopay/api/get-autopay-rules';
import { serviceQueryOptions, toDestination } from '../catalog/api/get-service';
import { walletsCsv } from './wallet-csv';
import { walletRows, walletsCsvFileName } from './wallet-rows';

export interface ExportWalletsOptions {
  queryClient: QueryClient;
  userToken: string;
  user: BrowserUser | undefined;
  wallets: readonly BrowserWallet[];
}

/** The payer name of each destination; one that cannot be resolved now is left out (an empty cell). */
const destinationNames = async (queryClient: QueryClient, tokens: Iterable<string>): Promise<Map<string, string>> => {
  const entries = await Promise.all(
    [...new Set(tokens)].map(async (token) => {
      try {
        const destination = toDestination(token, await queryClient.fetchQuery(serviceQueryOptions(token)));
        return destination ? ([token, destination.payerName] as const) : undefined;
      } catch {
        return undefined;
      }
    }),
  );
  return new Map(entries.filter((entry) => entry !== undefined));
};

/** Hands `text` to the browser as a download named `fileName`. */
const download = (text: string, fileName: string) => {
  // The BOM makes spreadsheet programs read the file as UTF-8 (names with accents stay intact).
  const url = URL.createObjectURL(new Blob(['\uFEFF', text], { type: 'text/csv;charset=utf-8' }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.hidden = true;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
};

/**
 * Builds the wallets CSV of a user — each wallet with its autopay rules (cached, else fetched; a
 * failure fails the export rather than leave rules out) and their destinations' names — and
 * downloads it. Returns the file's name and its number of data rows.
 */
export const exportWalletsCsv = async ({ queryClient, userToken, user, wallets }: ExportWalletsOptions) => {
  const withRules = await Promise.all(
    wallets.map(async (wallet) => ({ wallet, rules: await queryClient.fetchQuery(autopayRulesQueryOptions(userToken, wallet.token)) })),
  );
  const names = await destinationNames(
    queryClient,
    withRules.flatMap(({ rules }) => rules.map((rule) => rule.destination_token)),
  );
  const rows = walletRows({ userToken, user, wallets: withRules, destinationNames: names });
  const fileName = walletsCsvFileName(userToken, user, new Date());
  download(walletsCsv(rows), fileName);
  return { fileName, rowCount: rows.length };
};
