import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { can } from '../../api';
import { ErrorState } from '../components/LazyErrorState';
import { PageTitle } from '../components/PageTitle';
import { useBulkJobs } from '../features/bulk/api/bulk-jobs';
import { BulkJobsTable } from '../features/bulk/components/BulkJobsTable';
import { BulkUpload } from '../features/bulk/components/BulkUpload';
import { DownloadLink } from '../features/bulk/components/DownloadLink';
import { Pager } from '../features/bulk/components/Pager';
import { useSession } from '../features/session/api/get-session';
import { BULK_ROUTES } from '../../api';
import { readPage, writeView } from '../lib/url-view';
import { useSearchParamsState } from '../lib/use-search-params-state';

/** `/bulk`: rule changes for many wallets from a CSV — the upload (editors and admins) and every job, newest first, paged in the URL. */
export const BulkPage = () => {
  const staff = useSession().data;
  const mayChange = staff ? can(staff.role, 'changeRules') : false;
  const [params, setParams] = useSearchParamsState();
  const page = readPage(params.get('page'));
  const jobs = useBulkJobs(page);
  const data = jobs.data;
  const settled = data !== undefined && !jobs.isPlaceholderData;

  let body: React.ReactNode;
  if (jobs.isError) {
    body = <ErrorState error={jobs.error} title="Could not load the bulk jobs" onRetry={() => void jobs.refetch()} />;
  } else if (settled && data.items.length === 0) {
    body = (
      <Paper variant="outlined" sx={{ p: 3 }}>
        <Typography>No bulk jobs</Typography>
        <Typography color="text.secondary">{page > 1 ? 'There are no jobs on this page.' : 'No CSV has been uploaded yet.'}</Typography>
      </Paper>
    );
  } else {
    body = <BulkJobsTable jobs={data?.items} refreshing={jobs.isPlaceholderData} />;
  }

  return (
    <>
      <PageTitle title="Bulk changes" />
      <Typography variant="h4" component="h1" sx={{ mb: 1 }}>
        Bulk changes
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 2 }}>
        Autopay rules for many wallets at once, from a CSV: a dry run shows what each row would do before anything changes, then the job runs on the server.
      </Typography>
      {mayChange ? (
        <BulkUpload />
      ) : (
        <Paper variant="outlined" sx={{ p: 2, mb: 3 }}>
          <Typography>Viewers may read the jobs; editors and admins upload and run them.</Typography>
          <DownloadLink href={BULK_ROUTES.template} variant="text">
            Download template
          </DownloadLink>
        </Paper>
      )}
      <Typography variant="h5" component="h2" sx={{ mb: 1 }}>
        Jobs
      </Typography>
      {body}
      {!jobs.isError && (
        <Pager
          label="Pages of bulk jobs"
          page={page}
          shown={settled ? { pageSize: data.pageSize, items: data.items.length, total: data.total } : undefined}
          onPage={(next) => setParams((current) => writeView(current, { page: 'page' }, { page: next }))}
        />
      )}
    </>
  );
};

export default BulkPage;
