import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';

/** A labelled value in a summary panel: "Balance / $1,250.75". */
export const Fact = ({ label, children }: { label: string; children: ReactNode }) => (
  <Stack spacing={0.25}>
    <Typography variant="caption" color="text.secondary">
      {label}
    </Typography>
    <Typography component="div">{children}</Typography>
  </Stack>
);
