import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useId, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { BULK_MAX_BYTES, BULK_MAX_ROWS, BULK_ROUTES } from '../../../../api';
import { useAnnounce } from '../../../components/StatusRegion';
import { describeError } from '../../../lib/api-error';
import { uploadRefusals, useUploadBulkCsv } from '../api/upload-bulk-csv';
import { DownloadLink } from './DownloadLink';

const MIB = BULK_MAX_BYTES / 1024 / 1024;

/**
 * The upload of a CSV: the file is checked whole on the server, which refuses it with every problem
 * (line and column) or makes a job and starts its dry run; then the job's own page shows it.
 */
export const BulkUpload = () => {
  const id = useId();
  const navigate = useNavigate();
  const announce = useAnnounce();
  const upload = useUploadBulkCsv();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File>();
  const [problem, setProblem] = useState<string>();

  const send = () => {
    if (!file) return setProblem('Choose a CSV file first.');
    if (file.size > BULK_MAX_BYTES) return setProblem(`The file is over ${MIB} MiB: split it into smaller files.`);
    setProblem(undefined);
    upload.mutate(file, {
      onSuccess: ({ id: jobId }) => {
        announce(`${file.name} uploaded: its dry run has started`);
        void navigate(`/bulk/${jobId}`);
      },
    });
  };

  const refusals = upload.isError ? uploadRefusals(upload.error) : [];
  const fieldId = `${id}-file`;
  return (
    <Paper variant="outlined" component="section" aria-labelledby={`${id}-title`} sx={{ p: 2, mb: 3 }}>
      <Typography variant="h6" component="h2" id={`${id}-title`}>
        Upload a CSV
      </Typography>
      <Typography color="text.secondary" variant="body2" sx={{ mb: 2 }}>
        Columns <code>user_token</code> or <code>internal_user_id</code>, <code>wallet_token</code> or <code>currency</code>, <code>action</code> (add, set or
        remove), <code>destination_token</code>, <code>percentage</code>. Up to {BULK_MAX_ROWS.toLocaleString('en-US')} rows and {MIB} MiB. Nothing changes
        until you apply the dry run.
      </Typography>
      <Stack
        component="form"
        noValidate
        direction={{ xs: 'column', sm: 'row' }}
        spacing={2}
        useFlexGap
        sx={{ alignItems: { xs: 'flex-start', sm: 'flex-end' }, flexWrap: 'wrap' }}
        onSubmit={(event) => {
          event.preventDefault();
          send();
        }}
      >
        <Box sx={{ minWidth: 0, maxWidth: '100%' }}>
          <Typography component="label" htmlFor={fieldId} variant="body2" sx={{ display: 'block', fontWeight: 500, mb: 0.5 }}>
            CSV file
          </Typography>
          <Box
            component="input"
            ref={input}
            id={fieldId}
            type="file"
            accept=".csv,text/csv"
            aria-describedby={problem ? `${id}-problem` : undefined}
            aria-invalid={problem ? true : undefined}
            onChange={(event: React.ChangeEvent<HTMLInputElement>) => {
              setFile(event.target.files?.[0]);
              setProblem(undefined);
              upload.reset();
            }}
            sx={{ maxWidth: '100%', font: 'inherit' }}
          />
          {problem && (
            <Typography id={`${id}-problem`} color="error" variant="body2" sx={{ mt: 0.5 }}>
              {problem}
            </Typography>
          )}
        </Box>
        <Button type="submit" variant="contained" loading={upload.isPending} aria-busy={upload.isPending}>
          Dry run
        </Button>
        <DownloadLink href={BULK_ROUTES.template}>Download template</DownloadLink>
      </Stack>
      {upload.isPending && <LinearProgress aria-label="Uploading the file" sx={{ mt: 2 }} />}
      {upload.isError && (
        <Alert severity="error" role="alert" sx={{ mt: 2 }}>
          <AlertTitle>{refusals.length > 0 ? `${file?.name ?? 'The file'} was refused: nothing was uploaded` : 'The file was not uploaded'}</AlertTitle>
          {refusals.length > 0 ? (
            <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
              {refusals.map((refusal, i) => (
                <li key={i}>
                  Line {refusal.line}
                  {refusal.column ? `, ${refusal.column}` : ''}: {refusal.message}
                </li>
              ))}
            </Box>
          ) : (
            describeError(upload.error)
          )}
        </Alert>
      )}
    </Paper>
  );
};
