import { queryOptions, useQuery } from '@tanstack/react-query';
import { payerCurrency, type BrowserService, getService } from '../../../../api';
import { apiCall } from '../../../lib/api-client';
import { deliveryTypeLabel } from '../../../lib/format';
import { STALE } from '../../../lib/query-client';
import { queryKeys } from '../../../lib/query-keys';

/** A destination as people read it: "Evergreen Bank · Bank deposit · USA · USD". */
export interface Destination {
  token: string;
  payerName: string;
  deliveryType: string;
  countryCode: string;
  currency: string | undefined;
  label: string;
}

export const toDestination = (token: string, service: BrowserService): Destination | undefined => {
  const payer = service.payers.find((p) => p.destination_token === token);
  if (!payer) return undefined;
  const currency = payerCurrency(payer);
  const deliveryType = deliveryTypeLabel(service.delivery_type);
  return {
    token,
    payerName: payer.payer_name,
    deliveryType,
    countryCode: service.country_code,
    currency,
    label: [payer.payer_name, deliveryType, service.country_code, currency].filter(Boolean).join(' · '),
  };
};

/** #9, cached for an hour and shared by every rule, table and form that names this destination. */
export const serviceQueryOptions = (destinationToken: string) =>
  queryOptions({
    queryKey: queryKeys.service(destinationToken),
    queryFn: ({ signal }) => apiCall(getService, { params: { destination_token: destinationToken }, signal }),
    staleTime: STALE.catalog,
    select: (service) => toDestination(destinationToken, service),
  });

export const useService = (destinationToken: string, options: { enabled?: boolean } = {}) =>
  useQuery({ ...serviceQueryOptions(destinationToken), enabled: options.enabled ?? true });
