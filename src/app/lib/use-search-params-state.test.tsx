import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Link, useLocation } from 'react-router';
import { describe, expect, it } from 'vitest';
import { useSearchParamsState } from './use-search-params-state';

const set = (name: string, value: string) => (params: URLSearchParams) => (params.set(name, value), params);

/** Two changes in one event, as a fast user or a browser's autofill makes them: the router has not re-rendered between them. */
const TwoChanges = () => {
  const [params, setParams] = useSearchParamsState();
  return (
    <>
      <button onClick={() => (setParams(set('from', '2026-01-01')), setParams(set('to', '2026-01-31')))}>Both</button>
      <button onClick={() => setParams(set('type', 'payout'))}>Type</button>
      <Link to="/wallet?page=3">Elsewhere</Link>
      <output aria-label="Search">{useLocation().search}</output>
      <output aria-label="Params">{params.toString()}</output>
    </>
  );
};

const renderAt = (route: string) => {
  render(
    <MemoryRouter initialEntries={[route]}>
      <TwoChanges />
    </MemoryRouter>,
  );
  return { user: userEvent.setup(), search: () => screen.getByRole('status', { name: 'Search' }).textContent };
};

describe('useSearchParamsState', () => {
  it('keeps both of two changes made before the router re-renders', async () => {
    const { user, search } = renderAt('/wallet?page=2');
    await user.click(screen.getByRole('button', { name: 'Both' }));
    expect(search()).toBe('?page=2&from=2026-01-01&to=2026-01-31');
    expect(screen.getByRole('status', { name: 'Params' })).toHaveTextContent('page=2&from=2026-01-01&to=2026-01-31');
  });

  it('builds on the location once it has arrived, and on a location reached another way', async () => {
    const { user, search } = renderAt('/wallet');
    await user.click(screen.getByRole('button', { name: 'Both' }));
    await user.click(screen.getByRole('link', { name: 'Elsewhere' }));
    expect(search()).toBe('?page=3');
    await user.click(screen.getByRole('button', { name: 'Type' }));
    expect(search()).toBe('?page=3&type=payout');
  });
});
