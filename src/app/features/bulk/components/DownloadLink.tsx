import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type MouseEvent, type ReactNode } from 'react';
import { describeError } from '../../../lib/api-error';
import { followDownload } from '../../../lib/follow-download';
import { recheckSession } from '../../session/api/get-session';

/**
 * A file of the console to download (a link: it can be copied), followed only once the session is
 * known to be alive — an ended one goes to sign in, as any 401 does, instead of the browser saving
 * the server's 401 (as the audit log's Export CSV).
 */
export const DownloadLink = ({ href, children, variant = 'outlined' }: { href: string; children: ReactNode; variant?: 'outlined' | 'contained' | 'text' }) => {
  const queryClient = useQueryClient();
  const checking = useRef(false);
  const [error, setError] = useState<unknown>();

  const download = async (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    if (checking.current) return;
    checking.current = true;
    setError(undefined);
    try {
      if (await recheckSession(queryClient)) followDownload(href);
    } catch (caught) {
      setError(caught);
    } finally {
      checking.current = false;
    }
  };

  return (
    <Stack spacing={0.5} sx={{ alignItems: 'flex-start' }}>
      <Button variant={variant} href={href} download onClick={(event: MouseEvent<HTMLAnchorElement>) => void download(event)}>
        {children}
      </Button>
      {error !== undefined && (
        <Typography role="alert" color="error" variant="body2" sx={{ maxWidth: 420 }}>
          Not downloaded. {describeError(error)}
        </Typography>
      )}
    </Stack>
  );
};
