import { ROUTES, ROUTE_IDS, type RouteId } from './routes';

export type RouteMatch =
  | { kind: 'route'; id: RouteId; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found' };

interface Template {
  id: RouteId;
  method: string;
  segments: string[];
  /** Literal segments before parameters, position by position (`/payout/user/lookup` before `/payout/user/{user_token}`). */
  specificity: string;
}

const isParam = (segment: string) => segment.startsWith('{');

const templates: Template[] = ROUTE_IDS.map((id) => {
  const segments = ROUTES[id].path.split('/').slice(1);
  return { id, method: ROUTES[id].method, segments, specificity: segments.map((s) => (isParam(s) ? '1' : '0')).join('') };
});

const matchSegments = (template: Template, segments: string[]): Record<string, string> | undefined => {
  if (template.segments.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, expected] of template.segments.entries()) {
    const actual = segments[i]!;
    if (isParam(expected)) {
      if (actual === '') return undefined;
      params[expected.slice(1, -1)] = actual;
    } else if (expected !== actual) return undefined;
  }
  return params;
};

/**
 * Finds the route of a method and a raw (still percent-encoded) pathname. Parameters are returned
 * raw: token patterns allow no `%`, so an encoded slash or dot can never pass their check.
 */
export const matchRoute = (method: string, pathname: string): RouteMatch => {
  if (!pathname.startsWith('/')) return { kind: 'not-found' };
  const segments = pathname.split('/').slice(1);
  let best: { template: Template; params: Record<string, string> }[] = [];
  for (const template of templates) {
    const params = matchSegments(template, segments);
    if (!params) continue;
    const current = best[0];
    if (!current || template.specificity < current.template.specificity) best = [{ template, params }];
    else if (template.specificity === current.template.specificity) best.push({ template, params });
  }
  if (best.length === 0) return { kind: 'not-found' };
  const hit = best.find((b) => b.template.method === method);
  if (hit) return { kind: 'route', id: hit.template.id, params: hit.params };
  return { kind: 'method-not-allowed', allowed: best.map((b) => b.template.method) };
};
