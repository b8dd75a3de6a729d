import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useChangeRequests } from '../api/change-requests';
import { useApprovalPolicy } from '../use-approval-policy';
import { ChangeRequests } from './ChangeRequests';

/** On a wallet's page: the changes to it that wait for a second person (nothing when none wait, or approvals are off). */
const WalletChangeRequests = ({ walletToken }: { walletToken: string }) => {
  const policyOn = useApprovalPolicy().kind !== 'off';
  const pending = useChangeRequests({ wallet: walletToken, status: 'pending' }, { enabled: policyOn });
  const items = pending.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <Box component="section" aria-labelledby="pending-changes-heading" sx={{ mt: 3 }}>
      <Typography id="pending-changes-heading" variant="h6" component="h3" sx={{ mb: 1 }}>
        Waiting for approval ({pending.data?.total ?? items.length})
      </Typography>
      <ChangeRequests requests={items} refreshing={pending.isPlaceholderData} />
    </Box>
  );
};

export default WalletChangeRequests;
