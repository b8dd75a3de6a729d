import { queryOptions, useQuery } from '@tanstack/react-query';
import { payerCurrency, listCountryServices } from '../../../../api';
import { apiCall } from '../../../lib/api-client';
import { deliveryTypeLabel } from '../../../lib/format';
import { STALE } from '../../../lib/query-client';
import { queryKeys } from '../../../lib/query-keys';

export interface ServiceOption {
  destinationToken: string;
  label: string;
  currency: string | undefined;
}

/**
 * #12: the payout services of a country that fit a wallet — asked with `wallet_token`, and checked
 * again here on the payer's currency, since autopay never converts.
 */
export const countryServicesQueryOptions = (countryCode: string, walletToken: string, currency: string) =>
  queryOptions({
    queryKey: queryKeys.countryServices(countryCode, walletToken),
    queryFn: ({ signal }) => apiCall(listCountryServices, { params: { country_code: countryCode }, query: { wallet_token: walletToken }, signal }),
    staleTime: STALE.catalog,
    select: ({ companies }): ServiceOption[] =>
      companies
        .flatMap((company) =>
          company.services.flatMap((service) =>
            service.payers.map((payer) => ({
              destinationToken: payer.destination_token,
              label: `${payer.payer_name} · ${deliveryTypeLabel(service.delivery_type)}`,
              currency: payerCurrency(payer),
            })),
          ),
        )
        .filter((option) => option.currency === currency),
  });

export const useCountryServices = (countryCode: string | undefined, walletToken: string, currency: string) =>
  useQuery({ ...countryServicesQueryOptions(countryCode ?? '', walletToken, currency), enabled: Boolean(countryCode) });
