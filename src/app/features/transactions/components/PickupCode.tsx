import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useEffect, useRef } from 'react';
import { can, PICKUP_CODE_MASK, type BrowserTxn } from '../../../../api';
import { visuallyHidden } from '../../../components/visually-hidden';
import { describeError } from '../../../lib/api-error';
import { useSession } from '../../session/api/get-session';
import { useRevealPickupCode } from '../api/reveal-pickup-code';

export interface PickupCodeProps {
  userToken: string;
  walletToken: string;
  txn: Pick<BrowserTxn, 'token' | 'time_of_txn'>;
}

/**
 * A cash pickup's code, masked as the server sends it; an editor or admin reveals it with an explicit
 * click (recorded in the audit log), and the code then takes the focus the button had.
 */
export const PickupCode = ({ userToken, walletToken, txn }: PickupCodeProps) => {
  const staff = useSession().data;
  const reveal = useRevealPickupCode(userToken, walletToken);
  const shown = useRef<HTMLElement>(null);
  const code = reveal.data?.pickup_code;
  useEffect(() => {
    if (code !== undefined) shown.current?.focus();
  }, [code]);

  if (code !== undefined) {
    return (
      <Box component="span" ref={shown} tabIndex={-1} sx={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}>
        <Box component="span" sx={visuallyHidden}>
          Pickup code{' '}
        </Box>
        {code}
      </Box>
    );
  }
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
      <Box component="span" aria-hidden="true" sx={{ whiteSpace: 'nowrap' }}>
        {PICKUP_CODE_MASK}
      </Box>
      <Box component="span" sx={visuallyHidden}>
        Pickup code hidden
      </Box>
      {staff && can(staff.role, 'revealPickupCode') && (
        <Button
          size="small"
          loading={reveal.isPending}
          onClick={() => reveal.mutate({ transactionToken: txn.token, timeOfTxn: txn.time_of_txn })}
          sx={{ whiteSpace: 'nowrap' }}
        >
          Reveal pickup code
        </Button>
      )}
      {reveal.isError && (
        <Typography role="alert" variant="body2" color="error">
          {describeError(reveal.error)}
        </Typography>
      )}
    </Stack>
  );
};
