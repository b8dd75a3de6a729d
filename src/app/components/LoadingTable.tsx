import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer, { type TableContainerProps } from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import type { ReactNode } from 'react';

/** A column's heading; numbers are right-aligned, under a heading aligned with them. */
export type TableColumn = string | { name: string; align: 'right' };

export interface LoadingTableProps {
  /** The table's accessible name. */
  label: string;
  /** What the progress bar and the first skeleton row say, e.g. "Loading audit entries". */
  loadingLabel: string;
  columns: readonly TableColumn[];
  /** The body's rows; `undefined` until the first answer, shown meanwhile as `skeletonRows` skeleton rows. */
  rows: ReactNode | undefined;
  skeletonRows?: number;
  /** A newer answer is on its way: a bar above the table, the rows it replaces dimmed. */
  refreshing?: boolean;
  /** The container's own (a table wider than a narrow window scrolls, so the keyboard must reach it). */
  containerProps?: Pick<TableContainerProps, 'role' | 'tabIndex' | 'aria-label'>;
}

const columnName = (column: TableColumn) => (typeof column === 'string' ? column : column.name);

/** A page of data in a table, as every list of the console shows one: loading, refreshing and loaded alike. */
export const LoadingTable = ({ label, loadingLabel, columns, rows, skeletonRows = 3, refreshing = false, containerProps }: LoadingTableProps) => (
  <TableContainer component={Paper} variant="outlined" sx={{ position: 'relative' }} {...containerProps}>
    {refreshing && <LinearProgress aria-label={loadingLabel} sx={{ position: 'absolute', top: 0, left: 0, right: 0 }} />}
    <Table aria-label={label} aria-busy={rows === undefined || refreshing} size="small" sx={{ opacity: refreshing ? 0.6 : 1 }}>
      <TableHead>
        <TableRow>
          {columns.map((column) => (
            <TableCell key={columnName(column)} align={typeof column === 'string' ? undefined : column.align} sx={{ whiteSpace: 'nowrap' }}>
              {columnName(column)}
            </TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {rows ??
          Array.from({ length: skeletonRows }, (_, i) => (
            <TableRow key={i}>
              <TableCell colSpan={columns.length}>
                <Skeleton height={28} {...(i === 0 ? { role: 'progressbar', 'aria-label': loadingLabel } : {})} />
              </TableCell>
            </TableRow>
          ))}
      </TableBody>
    </Table>
  </TableContainer>
);
