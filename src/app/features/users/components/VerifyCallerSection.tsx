import Box from '@mui/material/Box';
import Skeleton from '@mui/material/Skeleton';
import Typography from '@mui/material/Typography';
import { lazy, Suspense, useId } from 'react';

// Off the user page's first load: the form's code (fields, validation) comes once the page shows.
const VerifyCallerForm = lazy(() => import('./VerifyCallerForm'));

/** The user page's "Verify caller" region: staff check the date of birth a caller gives. */
export const VerifyCallerSection = ({ userToken }: { userToken: string }) => {
  const id = useId();
  return (
    <Box component="section" aria-labelledby={id} sx={{ mb: 3 }}>
      <Typography id={id} variant="h6" component="h2" sx={{ mb: 0.5 }}>
        Verify caller
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1.5 }}>
        Type the date of birth the caller gives: the console says only whether it matches MassPay’s. A few tries per payee, each one recorded.
      </Typography>
      <Suspense fallback={<Skeleton variant="rounded" height={56} width={420} role="progressbar" aria-label="Loading the caller check" />}>
        {/* A new payee starts with an empty form and no earlier answer. */}
        <VerifyCallerForm key={userToken} userToken={userToken} />
      </Suspense>
    </Box>
  );
};
