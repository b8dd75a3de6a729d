import type { TooltipProps } from '@mui/material/Tooltip';
import { Suspense } from 'react';
import { lazyAfterContent } from '../lib/after-content';

// Tooltips carry Popper.js; they load once the page is shown instead of delaying its first paint.
const Tooltip = lazyAfterContent(() => import('@mui/material/Tooltip'));

/** MUI's Tooltip, loaded on demand; until it arrives the child shows without one. */
export const LazyTooltip = ({ children, ...props }: TooltipProps) => (
  <Suspense fallback={children}>
    <Tooltip {...props}>{children}</Tooltip>
  </Suspense>
);
