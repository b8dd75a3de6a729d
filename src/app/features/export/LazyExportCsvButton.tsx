import { lazy, Suspense } from 'react';
import type { ExportCsvButtonProps } from './ExportCsvButton';

// Off the user page's first load: the button's code comes once the wallets are there, the CSV
// library only when it is clicked.
const ExportCsvButtonView = lazy(() => import('./ExportCsvButton'));

export const ExportCsvButton = (props: ExportCsvButtonProps) => (
  <Suspense fallback={null}>
    <ExportCsvButtonView {...props} />
  </Suspense>
);
