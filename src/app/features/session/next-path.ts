/** Where the sign-in page is, and where it returns to. */
export const LOGIN_PATH = '/login';

/**
 * `next` as a place in this console to return to after signing in, or `/`: only a same-origin path
 * (one leading `/`, never `//` or `/\`, no scheme, no whitespace or control characters — browsers drop
 * tabs and newlines, turning `/\t/evil.com` into `//evil.com`), and never the sign-in page itself.
 */
export const safeNextPath = (next: string | null | undefined): string => {
  // eslint-disable-next-line no-control-regex
  if (!next || !/^\/(?![/\\])/.test(next) || /[\s\\\u0000-\u001f\u007f]/.test(next)) return '/';
  try {
    const base = 'http://console.invalid';
    const url = new URL(next, base);
    if (url.origin !== base || url.pathname === LOGIN_PATH) return '/';
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return '/';
  }
};

/** `/login?next=<path + search>` for the place a signed-out person tried to open. */
export const loginPathFor = ({ pathname, search }: { pathname: string; search: string }): string =>
  pathname === LOGIN_PATH || (pathname === '/' && !search) ? LOGIN_PATH : `${LOGIN_PATH}?${new URLSearchParams({ next: `${pathname}${search}` }).toString()}`;
