import createCache from '@emotion/cache';

/**
 * The server puts a fresh nonce in `<meta property="csp-nonce">` on every page and allows it in
 * `style-src`; Emotion stamps it on the `<style>` tags MUI writes, so no `'unsafe-inline'` is needed.
 */
export const createEmotionCache = () => {
  const nonce = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce || undefined;
  return createCache({ key: 'css', nonce, prepend: true });
};
