import { queryOptions, useQuery } from '@tanstack/react-query';
import { browserCountryListSchema } from '../../../../api';
import { apiRequest } from '../../../lib/http';
import { STALE } from '../../../lib/query-client';
import { queryKeys } from '../../../lib/query-keys';

export const countriesQueryOptions = () =>
  queryOptions({
    queryKey: queryKeys.countries(),
    queryFn: ({ signal }) => apiRequest(browserCountryListSchema, '/payout/country/list', { signal }),
    staleTime: STALE.catalog,
    select: (countries) => [...countries].sort((a, b) => a.name.localeCompare(b.name)),
  });

export const useCountries = (options: { enabled?: boolean } = {}) => useQuery({ ...countriesQueryOptions(), enabled: options.enabled ?? true });
