import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useRef } from 'react';
import { useParams } from 'react-router';
import { BULK_OUTCOMES, BULK_ROUTES, BULK_VERDICTS, type BulkJob } from '../../api';
import { ErrorState } from '../components/LazyErrorState';
import { NativeSelectField } from '../components/NativeSelectField';
import { NotFoundView } from '../components/NotFoundView';
import { PageBreadcrumbs } from '../components/PageBreadcrumbs';
import { PageTitle } from '../components/PageTitle';
import { StatusText } from '../components/StatusText';
import { formatAuditTime } from '../features/audit/audit-labels';
import { bulkJobPath, BULK_POLL_MS, useBulkJob } from '../features/bulk/api/bulk-job';
import { useBulkRows } from '../features/bulk/api/bulk-rows';
import { useBulkWallets } from '../features/bulk/api/bulk-wallets';
import { hasEnded, jobStatus, OUTCOMES, VERDICTS } from '../features/bulk/bulk-labels';
import { readBulkJobView, writeRowsView, writeWalletsPage, type BulkJobView } from '../features/bulk/bulk-params';
import { useUrlBackedValue } from '../lib/use-url-backed-value';
import { BulkRowsTable } from '../features/bulk/components/BulkRowsTable';
import { BulkWalletsTable } from '../features/bulk/components/BulkWalletsTable';
import { DownloadLink } from '../features/bulk/components/DownloadLink';
import { JobActions, JobWaitNote } from '../features/bulk/components/JobActions';
import { DryRunCounts, JobProgress } from '../features/bulk/components/JobCounts';
import { Pager } from '../features/bulk/components/Pager';
import { useSession } from '../features/session/api/get-session';
import { isApiError } from '../lib/api-error';
import { useSearchParamsState } from '../lib/use-search-params-state';

/** A job's rows, filtered by verdict (and outcome once run) and paged in the URL, with the CSV of them all. */
const RowsSection = ({ job, view }: { job: BulkJob; view: BulkJobView }) => {
  const [, setParams] = useSearchParamsState();
  const [verdict, setVerdict] = useUrlBackedValue(view.verdict ?? '');
  const [outcome, setOutcome] = useUrlBackedValue(view.outcome ?? '');
  const filter = (next: { verdict: string; outcome: string }) => {
    setVerdict(next.verdict);
    setOutcome(next.outcome);
    setParams((current) => writeRowsView(current, next));
  };
  const run = job.startedAt !== null;
  const rows = useBulkRows(job.id, view, { stage: job.status, refetchMs: job.status === 'running' ? 2 * BULK_POLL_MS : false });
  const data = rows.data;
  const settled = data !== undefined && !rows.isPlaceholderData;
  const filtered = view.verdict !== undefined || view.outcome !== undefined;
  const ended = run && hasEnded(job.status);
  return (
    <Box component="section" aria-labelledby="bulk-rows-title" sx={{ mt: 4 }}>
      <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', mb: 1.5 }}>
        <Typography variant="h5" component="h2" id="bulk-rows-title">
          Rows
        </Typography>
        <DownloadLink href={bulkJobPath(BULK_ROUTES.rowsCsv, job.id)} variant={ended ? 'contained' : 'outlined'}>
          {ended ? 'Download results' : 'Download CSV'}
        </DownloadLink>
      </Stack>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ mb: 2 }}>
        <NativeSelectField
          label="Verdict"
          size="small"
          value={verdict}
          onChange={(event) => filter({ verdict: event.target.value, outcome })}
          sx={{ minWidth: 180 }}
        >
          <option value="">All verdicts</option>
          {BULK_VERDICTS.map((verdict) => (
            <option key={verdict} value={verdict}>
              {VERDICTS[verdict].label}
            </option>
          ))}
        </NativeSelectField>
        {run && (
          <NativeSelectField
            label="Outcome"
            size="small"
            value={outcome}
            onChange={(event) => filter({ verdict, outcome: event.target.value })}
            sx={{ minWidth: 180 }}
          >
            <option value="">All outcomes</option>
            {BULK_OUTCOMES.map((outcome) => (
              <option key={outcome} value={outcome}>
                {OUTCOMES[outcome].label}
              </option>
            ))}
          </NativeSelectField>
        )}
      </Stack>
      {rows.isError ? (
        <ErrorState error={rows.error} title="Could not load the rows" onRetry={() => void rows.refetch()} />
      ) : settled && data.items.length === 0 ? (
        <Paper variant="outlined" sx={{ p: 3 }}>
          <Typography>No rows</Typography>
          <Typography color="text.secondary">{filtered ? 'None match these filters.' : 'This page holds no rows.'}</Typography>
        </Paper>
      ) : (
        <BulkRowsTable rows={data?.items} refreshing={rows.isPlaceholderData} showOutcome={run} />
      )}
      {!rows.isError && (
        <Pager
          label="Pages of rows"
          page={view.page}
          shown={settled ? { pageSize: data.pageSize, items: data.items.length, total: data.total } : undefined}
          onPage={(page) => setParams((current) => writeRowsView(current, { page }))}
        />
      )}
    </Box>
  );
};

/** The wallets the job touches, their rules now and after, paged in the URL (`?wallets=`). */
const WalletsSection = ({ job, page }: { job: BulkJob; page: number }) => {
  const [, setParams] = useSearchParamsState();
  const wallets = useBulkWallets(job.id, page);
  const data = wallets.data;
  const settled = data !== undefined && !wallets.isPlaceholderData;
  return (
    <Box component="section" aria-labelledby="bulk-wallets-title" sx={{ mt: 4 }}>
      <Typography variant="h5" component="h2" id="bulk-wallets-title" sx={{ mb: 0.5 }}>
        Wallets before and after
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 1.5 }}>
        Each wallet&apos;s rules at the dry run, and what they become once every row that changes it is applied.
      </Typography>
      {wallets.isError ? (
        <ErrorState error={wallets.error} title="Could not load the wallets" onRetry={() => void wallets.refetch()} />
      ) : settled && data.items.length === 0 ? (
        <Paper variant="outlined" sx={{ p: 3 }}>
          <Typography>No wallets</Typography>
          <Typography color="text.secondary">No row of this file names a wallet MassPay knows.</Typography>
        </Paper>
      ) : (
        <BulkWalletsTable wallets={data?.items} refreshing={wallets.isPlaceholderData} />
      )}
      {!wallets.isError && (
        <Pager
          label="Pages of wallets"
          page={page}
          shown={settled ? { pageSize: data.pageSize, items: data.items.length, total: data.total } : undefined}
          onPage={(next) => setParams((current) => writeWalletsPage(current, next))}
        />
      )}
    </Box>
  );
};

/** Who uploaded the job and when, where it stands, when it ran. */
const JobFacts = ({ job }: { job: BulkJob }) => {
  const status = jobStatus(job.status);
  return (
    <Typography color="text.secondary" component="div" sx={{ mb: 2 }}>
      <StatusText label={status.label} tone={status.tone} /> · {job.rowCount.toLocaleString('en-US')} rows · uploaded by {job.requestedByName} on{' '}
      <time dateTime={job.createdAt}>{formatAuditTime(job.createdAt)}</time>
      {job.startedAt && (
        <>
          {' '}
          · started <time dateTime={job.startedAt}>{formatAuditTime(job.startedAt)}</time>
        </>
      )}
      {job.finishedAt && (
        <>
          {' '}
          · ended <time dateTime={job.finishedAt}>{formatAuditTime(job.finishedAt)}</time>
        </>
      )}
    </Typography>
  );
};

/** What the run came to, once it ended. */
const endText = (job: BulkJob) => {
  if (job.status === 'completed') return 'The job is complete.';
  if (job.status === 'cancelled') return 'The job was cancelled.';
  if (job.status === 'failed') return `The job failed${job.error ? `: ${job.error}` : '.'}`;
  return undefined;
};

/**
 * `/bulk/:jobId`: one bulk job — its dry run (counts, rows, wallets before and after), what may be
 * done with it, and while it runs its live progress. Reopened at any time: the job lives on the server.
 */
export const BulkJobPage = () => {
  const { jobId } = useParams() as { jobId: string };
  const staff = useSession().data ?? undefined;
  const [params] = useSearchParamsState();
  const view = readBulkJobView(params);
  const query = useBulkJob(jobId);
  const job = query.data;
  // Applying or cancelling removes the button that had the focus: it goes to what the job now shows.
  const focusAfterMove = useRef(false);
  const focusIfMoved = (node: HTMLElement | null) => {
    if (node && focusAfterMove.current) {
      focusAfterMove.current = false;
      node.focus();
    }
  };

  if (isApiError(query.error) && (query.error.status === 404 || query.error.status === 400)) {
    return <NotFoundView title="Bulk job not found">No bulk job has the id {jobId}. The jobs are listed on the Bulk changes page.</NotFoundView>;
  }
  const title = job?.fileName ?? 'Bulk job';
  const ended = job ? endText(job) : undefined;
  return (
    <>
      <PageTitle title={title} />
      <PageBreadcrumbs items={[{ label: 'Bulk changes', to: '/bulk' }, { label: title }]} />
      {query.isError && <ErrorState error={query.error} title="Could not load this job" onRetry={() => void query.refetch()} />}
      {job ? (
        <Typography
          variant="h4"
          component="h1"
          tabIndex={-1}
          ref={job.startedAt ? undefined : focusIfMoved}
          sx={{ mb: 1, overflowWrap: 'anywhere', outline: 'none' }}
        >
          {job.fileName}
        </Typography>
      ) : query.isError ? (
        <Typography variant="h4" component="h1" sx={{ mb: 1 }}>
          Bulk job
        </Typography>
      ) : (
        <Skeleton variant="text" width={320} height={56} role="progressbar" aria-label="Loading job" />
      )}
      {job && (
        <>
          <JobFacts job={job} />
          {job.status === 'resolving' ? (
            <Paper variant="outlined" sx={{ p: 2 }}>
              <Typography sx={{ mb: 1 }}>
                Dry run in progress: each of the {job.rowCount.toLocaleString('en-US')} rows is checked against MassPay. Nothing changes yet; you may close this
                page and come back.
              </Typography>
              <LinearProgress aria-label="Dry run in progress" />
            </Paper>
          ) : (
            <DryRunCounts job={job} />
          )}
          <JobWaitNote job={job} staff={staff} />
          <JobActions job={job} staff={staff} onMoved={() => void (focusAfterMove.current = true)} />
          {job.startedAt && (
            <Box component="section" aria-labelledby="bulk-progress-title">
              <Typography variant="h5" component="h2" id="bulk-progress-title" tabIndex={-1} ref={focusIfMoved} sx={{ mt: 2, outline: 'none' }}>
                {hasEnded(job.status) ? 'Outcome' : 'Progress'}
              </Typography>
              {ended && (
                <Alert severity={job.status === 'completed' ? 'success' : 'warning'} sx={{ my: 1 }}>
                  {ended}
                </Alert>
              )}
              <JobProgress job={job} />
            </Box>
          )}
          {!job.startedAt && ended && (
            <Alert severity="warning" sx={{ my: 2 }}>
              {ended}
            </Alert>
          )}
          {job.status !== 'resolving' && (
            <>
              <RowsSection job={job} view={view} />
              <WalletsSection job={job} page={view.walletsPage} />
            </>
          )}
        </>
      )}
    </>
  );
};

export default BulkJobPage;
