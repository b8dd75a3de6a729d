import { createTheme } from '@mui/material/styles';

/** Light and dark schemes as CSS variables: the system's choice by default, a toggle that persists. */
export const theme = createTheme({
  cssVariables: { colorSchemeSelector: 'class' },
  colorSchemes: {
    light: { palette: { primary: { main: '#1b5e9e' }, secondary: { main: '#6a3d9a' } } },
    dark: { palette: { primary: { main: '#8cc4ff' }, secondary: { main: '#d0b3ff' } } },
  },
  shape: { borderRadius: 8 },
  components: {
    MuiTableCell: { styleOverrides: { head: { fontWeight: 600 } } },
  },
});
