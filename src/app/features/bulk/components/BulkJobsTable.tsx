import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { Link as RouterLink } from 'react-router';
import type { BulkJobSummary } from '../../../../api';
import { StatusText } from '../../../components/StatusText';
import { formatAuditTime } from '../../audit/audit-labels';
import { jobStatus } from '../bulk-labels';

const COLUMNS = ['File', 'Uploaded by', 'When', 'Status', 'Rows'];

const Muted = ({ children }: { children: React.ReactNode }) => (
  <Box component="span" sx={{ display: 'block', color: 'text.secondary' }}>
    {children}
  </Box>
);

/** The bulk jobs, newest first: which file, who uploaded it and when, where it stands (who decided, when it ended), how many rows. */
export const BulkJobsTable = ({ jobs, refreshing = false }: { jobs: BulkJobSummary[] | undefined; refreshing?: boolean }) => (
  <TableContainer component={Paper} variant="outlined" sx={{ position: 'relative' }}>
    {refreshing && <LinearProgress aria-label="Loading bulk jobs" sx={{ position: 'absolute', top: 0, left: 0, right: 0 }} />}
    <Table aria-label="Bulk jobs" aria-busy={!jobs || refreshing} size="small" sx={{ opacity: refreshing ? 0.6 : 1 }}>
      <TableHead>
        <TableRow>
          {COLUMNS.map((column) => (
            <TableCell key={column} align={column === 'Rows' ? 'right' : 'left'} sx={{ whiteSpace: 'nowrap' }}>
              {column}
            </TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {jobs
          ? jobs.map((job) => {
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
            })
          : Array.from({ length: 3 }, (_, i) => (
              <TableRow key={i}>
                <TableCell colSpan={COLUMNS.length}>
                  <Skeleton height={28} {...(i === 0 ? { role: 'progressbar', 'aria-label': 'Loading bulk jobs' } : {})} />
                </TableCell>
              </TableRow>
            ))}
      </TableBody>
    </Table>
  </TableContainer>
);
