/**
 * Vite writes this placeholder as the nonce of the page's tags and of `<meta property="csp-nonce">`
 * (`html.cspNonce`); the server replaces it with a fresh nonce on every page, and MUI's style engine
 * reads it so that its `<style>` tags pass `style-src 'nonce-…'` without `'unsafe-inline'`.
 */
export const CSP_NONCE_PLACEHOLDER = '__CSP_NONCE__';
