import { useMemo } from 'react';
import { useLocation, useNavigate } from 'react-router';

/**
 * The URL's search params and a way to change them, like react-router's `useSearchParams`, built
 * on `useLocation` and `useNavigate`, which the app already ships in its first chunk: the wallet
 * page's history pulls no more router code into every page. The path and the hash are kept.
 */
export const useSearchParamsState = () => {
  const location = useLocation();
  const navigate = useNavigate();
  const params = useMemo(() => new URLSearchParams(location.search), [location.search]);
  const setParams = (update: (current: URLSearchParams) => URLSearchParams, { replace = false }: { replace?: boolean } = {}) => {
    const search = update(new URLSearchParams(location.search)).toString();
    void navigate({ pathname: location.pathname, search: search ? `?${search}` : '', hash: location.hash }, { replace, preventScrollReset: true });
  };
  return [params, setParams] as const;
};
