import { zodResolver } from '@hookform/resolvers/zod';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useForm } from 'react-hook-form';
import { z } from 'zod/mini';
import { birthDateSchema } from '../../../../api';
import { FormTextField } from '../../../components/FormTextField';
import { describeError } from '../../../lib/api-error';
import { useVerifyCaller } from '../api/verify-caller';

const formSchema = z.object({
  date_of_birth: z.pipe(z.string().check(z.minLength(1, 'Enter the date of birth the caller gives')), birthDateSchema),
});
type FormValues = z.input<typeof formSchema>;
type FormOutput = z.output<typeof formSchema>;

/**
 * The date a caller gives → "matches" or "does not match", from the server. The field is emptied after
 * each answer (the next try is typed afresh); the answer stays until the next one, read out politely.
 */
const VerifyCallerForm = ({ userToken }: { userToken: string }) => {
  const verify = useVerifyCaller(userToken);
  const { control, handleSubmit, reset } = useForm<FormValues, unknown, FormOutput>({
    resolver: zodResolver(formSchema),
    defaultValues: { date_of_birth: '' },
  });
  const submit = handleSubmit(({ date_of_birth }) => verify.mutate(date_of_birth, { onSuccess: () => reset() }));

  return (
    <>
      <Stack component="form" noValidate onSubmit={(e) => void submit(e)} direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: 'flex-start' }}>
        <FormTextField
          control={control}
          name="date_of_birth"
          type="date"
          label="Date of birth the caller gives"
          required
          autoComplete="off"
          slotProps={{ inputLabel: { shrink: true } }}
          sx={{ minWidth: 260 }}
        />
        <Button type="submit" variant="outlined" loading={verify.isPending} sx={{ mt: { sm: 1 } }}>
          Verify
        </Button>
      </Stack>
      <Box role="status" sx={{ mt: 1, '&:empty': { mt: 0 } }}>
        {verify.isSuccess && (
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
            <Box
              aria-hidden="true"
              sx={{ width: 8, height: 8, borderRadius: '50%', flexShrink: 0, bgcolor: verify.data.matches ? 'success.main' : 'warning.main' }}
            />
            <Typography>
              {verify.data.matches
                ? 'Matches: the date of birth the caller gave is the payee’s.'
                : 'Does not match: the date of birth the caller gave is not the payee’s.'}
            </Typography>
          </Stack>
        )}
      </Box>
      {verify.isError && (
        <Alert severity="error" role="alert" sx={{ mt: 1 }}>
          Not verified. {describeError(verify.error)}
        </Alert>
      )}
    </>
  );
};

export default VerifyCallerForm;
