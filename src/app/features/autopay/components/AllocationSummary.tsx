import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import { formatPercent } from '../../../lib/format';
import type { Allocation } from '../allocation';

/** "85 % allocated · 15 % unallocated", as text and as a bar. */
export const AllocationSummary = ({ allocation }: { allocation: Allocation }) => (
  <Box sx={{ my: 2 }}>
    <Typography>
      {formatPercent(allocation.allocated)} allocated · {formatPercent(allocation.unallocated)} unallocated
    </Typography>
    <LinearProgress
      variant="determinate"
      value={allocation.allocated}
      aria-label="Allocation"
      aria-valuetext={`${formatPercent(allocation.allocated)} allocated`}
      sx={{ height: 10, borderRadius: 5, mt: 1, maxWidth: 480 }}
    />
  </Box>
);
