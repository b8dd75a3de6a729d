import type { TooltipProps } from '@mui/material/Tooltip';
import { lazy, Suspense } from 'react';

// Tooltips carry Popper.js; they load just after the page instead of delaying its first paint.
const Tooltip = lazy(() => import('@mui/material/Tooltip'));

/** MUI's Tooltip, loaded on demand; until it arrives the child shows without one. */
export const LazyTooltip = ({ children, ...props }: TooltipProps) => (
  <Suspense fallback={children}>
    <Tooltip {...props}>{children}</Tooltip>
  </Suspense>
);
