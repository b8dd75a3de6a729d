import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { showingText } from '../../audit/audit-labels';

export interface PagerProps {
  /** Names the group of buttons, e.g. "Pages of rows" (a page may hold more than one pager). */
  label: string;
  page: number;
  /** The page as the server answered it, once it is in (undefined while loading or refreshing). */
  shown: { pageSize: number; items: number; total: number } | undefined;
  onPage: (page: number) => void;
}

/** "Showing 51–100 of 230" and Previous / Next page. */
export const Pager = ({ label, page, shown, onPage }: PagerProps) => {
  const lastPage = shown ? Math.max(1, Math.ceil(shown.total / shown.pageSize)) : page;
  return (
    <Stack
      role="group"
      aria-label={label}
      direction="row"
      spacing={2}
      useFlexGap
      sx={{ flexWrap: 'wrap', alignItems: 'center', justifyContent: 'flex-end', mt: 1.5 }}
    >
      <Typography variant="body2" aria-live="polite" sx={{ minWidth: 150, textAlign: 'center' }}>
        {shown ? showingText(page, shown.pageSize, shown.items, shown.total) : ' '}
      </Typography>
      <Button variant="outlined" disabled={page <= 1} onClick={() => onPage(Math.min(page - 1, lastPage))}>
        Previous page
      </Button>
      <Button variant="outlined" disabled={!shown || page >= lastPage} onClick={() => onPage(page + 1)}>
        Next page
      </Button>
    </Stack>
  );
};
