import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import { Link as RouterLink } from 'react-router';

export interface Crumb {
  label: string;
  to?: string;
}

/** Users › Ada Lovelace › Wallet ••4242 — an ordered list in a named navigation; the last crumb is where you are. */
export const PageBreadcrumbs = ({ items }: { items: Crumb[] }) => (
  <Box component="nav" aria-label="Breadcrumbs" sx={{ mb: 2, color: 'text.secondary' }}>
    <Box component="ol" sx={{ display: 'flex', flexWrap: 'wrap', gap: 1, listStyle: 'none', m: 0, p: 0 }}>
      {items.map((item, i) => (
        <Box component="li" key={item.label} sx={{ display: 'flex', gap: 1 }}>
          {i > 0 && <span aria-hidden="true">›</span>}
          {item.to && i < items.length - 1 ? (
            <Link component={RouterLink} to={item.to} underline="hover" color="inherit">
              {item.label}
            </Link>
          ) : (
            <Box component="span" aria-current="page" sx={{ color: 'text.primary' }}>
              {item.label}
            </Box>
          )}
        </Box>
      ))}
    </Box>
  </Box>
);
