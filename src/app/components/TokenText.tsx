import Box from '@mui/material/Box';
import IconButton from '@mui/material/IconButton';
import { LazyTooltip as Tooltip } from './LazyTooltip';
import { shortToken } from '../lib/format';
import { CopyIcon } from './icons';
import { useAnnounce } from './StatusRegion';

/** A token shown short, the full value in a tooltip, and a button that copies it. */
export const TokenText = ({ token, label }: { token: string; label: string }) => {
  const announce = useAnnounce();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(token);
      announce(`${label} token copied`);
    } catch {
      announce(`Could not copy: select the ${label.toLowerCase()} token in its tooltip instead`);
    }
  };
  return (
    <Box component="span" sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5, whiteSpace: 'nowrap' }}>
      {/* describeChild: the full token describes the short one (read on focus), it does not rename it. */}
      <Tooltip title={token} describeChild slotProps={{ tooltip: { sx: { fontFamily: 'monospace', maxWidth: 'none' } } }}>
        <Box component="span" tabIndex={0} sx={{ fontFamily: 'monospace' }}>
          {shortToken(token)}
        </Box>
      </Tooltip>
      <IconButton size="small" aria-label={`Copy ${label.toLowerCase()} token`} onClick={() => void copy()}>
        <CopyIcon fontSize="inherit" />
      </IconButton>
    </Box>
  );
};
