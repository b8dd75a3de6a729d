import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { userTokenSchema } from '../../api';
import { PageTitle } from '../components/PageTitle';

/** `/`: find a user. (Lookup by email or internal ID comes with the everyday-console issue.) */
export const HomePage = () => {
  const navigate = useNavigate();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = userTokenSchema.safeParse(token.trim());
    if (!parsed.success) return setError(parsed.error.issues[0]?.message ?? 'Not a user token');
    void navigate(`/users/${parsed.data}`);
  };
  return (
    <>
      <PageTitle />
      <Typography variant="h4" component="h1" sx={{ mb: 2 }}>
        Find a user
      </Typography>
      <Stack component="form" direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: 'flex-start' }} onSubmit={submit} noValidate>
        <TextField
          label="User token"
          value={token}
          onChange={(e) => {
            setToken(e.target.value);
            setError(undefined);
          }}
          error={Boolean(error)}
          helperText={error ?? 'e.g. usr_ba4275f2-bae1-488d-9d6f-20af1cd83574'}
          sx={{ minWidth: { sm: 460 } }}
        />
        <Button type="submit" variant="contained" sx={{ mt: { sm: 1 } }}>
          Open
        </Button>
      </Stack>
    </>
  );
};

export default HomePage;
