import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import { Link as RouterLink } from 'react-router';
import { LoadingTable } from '../../../components/LoadingTable';
import type { ChangeRequest } from '../../../../api';
import { StatusText } from '../../../components/StatusText';
import { shortToken } from '../../../lib/format';
import { formatAuditTime } from '../../audit/audit-labels';
import { DestinationName } from '../../catalog/components/DestinationName';
import type { Decision } from '../api/change-requests';
import { changeSummary, isOpen, requestStatus } from '../request-labels';

export interface ChangeRequestsTableProps {
  requests: ChangeRequest[] | undefined;
  refreshing?: boolean;
  /** Who is signed in: the requester may withdraw, anyone else who may change rules may approve or reject. */
  staffEmail: string | undefined;
  canDecide: boolean;
  /** A column linking each request's wallet (the Approvals page; a wallet's own page needs none). */
  showWallet?: boolean;
  onDecide: (request: ChangeRequest, decision: Decision) => void;
  /** The request whose decision is being sent: its buttons wait. */
  busyId?: string;
}

const Muted = ({ children }: { children: React.ReactNode }) => (
  <Box component="span" sx={{ display: 'block', color: 'text.secondary' }}>
    {children}
  </Box>
);

const Actions = ({
  request,
  staffEmail,
  canDecide,
  onDecide,
  busy,
}: {
  request: ChangeRequest;
  staffEmail?: string;
  canDecide: boolean;
  onDecide: ChangeRequestsTableProps['onDecide'];
  busy: boolean;
}) => {
  if (!isOpen(request) || !staffEmail) return null;
  if (request.requestedBy === staffEmail)
    return request.status === 'pending' ? (
      <Button size="small" variant="outlined" disabled={busy} onClick={() => onDecide(request, 'withdraw')}>
        Withdraw
      </Button>
    ) : null;
  if (!canDecide) return null;
  return (
    <Stack direction="row" spacing={1}>
      <Button size="small" variant="contained" disabled={busy} onClick={() => onDecide(request, 'approve')}>
        Approve
      </Button>
      {request.status === 'pending' && (
        <Button size="small" variant="outlined" color="error" disabled={busy} onClick={() => onDecide(request, 'reject')}>
          Reject
        </Button>
      )}
    </Stack>
  );
};

/** Change requests, one per row: what, on which wallet, why, who asked, where it stands, and the buttons the viewer may use. */
export const ChangeRequestsTable = ({
  requests,
  refreshing = false,
  staffEmail,
  canDecide,
  showWallet = false,
  onDecide,
  busyId,
}: ChangeRequestsTableProps) => {
  const columns = ['Requested', ...(showWallet ? ['Wallet'] : []), 'Change', 'Reason', 'Status', 'Actions'];
  return (
    <LoadingTable
      label="Change requests"
      loadingLabel="Loading change requests"
      columns={columns}
      rows={requests?.map((request) => {
        const status = requestStatus(request.status);
        return (
          <TableRow key={request.id} hover>
            <TableCell sx={{ whiteSpace: 'nowrap' }}>
              <time dateTime={request.requestedAt}>{formatAuditTime(request.requestedAt)}</time>
              <Muted>{request.requestedBy}</Muted>
            </TableCell>
            {showWallet && (
              <TableCell>
                <Link component={RouterLink} to={`/users/${request.userToken}/wallets/${request.walletToken}`}>
                  Wallet {shortToken(request.walletToken)}
                </Link>
              </TableCell>
            )}
            <TableCell sx={{ minWidth: 200 }}>
              {changeSummary(request)} to <DestinationName token={request.destinationToken} />
            </TableCell>
            <TableCell sx={{ minWidth: 160, maxWidth: 320, overflowWrap: 'anywhere' }}>
              {request.reason ?? <Muted>No reason given</Muted>}
              <Muted>{request.approvalReason}</Muted>
            </TableCell>
            <TableCell sx={{ minWidth: 140 }}>
              <StatusText label={status.label} tone={status.tone} />
              {request.decidedBy && <Muted>by {request.decidedBy}</Muted>}
              {request.comment && <Muted>“{request.comment}”</Muted>}
              {request.resultDetail && <Muted>{request.resultDetail}</Muted>}
            </TableCell>
            <TableCell>
              <Actions request={request} staffEmail={staffEmail} canDecide={canDecide} onDecide={onDecide} busy={busyId === request.id} />
            </TableCell>
          </TableRow>
        );
      })}
      skeletonRows={3}
      refreshing={refreshing}
    />
  );
};
