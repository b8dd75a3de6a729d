import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { BrowserUser, BrowserWallet } from '../../../api';
import { useAnnounce } from '../../components/StatusRegion';
import { describeError } from '../../lib/api-error';

export interface ExportCsvButtonProps {
  userToken: string;
  user: BrowserUser | undefined;
  wallets: readonly BrowserWallet[];
}

/** "Export CSV": the user's wallets and their autopay rules as a file. The CSV code loads on click. */
const ExportCsvButton = ({ userToken, user, wallets }: ExportCsvButtonProps) => {
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const run = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const { exportWalletsCsv } = await import('./export-wallets');
      const { fileName } = await exportWalletsCsv({ queryClient, userToken, user, wallets });
      announce(`Downloaded ${fileName}`);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack spacing={0.5} sx={{ alignItems: 'flex-end' }}>
      <Button variant="outlined" size="small" loading={busy} aria-busy={busy} onClick={() => void run()}>
        Export CSV
      </Button>
      {error !== undefined && (
        <Typography role="alert" color="error" variant="body2" sx={{ maxWidth: 420, textAlign: 'right' }}>
          The CSV was not made. {describeError(error)}
        </Typography>
      )}
    </Stack>
  );
};

export default ExportCsvButton;
