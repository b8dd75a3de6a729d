import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import { Link as RouterLink } from 'react-router';
import { LoadingTable, type TableColumn } from '../../../components/LoadingTable';
import type { BulkJobSummary } from '../../../../api';
import { StatusText } from '../../../components/StatusText';
import { formatAuditTime } from '../../audit/audit-labels';
import { jobStatus } from '../bulk-labels';

const COLUMNS: readonly TableColumn[] = ['File', 'Uploaded by', 'When', 'Status', { name: 'Rows', align: 'right' }];

const Muted = ({ children }: { children: React.ReactNode }) => (
  <Box component="span" sx={{ display: 'block', color: 'text.secondary' }}>
    {children}
  </Box>
);

/** The bulk jobs, newest first: which file, who uploaded it and when, where it stands (who decided, when it ended), how many rows. */
export const BulkJobsTable = ({ jobs, refreshing = false }: { jobs: BulkJobSummary[] | undefined; refreshing?: boolean }) => (
  <LoadingTable
    label="Bulk jobs"
    loadingLabel="Loading bulk jobs"
    columns={COLUMNS}
    rows={jobs?.map((job) => {
      const status = jobStatus(job.status);
      return (
        <TableRow key={job.id} hover>
          <TableCell sx={{ minWidth: 160, maxWidth: 320, overflowWrap: 'anywhere' }}>
            <Link component={RouterLink} to={`/bulk/${job.id}`}>
              {job.fileName}
            </Link>
          </TableCell>
          <TableCell>
            {job.requestedByName}
            <Muted>{job.requestedBy}</Muted>
          </TableCell>
          <TableCell sx={{ whiteSpace: 'nowrap' }}>
            <time dateTime={job.createdAt}>{formatAuditTime(job.createdAt)}</time>
          </TableCell>
          <TableCell sx={{ minWidth: 140 }}>
            <StatusText label={status.label} tone={status.tone} />
            {job.decidedByName && <Muted>by {job.decidedByName}</Muted>}
            {job.finishedAt && (
              <Muted>
                ended <time dateTime={job.finishedAt}>{formatAuditTime(job.finishedAt)}</time>
              </Muted>
            )}
          </TableCell>
          <TableCell align="right">{job.rowCount.toLocaleString('en-US')}</TableCell>
        </TableRow>
      );
    })}
    skeletonRows={3}
    refreshing={refreshing}
  />
);
