import Box from '@mui/material/Box';
import Skeleton from '@mui/material/Skeleton';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { ErrorState } from '../../../components/LazyErrorState';
import { isSignedOut, setCacheOwner, useSession } from '../api/get-session';
import { LOGIN_PATH, loginPathFor } from '../next-path';

/**
 * The gate of every route but `/login`: with nobody signed in — at first, or when any request fails
 * with 401 `unauthenticated` later (the query client then holds nobody signed in: lib/query-client.ts)
 * — it sends the person to `/login?next=<where they were>`; signing in brings them back there.
 */
export const RequireSession = () => {
  const queryClient = useQueryClient();
  const session = useSession();
  const location = useLocation();

  const email = session.data?.email;
  useEffect(() => {
    if (email) setCacheOwner(queryClient, email);
  }, [queryClient, email]);

  if (session.data === null) return <Navigate to={isSignedOut(queryClient) ? LOGIN_PATH : loginPathFor(location)} replace />;
  if (session.data) return <Outlet />;
  if (session.isError) return <ErrorState error={session.error} title="Could not check your sign-in" onRetry={() => void session.refetch()} />;
  return (
    <Box sx={{ py: 2 }} aria-busy="true" role="progressbar" aria-label="Checking your sign-in">
      <Skeleton width="40%" height={56} />
    </Box>
  );
};
