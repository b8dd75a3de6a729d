import Box from '@mui/material/Box';

const TONES = { success: 'success.main', warning: 'warning.main', neutral: 'text.secondary' } as const;

/** A status word with a coloured dot ("● Active"): lighter than a Chip, which tables repeat per row. */
export const StatusText = ({ label, tone }: { label: string; tone: keyof typeof TONES }) => (
  <Box component="span" sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.75, whiteSpace: 'nowrap' }}>
    <Box component="span" aria-hidden="true" sx={{ width: 8, height: 8, borderRadius: '50%', bgcolor: TONES[tone] }} />
    {label}
  </Box>
);
