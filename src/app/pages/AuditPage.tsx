import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import { UrlSelectField } from '../components/UrlSelectField';
import Typography from '@mui/material/Typography';
import { AUDIT_PAGE_SIZES, can } from '../../api';
import { ErrorState } from '../components/LazyErrorState';
import { PageTitle } from '../components/PageTitle';
import { useAuditLog } from '../features/audit/api/get-audit-log';
import { FILTERS, readAuditView, viewParams, type AuditView } from '../features/audit/audit-params';
import { showingText } from '../features/audit/audit-labels';
import { AuditChainStatus } from '../features/audit/components/AuditChainStatus';
import { AuditFiltersForm } from '../features/audit/components/AuditFiltersForm';
import { AuditTable } from '../features/audit/components/AuditTable';
import { ExportAuditLink } from '../features/audit/components/ExportAuditLink';
import { useSession } from '../features/session/api/get-session';
import { MAX_PAGE } from '../lib/url-view';
import { useSearchParamsState } from '../lib/use-search-params-state';
import { isForbidden } from '../lib/api-error';

const NotAllowed = () => (
  <Alert severity="warning" role="alert">
    Only admins can read the audit log.
  </Alert>
);

/** `/audit` (admins): every change made through the console and how it ended, filtered and paged on the server. */
export const AuditPage = () => {
  const staff = useSession().data;
  const allowed = staff ? can(staff.role, 'readAudit') : true;
  const [params, setParams] = useSearchParamsState();
  const view = readAuditView(params);
  const log = useAuditLog(view, { enabled: allowed });
  const data = log.data;
  const settled = data !== undefined && !log.isPlaceholderData;
  const filtered = Object.keys(view.filters).length > 0;
  const lastPage = data ? Math.max(1, Math.ceil(data.total / view.limit)) : 1;

  const go = (next: AuditView, { replace = false } = {}) => {
    const search = viewParams(next);
    // Other params of the page (none today) are kept.
    setParams(
      (current) => {
        for (const key of [...FILTERS, 'page', 'limit']) current.delete(key);
        search.forEach((value, key) => current.set(key, value));
        return current;
      },
      { replace },
    );
  };

  let body: React.ReactNode;
  if (!allowed || isForbidden(log.error)) {
    body = <NotAllowed />;
  } else if (log.isError) {
    body = <ErrorState error={log.error} title="Could not load the audit log" onRetry={() => void log.refetch()} />;
  } else if (settled && data.entries.length === 0) {
    body = (
      <Paper variant="outlined" sx={{ p: 3 }}>
        <Typography>No audit entries</Typography>
        <Typography color="text.secondary">
          {view.page > 1 && data.total > 0
            ? `There are none on page ${view.page}.`
            : filtered
              ? 'None match these filters.'
              : 'No change has been made through the console yet.'}
        </Typography>
      </Paper>
    );
  } else {
    body = <AuditTable entries={data?.entries} refreshing={log.isPlaceholderData} />;
  }

  return (
    <>
      <PageTitle title="Audit log" />
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', justifyContent: 'space-between', mb: 2 }}>
        <Typography variant="h4" component="h1">
          Audit log
        </Typography>
        {allowed && !isForbidden(log.error) && <ExportAuditLink filters={view.filters} />}
      </Stack>
      {allowed && !isForbidden(log.error) && (
        <>
          <Typography color="text.secondary" sx={{ mb: 2 }}>
            Every change made through the console, newest first. Dates are filtered by their UTC day; times show in your time zone.
          </Typography>
          {/* The chain is checked over the whole log: the same on every page and filter. */}
          {data?.chain && <AuditChainStatus chain={data.chain} />}
          <AuditFiltersForm
            filters={view.filters}
            onApply={(filters) => go({ filters, page: 1, limit: view.limit })}
            onClear={() => go({ filters: {}, page: 1, limit: view.limit })}
          />
        </>
      )}

      {body}

      {allowed && !isForbidden(log.error) && !log.isError && (
        <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center', justifyContent: 'flex-end', mt: 1.5 }}>
          <UrlSelectField
            label="Rows per page"
            size="small"
            value={String(view.limit)}
            onPick={(limit) => go({ ...view, page: 1, limit: Number(limit) }, { replace: true })}
            sx={{ minWidth: 120 }}
          >
            {AUDIT_PAGE_SIZES.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </UrlSelectField>
          <Typography variant="body2" aria-live="polite" sx={{ minWidth: 150, textAlign: 'center' }}>
            {settled ? showingText(view.page, view.limit, data.entries.length, data.total) : ' '}
          </Typography>
          <Button variant="outlined" disabled={view.page <= 1} onClick={() => go({ ...view, page: Math.min(view.page - 1, lastPage) })}>
            Previous page
          </Button>
          <Button variant="outlined" disabled={!settled || view.page >= lastPage || view.page >= MAX_PAGE} onClick={() => go({ ...view, page: view.page + 1 })}>
            Next page
          </Button>
        </Stack>
      )}
    </>
  );
};

export default AuditPage;
