import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { endSession } from '../features/session/api/get-session';
import { endStaffSession } from '../features/session/staff-data';
import { renderApp } from '../../../test/app/render';
import { queryKeys } from '../lib/query-keys';
import { useAnnounce } from './StatusRegion';

const MESSAGE = 'Rule deleted: 25 % to Lakeside Credit Union';

/** Announces, and with `end` ends the session in the same turn (as a 401 right after a change would). */
const Announcer = ({ end }: { end?: (queryClient: QueryClient) => void }) => {
  const announce = useAnnounce();
  const queryClient = useQueryClient();
  return (
    <button
      onClick={() => {
        announce(MESSAGE);
        end?.(queryClient);
      }}
    >
      Announce
    </button>
  );
};

/** A few tasks later: long past the region's own one-task delay, far short of its fade. */
const aMoment = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('StatusRegionProvider', () => {
  it('shows a message, and keeps it while the session lives', async () => {
    const c = renderApp(<Announcer />);
    await c.user.click(screen.getByRole('button', { name: 'Announce' }));
    expect(await screen.findByRole('status')).toHaveTextContent(MESSAGE);
    c.queryClient.setQueryData(queryKeys.session(), { email: 'editor@example.com', name: 'Ed', role: 'editor' });
    await aMoment();
    expect(screen.getByRole('status')).toHaveTextContent(MESSAGE);
  });

  it.each([
    ['signed out', endStaffSession],
    ['expired', endSession],
  ])('drops a visible message the moment the session ends (%s)', async (_, end) => {
    const c = renderApp(<Announcer />);
    await c.user.click(screen.getByRole('button', { name: 'Announce' }));
    expect(await screen.findByRole('status')).toHaveTextContent(MESSAGE);
    act(() => end(c.queryClient));
    expect(screen.getByRole('status')).toBeEmptyDOMElement();
  });

  it('drops a message still on its way when the session ends in the same turn', async () => {
    const c = renderApp(<Announcer end={endSession} />);
    await c.user.click(screen.getByRole('button', { name: 'Announce' }));
    await aMoment();
    expect(screen.getByRole('status')).toBeEmptyDOMElement();
  });
});
