import Box from '@mui/material/Box';
import { Suspense } from 'react';
import { lazyAfterContent } from '../lib/after-content';
import { shortToken } from '../lib/format';
import { LazyTooltip as Tooltip } from './LazyTooltip';

// Secondary controls (copy buttons, tooltips) load once the page's content is shown, not before it:
// they bring MUI's ButtonBase and ripple, which the first paint does not need.
const CopyTokenButton = lazyAfterContent(() => import('./CopyTokenButton'));

/** A token shown short, the full value in a tooltip, and a button that copies it. */
export const TokenText = ({ token, label }: { token: string; label: string }) => (
  <Box component="span" sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5, whiteSpace: 'nowrap' }}>
    {/* describeChild: the full token describes the short one (read on focus), it does not rename it. */}
    <Tooltip title={token} describeChild slotProps={{ tooltip: { sx: { fontFamily: 'monospace', maxWidth: 'none' } } }}>
      <Box component="span" tabIndex={0} sx={{ fontFamily: 'monospace' }}>
        {shortToken(token)}
      </Box>
    </Tooltip>
    <Suspense fallback={<Box component="span" sx={{ display: 'inline-block', width: 30, height: 30 }} />}>
      <CopyTokenButton token={token} label={label} />
    </Suspense>
  </Box>
);
