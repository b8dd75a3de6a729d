import { queryOptions, useQuery } from '@tanstack/react-query';
import { listCountries } from '../../../../api';
import { apiCall } from '../../../lib/api-client';
import { STALE } from '../../../lib/query-client';
import { queryKeys } from '../../../lib/query-keys';

export const countriesQueryOptions = () =>
  queryOptions({
    queryKey: queryKeys.countries(),
    queryFn: ({ signal }) => apiCall(listCountries, { signal }),
    staleTime: STALE.catalog,
    select: (countries) => [...countries].sort((a, b) => a.name.localeCompare(b.name)),
  });

export const useCountries = (options: { enabled?: boolean } = {}) => useQuery({ ...countriesQueryOptions(), enabled: options.enabled ?? true });
