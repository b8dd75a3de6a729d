import { ROUTES, ROUTE_IDS, type RouteId } from './routes';

export type RouteMatch =
  { kind: 'route'; id: RouteId; params: Record<string, string> } | { kind: 'method-not-allowed'; allowed: string[] } | { kind: 'not-found' };

interface Template {
  id: RouteId;
  method: string;
  /** The path's segments after the leading `/`; a parameter's is its name, a literal's undefined. */
  params: (string | undefined)[];
  literals: (string | undefined)[];
  /** Literal segments before parameters, position by position (`/payout/user/lookup` before `/payout/user/{user_token}`). */
  specificity: string;
}

const isParam = (segment: string) => segment.startsWith('{');

/** Templates by their number of segments: a path is only ever compared with the few of its length. */
const templatesBySize = new Map<number, Template[]>();
for (const id of ROUTE_IDS) {
  const segments = ROUTES[id].path.split('/').slice(1);
  const template: Template = {
    id,
    method: ROUTES[id].method,
    params: segments.map((s) => (isParam(s) ? s.slice(1, -1) : undefined)),
    literals: segments.map((s) => (isParam(s) ? undefined : s)),
    specificity: segments.map((s) => (isParam(s) ? '1' : '0')).join(''),
  };
  templatesBySize.set(segments.length, [...(templatesBySize.get(segments.length) ?? []), template]);
}

/** `segments` as split from a path, so `segments[0]` is the empty string before its leading `/`. */
const fits = (template: Template, segments: string[]) => {
  for (let i = 0; i < template.literals.length; i++) {
    const literal = template.literals[i];
    const actual = segments[i + 1]!;
    if (literal === undefined ? actual === '' : literal !== actual) return false;
  }
  return true;
};

const paramsOf = (template: Template, segments: string[]) => {
  const params: Record<string, string> = {};
  template.params.forEach((name, i) => {
    if (name !== undefined) params[name] = segments[i + 1]!;
  });
  return params;
};

const NOT_FOUND: RouteMatch = { kind: 'not-found' };

/**
 * Finds the route of a method and a raw (still percent-encoded) pathname. Parameters are returned
 * raw: token patterns allow no `%`, so an encoded slash or dot can never pass their check.
 */
export const matchRoute = (method: string, pathname: string): RouteMatch => {
  if (!pathname.startsWith('/')) return NOT_FOUND;
  const segments = pathname.split('/');
  let best: Template[] = [];
  for (const template of templatesBySize.get(segments.length - 1) ?? []) {
    if (!fits(template, segments)) continue;
    const current = best[0];
    if (!current || template.specificity < current.specificity) best = [template];
    else if (template.specificity === current.specificity) best.push(template);
  }
  if (best.length === 0) return NOT_FOUND;
  const hit = best.find((template) => template.method === method);
  if (hit) return { kind: 'route', id: hit.id, params: paramsOf(hit, segments) };
  return { kind: 'method-not-allowed', allowed: best.map((template) => template.method) };
};
