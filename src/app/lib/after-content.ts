import { lazy, useEffect, type ComponentType } from 'react';

/**
 * Secondary UI — the app bar's extras, tooltips, copy buttons — loads once the page's own content is
 * on screen, not beside it: their code would otherwise be fetched, parsed and rendered before the
 * page's heading (issue 17 item 5, issue 18 item 11). The route shell renders {@link ContentShown}
 * beside each page, in the page's Suspense boundary, so its effect runs when the page is revealed.
 */
let markShown!: () => void;
const shown = new Promise<void>((resolve) => (markShown = resolve));
// Rendered without the route shell (a component test) or a page without a heading: not held back for long.
if (document.readyState === 'complete') markShown();
else setTimeout(markShown, 3_000);

/** Runs `load` once the page's content has been shown. */
export const afterContent = <T>(load: () => Promise<T>): Promise<T> => shown.then(load);

/** `lazy()`, whose code starts loading only once the page's content has been shown. */
export const lazyAfterContent = <P extends object>(load: () => Promise<{ default: ComponentType<P> }>) => lazy(() => afterContent(load));

const headingShown = () => document.querySelector('main h1') !== null;

/**
 * Beside a page: its effect runs when the page has been committed, and lets the secondary UI load once
 * the page's heading is there (a page may show skeletons first, its heading coming with its data).
 */
export const ContentShown = () => {
  useEffect(() => {
    if (headingShown()) return markShown();
    const observer = new MutationObserver(() => {
      if (!headingShown()) return;
      observer.disconnect();
      markShown();
    });
    observer.observe(document.body, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, []);
  return null;
};
