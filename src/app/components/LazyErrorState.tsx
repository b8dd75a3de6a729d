import { lazy, Suspense } from 'react';
import type { ErrorStateProps } from './ErrorState';

// Error views load only when something fails, keeping them off every page's first load.
const ErrorStateView = lazy(() => import('./ErrorState'));

export const ErrorState = (props: ErrorStateProps) => (
  <Suspense fallback={<div role="alert">{props.title ?? 'Could not load this'}</div>}>
    <ErrorStateView {...props} />
  </Suspense>
);
