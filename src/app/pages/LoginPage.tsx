import { zodResolver } from '@hookform/resolvers/zod';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useForm } from 'react-hook-form';
import { Navigate, useLocation } from 'react-router';
import type { z } from 'zod/mini';
import { loginInputSchema, type LoginInput } from '../../api';
import { FormTextField } from '../components/FormTextField';
import { PageTitle } from '../components/PageTitle';
import { useSession } from '../features/session/api/get-session';
import { useSignIn } from '../features/session/api/sign-in';
import { safeNextPath } from '../features/session/next-path';
import { signInErrorMessage } from '../features/session/sign-in-error';

type LoginValues = z.input<typeof loginInputSchema>;

/** `/login`: email and password; then back to where the person was going (`?next=`), or home. */
export const LoginPage = () => {
  const location = useLocation();
  const rawNext = new URLSearchParams(location.search).get('next');
  const next = safeNextPath(rawNext);
  const session = useSession();
  const signIn = useSignIn();
  const { control, handleSubmit } = useForm<LoginValues, unknown, LoginInput>({
    resolver: zodResolver(loginInputSchema),
    defaultValues: { email: '', password: '' },
  });

  if (session.data) return <Navigate to={next} replace />;

  const busy = signIn.isPending;
  return (
    <Stack sx={{ alignItems: 'center', py: { xs: 2, sm: 6 } }}>
      <PageTitle title="Sign in" />
      <Paper variant="outlined" sx={{ p: { xs: 2, sm: 4 }, width: '100%', maxWidth: 420 }}>
        <Typography variant="h4" component="h1" sx={{ mb: 1 }}>
          Sign in
        </Typography>
        <Typography color="text.secondary" sx={{ mb: 3 }}>
          {rawNext ? 'Sign in to continue where you were.' : 'Sign in with your staff account.'}
        </Typography>
        <Stack component="form" noValidate spacing={2} aria-label="Sign in" onSubmit={(e) => void handleSubmit((input) => signIn.mutate(input))(e)}>
          <FormTextField
            control={control}
            name="email"
            label="Email"
            type="email"
            autoComplete="username"
            autoFocus
            required
            // Both are plainly needed: the labels stay exactly "Email" and "Password", without an asterisk.
            slotProps={{ inputLabel: { required: false }, htmlInput: { spellCheck: false, autoCapitalize: 'none' } }}
          />
          <FormTextField
            control={control}
            name="password"
            label="Password"
            type="password"
            autoComplete="current-password"
            required
            slotProps={{ inputLabel: { required: false } }}
          />
          {signIn.isError && (
            <Alert severity="error" role="alert">
              {signInErrorMessage(signIn.error)}
            </Alert>
          )}
          <Button type="submit" variant="contained" size="large" loading={busy} aria-busy={busy}>
            Sign in
          </Button>
        </Stack>
      </Paper>
    </Stack>
  );
};

export default LoginPage;
