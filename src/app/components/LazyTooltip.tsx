import type { TooltipProps } from '@mui/material/Tooltip';
import { useEffect, useState, type ComponentType } from 'react';
import { afterContent } from '../lib/after-content';

// Tooltips carry Popper.js; they load once the page is shown instead of delaying its first paint.
let loaded: ComponentType<TooltipProps> | undefined;
const loadTooltip = () => afterContent(() => import('@mui/material/Tooltip')).then((module) => (loaded = module.default));

/**
 * MUI's Tooltip, loaded on demand; until it arrives the child shows without one. Wrapping the child
 * in it then mounts the child anew, as a new element: one that was focused or pressed in the meantime
 * would lose the focus, and a dialog opened from it could not give the focus back to it on closing.
 * Such a child keeps its element, and goes without the tooltip while it is shown.
 */
export const LazyTooltip = ({ children, ...props }: TooltipProps) => {
  const [Tooltip, setTooltip] = useState(() => loaded);
  const [used, setUsed] = useState(false);
  useEffect(() => {
    if (Tooltip || used) return;
    let wanted = true;
    void loadTooltip().then((component) => wanted && setTooltip(() => component));
    return () => void (wanted = false);
  }, [Tooltip, used]);
  if (Tooltip) return <Tooltip {...props}>{children}</Tooltip>;
  // `display: contents`: the wrapper takes no box, the child lays out as if it were not there.
  return (
    <span style={{ display: 'contents' }} onFocus={() => setUsed(true)} onPointerDown={() => setUsed(true)}>
      {children}
    </span>
  );
};
