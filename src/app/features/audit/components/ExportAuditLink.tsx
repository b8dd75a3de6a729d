import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type MouseEvent } from 'react';
import { can } from '../../../../api';
import { describeError } from '../../../lib/api-error';
import { followDownload } from '../../../lib/follow-download';
import { recheckSession } from '../../session/api/get-session';
import { auditExportHref, type AuditFilters } from '../audit-params';

/**
 * "Export CSV": every entry under these filters, as a file. A link (it can be copied), but followed
 * only once the session is known to be alive: an ended one goes to sign in, as any 401 does, and
 * back to this page with its filters — instead of the browser saving the server's 401.
 */
export const ExportAuditLink = ({ filters }: { filters: AuditFilters }) => {
  const queryClient = useQueryClient();
  const href = auditExportHref(filters);
  const checking = useRef(false);
  const [error, setError] = useState<unknown>();

  const exportCsv = async (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    if (checking.current) return;
    checking.current = true;
    setError(undefined);
    try {
      // Signed out (`null`): the session gate takes over. Another role now: the page says so.
      const staff = await recheckSession(queryClient);
      if (staff && can(staff.role, 'readAudit')) followDownload(href);
    } catch (caught) {
      setError(caught);
    } finally {
      checking.current = false;
    }
  };

  return (
    <Stack spacing={0.5} sx={{ alignItems: 'flex-end' }}>
      <Button variant="outlined" size="small" href={href} download onClick={(event) => void exportCsv(event)}>
        Export CSV
      </Button>
      {error !== undefined && (
        <Typography role="alert" color="error" variant="body2" sx={{ maxWidth: 420, textAlign: 'right' }}>
          The CSV was not exported. {describeError(error)}
        </Typography>
      )}
    </Stack>
  );
};
