import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { LazyTooltip } from './LazyTooltip';

// In order: the first test runs before the tooltip's code has loaded in this file, the second after.
describe('LazyTooltip', () => {
  it('leaves a child focused before the code arrived as it was: the same element, still focused, without the tooltip', async () => {
    render(
      <>
        <LazyTooltip title="Change percentage">
          <button type="button">Edit</button>
        </LazyTooltip>
        <LazyTooltip title="Delete rule">
          <button type="button">Delete</button>
        </LazyTooltip>
      </>,
    );
    const edit = screen.getByRole('button', { name: 'Edit' });
    edit.focus();

    // The untouched child gets its tooltip (MUI names the child by a string title): the code is in.
    await screen.findByRole('button', { name: 'Delete rule' });
    expect(screen.getByRole('button', { name: 'Edit' })).toBe(edit);
    expect(edit.isConnected).toBe(true);
    expect(document.activeElement).toBe(edit);
  });

  it('wraps a child from its first render once the code is in, and shows the title on hover', async () => {
    render(
      <LazyTooltip title="Copy the token">
        <button type="button">Copy</button>
      </LazyTooltip>,
    );
    const copy = screen.getByRole('button', { name: 'Copy the token' });
    await userEvent.hover(copy);
    expect(await screen.findByRole('tooltip')).toHaveTextContent('Copy the token');
  });
});
