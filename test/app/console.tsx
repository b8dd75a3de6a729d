// The whole console (router, session gate, app bar, lazy pages) for tests that cross pages.
import { screen } from '@testing-library/react';
import { inject } from 'vitest';
import type { StaffRole } from '../../src/api';
import { App } from '../../src/app/App';
import { STAFF_EMAILS } from './backend';
import { renderApp } from './render';

/** Renders the app at `route`, as a browser tab opened there would be. */
export const renderConsole = (route: string) => renderApp(<App />, { route });

type Console = ReturnType<typeof renderConsole>;

/** Fills the sign-in form as the demo account of `role` and submits it with Enter, by keyboard alone. */
export const signInWithForm = async ({ user }: Console, role: StaffRole, password = inject('staffPassword')) => {
  const email = await screen.findByRole('textbox', { name: 'Email' });
  await user.click(email);
  await user.clear(email);
  await user.type(email, STAFF_EMAILS[role]);
  await user.tab();
  await user.keyboard(`${password}{Enter}`);
};
