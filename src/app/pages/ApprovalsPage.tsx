import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import { UrlSelectField } from '../components/UrlSelectField';
import { OutlinedTextField } from '../components/OutlinedTextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { CHANGE_REQUEST_STATUSES, TOKEN_PATTERNS } from '../../api';
import { ErrorState } from '../components/LazyErrorState';
import { PageTitle } from '../components/PageTitle';
import { useChangeRequests } from '../features/approvals/api/change-requests';
import { approvalsParams, readApprovalsView } from '../features/approvals/approvals-params';
import { ChangeRequests } from '../features/approvals/components/ChangeRequests';
import { requestStatus } from '../features/approvals/request-labels';
import { showingText } from '../features/audit/audit-labels';
import { useSearchParamsState } from '../lib/use-search-params-state';

/** `/approvals`: rule changes that wait for, or had, a second person's decision — pending first, filtered and paged in the URL. */
export const ApprovalsPage = () => {
  const [params, setParams] = useSearchParamsState();
  const view = readApprovalsView(params);
  const requests = useChangeRequests(view);
  const data = requests.data;
  const settled = data !== undefined && !requests.isPlaceholderData;
  const lastPage = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  const [wallet, setWallet] = useState(view.wallet ?? '');
  const walletError = wallet.trim() !== '' && !TOKEN_PATTERNS.wallet.test(wallet.trim());

  const go = (next: typeof view, { replace = false } = {}) =>
    setParams(
      (current) => {
        for (const key of ['status', 'wallet', 'page']) current.delete(key);
        approvalsParams(next).forEach((value, key) => current.set(key, value));
        return current;
      },
      { replace },
    );

  let body: React.ReactNode;
  if (requests.isError) {
    body = <ErrorState error={requests.error} title="Could not load the change requests" onRetry={() => void requests.refetch()} />;
  } else if (settled && data.items.length === 0) {
    body = (
      <Paper variant="outlined" sx={{ p: 3 }}>
        <Typography>No change requests</Typography>
        <Typography color="text.secondary">
          {view.status || view.wallet ? 'None match these filters.' : 'No change has waited for a second person yet.'}
        </Typography>
      </Paper>
    );
  } else {
    body = <ChangeRequests requests={data?.items} refreshing={requests.isPlaceholderData} showWallet />;
  }

  return (
    <>
      <PageTitle title="Approvals" />
      <Typography variant="h4" component="h1" sx={{ mb: 1 }}>
        Approvals
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 2 }}>
        Rule changes that need a second person. Another editor or admin approves or rejects a change; whoever asked for it may withdraw it.
        {data ? ` ${data.pendingCount} waiting.` : ''}
      </Typography>
      <Stack
        component="form"
        direction={{ xs: 'column', sm: 'row' }}
        spacing={2}
        sx={{ mb: 2, alignItems: { sm: 'flex-start' } }}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (!walletError) go({ ...view, wallet: wallet.trim() || undefined, page: 1 });
        }}
      >
        <UrlSelectField
          label="Status"
          size="small"
          value={view.status ?? ''}
          onPick={(status) => go({ ...view, status: (status || undefined) as typeof view.status, page: 1 })}
          sx={{ minWidth: 200 }}
        >
          <option value="">All, pending first</option>
          {CHANGE_REQUEST_STATUSES.map((status) => (
            <option key={status} value={status}>
              {requestStatus(status).label}
            </option>
          ))}
        </UrlSelectField>
        <OutlinedTextField
          label="Wallet token"
          size="small"
          value={wallet}
          onChange={(event) => setWallet(event.target.value)}
          error={walletError}
          helperText={walletError ? 'Not a wallet token' : undefined}
          slotProps={{ htmlInput: { spellCheck: false } }}
          sx={{ minWidth: 280 }}
        />
        <Button type="submit" variant="outlined">
          Apply
        </Button>
        {(view.status || view.wallet) && (
          <Button
            onClick={() => {
              setWallet('');
              go({ page: 1 });
            }}
          >
            Clear filters
          </Button>
        )}
      </Stack>

      {body}

      {!requests.isError && (
        <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center', justifyContent: 'flex-end', mt: 1.5 }}>
          <Typography variant="body2" aria-live="polite" sx={{ minWidth: 150, textAlign: 'center' }}>
            {settled ? showingText(view.page, data.pageSize, data.items.length, data.total) : ' '}
          </Typography>
          <Button variant="outlined" disabled={view.page <= 1} onClick={() => go({ ...view, page: Math.min(view.page - 1, lastPage) })}>
            Previous page
          </Button>
          <Button variant="outlined" disabled={!settled || view.page >= lastPage} onClick={() => go({ ...view, page: view.page + 1 })}>
            Next page
          </Button>
        </Stack>
      )}
    </>
  );
};

export default ApprovalsPage;
