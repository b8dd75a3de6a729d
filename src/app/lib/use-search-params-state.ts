import { useLayoutEffect, useMemo } from 'react';
import { useLocation, useNavigate } from 'react-router';

/**
 * The searches `setParams` has asked for that the location does not show yet. The router shows a
 * navigation in a transition, so two changes in a row (From, then at once To) can both run before
 * the location moves on; the second must build on the first, not on the location it rendered with,
 * or it would drop the first. `asked` holds the chain's searches, so a location that shows one of
 * them is still on the way; one that shows none (a link, Back) ends the chain, as does arriving.
 */
let pending: { pathname: string; asked: Set<string>; latest: string } | undefined;

/**
 * The URL's search params and a way to change them, like react-router's `useSearchParams`, built
 * on `useLocation` and `useNavigate`, which the app already ships in its first chunk: the wallet
 * page's history pulls no more router code into every page. The path and the hash are kept.
 * Unlike `useSearchParams`, changes made before the router re-renders build on one another.
 */
export const useSearchParamsState = () => {
  const location = useLocation();
  const navigate = useNavigate();
  const params = useMemo(() => new URLSearchParams(location.search), [location.search]);
  useLayoutEffect(() => {
    if (pending?.latest === location.search) pending = undefined;
  }, [location.search]);
  const setParams = (update: (current: URLSearchParams) => URLSearchParams, { replace = false }: { replace?: boolean } = {}) => {
    const onTheWay = pending?.pathname === location.pathname && pending.asked.has(location.search) ? pending : undefined;
    const next = update(new URLSearchParams(onTheWay?.latest ?? location.search)).toString();
    const search = next ? `?${next}` : '';
    pending = { pathname: location.pathname, asked: new Set([...(onTheWay?.asked ?? [location.search]), search]), latest: search };
    void navigate({ pathname: location.pathname, search, hash: location.hash }, { replace, preventScrollReset: true });
  };
  return [params, setParams] as const;
};
