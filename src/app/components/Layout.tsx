import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import Toolbar from '@mui/material/Toolbar';
import { Suspense } from 'react';
import { Link as RouterLink, Outlet } from 'react-router';
import Skeleton from '@mui/material/Skeleton';
import { useSession } from '../features/session/api/get-session';
import { lazyAfterContent } from '../lib/after-content';

import { PRODUCT_NAME } from './PageTitle';

// The toggle is a secondary control: it loads once the page's content is shown (lib/after-content).
const ThemeToggle = lazyAfterContent(() => import('../theme/ThemeToggle'));
// Who is signed in, the audit link and Sign out: secondary too, so their code loads after the content.
const SessionBar = lazyAfterContent(() => import('../features/session/components/SessionBar'));

/** The app bar, a skip link for keyboard users, a progress line while a page's code loads, and the page. */
export const Layout = () => {
  const staff = useSession().data;
  return (
    <>
      <Link href="#main" sx={{ position: 'absolute', left: 8, top: -48, zIndex: 2000, bgcolor: 'background.paper', p: 1, '&:focus': { top: 8 } }}>
        Skip to content
      </Link>
      {/* Narrower than md (phones, tablets upright) the bar scrolls away with the page, the staff member's controls in a row under the name: kept on screen, a phone's took a sixth of it. */}
      <AppBar position="sticky" elevation={1} color="primary" enableColorOnDark sx={{ position: { xs: 'static', md: 'sticky' } }}>
        <Toolbar sx={{ flexWrap: { xs: 'wrap', md: 'nowrap' }, py: { xs: 1, md: 0 } }}>
          <Link
            component={RouterLink}
            to="/"
            color="inherit"
            underline="none"
            sx={{ flexGrow: 1, flexBasis: { xs: staff ? '100%' : 'auto', md: 'auto' }, fontWeight: 600, fontSize: '1.15rem' }}
          >
            {PRODUCT_NAME}
          </Link>
          {staff && (
            <Suspense fallback={null}>
              <SessionBar staff={staff} />
            </Suspense>
          )}
          <Suspense fallback={<Box sx={{ width: 40, height: 40 }} />}>
            <ThemeToggle />
          </Suspense>
        </Toolbar>
      </AppBar>
      <Box component="main" id="main" tabIndex={-1} sx={{ maxWidth: 1200, mx: 'auto', px: { xs: 2, sm: 3 }, py: 3, outline: 'none' }}>
        <Suspense
          fallback={
            <Box sx={{ py: 2 }} aria-busy="true" role="progressbar" aria-label="Loading page">
              <Skeleton width="40%" height={56} />
              <Skeleton variant="rounded" height={160} />
            </Box>
          }
        >
          <Outlet />
        </Suspense>
      </Box>
    </>
  );
};
