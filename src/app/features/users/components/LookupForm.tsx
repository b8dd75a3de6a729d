import Stack from '@mui/material/Stack';
import type { FormEvent, ReactNode } from 'react';

/** A form of the `Find a user` page's lookups: its fields and its button in a row, a column on a phone; the browser's own checks off (each field says what is wrong). */
export const LookupForm = ({ onSubmit, children }: { onSubmit: (event: FormEvent<HTMLFormElement>) => void; children: ReactNode }) => (
  <Stack component="form" noValidate onSubmit={onSubmit} direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: 'flex-start' }}>
    {children}
  </Stack>
);
