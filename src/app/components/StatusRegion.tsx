import Paper from '@mui/material/Paper';
import { createContext, use, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useSessionEnd } from '../features/session/use-session-end';

interface Announcer {
  /** Shows a short confirmation in the page's `role=status` region (read out politely). */
  announce: (message: string) => void;
}

const AnnouncerContext = createContext<Announcer>({ announce: () => undefined });

export const useAnnounce = () => use(AnnouncerContext).announce;

const VISIBLE_MS = 6_000;

/**
 * One live region for the whole page, present from the start so screen readers announce what is
 * put into it; a message fades after a few seconds, or at once when the staff session ends (the next
 * person must never read the last one's messages).
 */
export const StatusRegionProvider = ({ children }: { children: ReactNode }) => {
  const [message, setMessage] = useState<{ text: string; id: number } | undefined>();
  const counter = useRef(0);
  const pending = useRef(new Set<ReturnType<typeof setTimeout>>());
  // Posted on the next task: a dialog that closes in the same turn hides the rest of the page from
  // assistive technology until it is gone, and a message put in a hidden region is never read.
  const announce = useCallback((text: string) => {
    const timer = setTimeout(() => {
      pending.current.delete(timer);
      setMessage({ text, id: ++counter.current });
    }, 0);
    pending.current.add(timer);
  }, []);
  const clear = useCallback(() => {
    for (const timer of pending.current) clearTimeout(timer);
    pending.current.clear();
    setMessage(undefined);
  }, []);
  useSessionEnd(clear);
  useEffect(() => {
    if (!message) return;
    const timer = setTimeout(() => setMessage(undefined), VISIBLE_MS);
    return () => clearTimeout(timer);
  }, [message]);
  const value = useMemo(() => ({ announce }), [announce]);
  return (
    <AnnouncerContext value={value}>
      {children}
      <div role="status" aria-live="polite" style={{ position: 'fixed', bottom: 16, left: 16, right: 16, zIndex: 1400, pointerEvents: 'none' }}>
        {message && (
          <Paper
            key={message.id}
            elevation={6}
            sx={{ display: 'inline-block', px: 2, py: 1.5, bgcolor: 'success.dark', color: 'success.contrastText', pointerEvents: 'auto' }}
          >
            {message.text}
          </Paper>
        )}
      </div>
    </AnnouncerContext>
  );
};
