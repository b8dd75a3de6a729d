import IconButton from '@mui/material/IconButton';
import { CopyIcon } from './icons';
import { useAnnounce } from './StatusRegion';

/** Copies a token and says so in the status region. */
const CopyTokenButton = ({ token, label }: { token: string; label: string }) => {
  const announce = useAnnounce();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(token);
      announce(`${label} token copied`);
    } catch {
      announce(`Could not copy: select the ${label.toLowerCase()} token in its tooltip instead`);
    }
  };
  return (
    <IconButton size="small" aria-label={`Copy ${label.toLowerCase()} token`} onClick={() => void copy()}>
      <CopyIcon fontSize="inherit" />
    </IconButton>
  );
};

export default CopyTokenButton;
