import Button from '@mui/material/Button';
import { lazy, Suspense, useState } from 'react';

// The dialog and its query load when someone asks.
const RulesAtDialog = lazy(() => import('./RulesAtDialog'));

/** On a payout's row: opens the rules the console knows were in force when it left. */
export const RulesAtButton = ({ userToken, walletToken, at }: { userToken: string; walletToken: string; at: string }) => {
  const [open, setOpen] = useState(false);
  // The console asks for an instant with its zone: MassPay's time, as UTC.
  const instant = Number.isNaN(Date.parse(at)) ? at : new Date(at).toISOString();
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} sx={{ whiteSpace: 'nowrap' }}>
        Rules at this payout
      </Button>
      <Suspense fallback={null}>
        {open && <RulesAtDialog userToken={userToken} walletToken={walletToken} at={instant} onClose={() => setOpen(false)} />}
      </Suspense>
    </>
  );
};
