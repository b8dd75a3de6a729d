import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useParams } from 'react-router';
import { ErrorState } from '../components/LazyErrorState';
import { NotFoundView } from '../components/NotFoundView';
import { PageBreadcrumbs } from '../components/PageBreadcrumbs';
import { PageTitle } from '../components/PageTitle';
import { ExportCsvButton } from '../features/export/LazyExportCsvButton';
import { useUser } from '../features/users/api/get-user';
import { fullName, UserHeader } from '../features/users/components/UserHeader';
import { VerifyCallerSection } from '../features/users/components/VerifyCallerSection';
import { useRememberUser } from '../features/users/use-remember-user';
import { useWallets } from '../features/wallets/api/get-wallets';
import { WalletsTable, WalletsTableSkeleton } from '../features/wallets/components/WalletsTable';
import { isNotFound } from '../lib/api-error';
import { usePageFailure } from '../lib/use-page-failure';

/** `/users/:userToken`: the payee and all of their wallets. */
export const UserPage = () => {
  const { userToken } = useParams() as { userToken: string };
  const user = useUser(userToken);
  useRememberUser(user.data);
  const wallets = useWallets(userToken);
  const failure = usePageFailure([user, wallets]);

  if (isNotFound(user.error) || isNotFound(wallets.error)) {
    return <NotFoundView title="User not found">No MassPay user has the token {userToken}. Check it, or find the user by email or internal ID.</NotFoundView>;
  }
  const name = user.data ? fullName(user.data) : undefined;
  return (
    <>
      <PageTitle title={name ?? 'User'} />
      <PageBreadcrumbs items={[{ label: 'Users', to: '/' }, { label: name ?? 'User' }]} />
      {failure.error !== undefined && <ErrorState error={failure.error} title="Could not load this user" onRetry={failure.retry} />}
      {user.data ? (
        <>
          <UserHeader user={user.data} />
          <VerifyCallerSection userToken={userToken} />
        </>
      ) : user.isError ? (
        <Typography variant="h4" component="h1" sx={{ mb: 3 }}>
          User
        </Typography>
      ) : (
        <Skeleton variant="text" width={320} height={56} role="progressbar" aria-label="Loading user" />
      )}
      <Stack direction="row" spacing={2} sx={{ mb: 1, alignItems: 'flex-start', justifyContent: 'space-between' }}>
        <Typography variant="h5" component="h2">
          Wallets
        </Typography>
        {wallets.data && wallets.data.length > 0 && <ExportCsvButton userToken={userToken} user={user.data} wallets={wallets.data} />}
      </Stack>
      {wallets.data ? (
        wallets.data.length > 0 ? (
          <WalletsTable userToken={userToken} wallets={wallets.data} />
        ) : (
          <Paper variant="outlined" sx={{ p: 3 }}>
            <Typography>No wallets</Typography>
            <Typography color="text.secondary">This user has no MassPay wallet yet: wallets appear once MassPay creates one for them.</Typography>
          </Paper>
        )
      ) : wallets.isError ? (
        <Typography color="text.secondary">The wallets could not be loaded.</Typography>
      ) : (
        <WalletsTableSkeleton />
      )}
    </>
  );
};

export default UserPage;
