import { createTheme } from '@mui/material/styles';

/**
 * Light and dark schemes: the system's choice by default, a toggle that persists. Not as CSS variables:
 * those make the first render write both schemes' variables through Emotion (~100 ms of a cold page's
 * time to its heading, issue 18 item 11); without them a switch re-renders the page in the other scheme.
 */
export const theme = createTheme({
  colorSchemes: {
    light: { palette: { primary: { main: '#1b5e9e' }, secondary: { main: '#6a3d9a' } } },
    // A lighter red in the dark scheme: white on MUI's default #f44336 is 3.7:1, below WCAG AA.
    dark: { palette: { primary: { main: '#8cc4ff' }, secondary: { main: '#d0b3ff' }, error: { main: '#ffb4ab' } } },
  },
  shape: { borderRadius: 8 },
  components: {
    MuiTableCell: { styleOverrides: { head: { fontWeight: 600 } } },
  },
});
