import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { PageTitle } from '../components/PageTitle';
import { FindByEmailForm } from '../features/users/components/FindByEmailForm';
import { FindByInternalIdForm } from '../features/users/components/FindByInternalIdForm';
import { FindByTokenForm } from '../features/users/components/FindByTokenForm';
import { RecentUsers } from '../features/users/components/RecentUsers';

/** `/`: find a user by token, by email and first name, or by internal user ID; or reopen a recent one. */
export const HomePage = () => (
  <>
    <PageTitle />
    <Typography variant="h4" component="h1" sx={{ mb: 3 }}>
      Find a user
    </Typography>
    {/* A Stack as the grid, not a Box: Box here would reshuffle the shared first-load chunks (npm run size). */}
    <Stack sx={{ display: 'grid', gap: 3, gridTemplateColumns: { xs: 'minmax(0, 1fr)', md: 'minmax(0, 2fr) minmax(0, 1fr)' }, alignItems: 'start' }}>
      <Stack spacing={3}>
        <FindByTokenForm />
        <FindByEmailForm />
        <FindByInternalIdForm />
      </Stack>
      <RecentUsers />
    </Stack>
  </>
);

export default HomePage;
