import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { browserFoundUserSchema, verifyCallerPath } from '../../api';
import { callApi, freshSandbox, readApi, sentWith, signInAs } from '../../../test/app/backend';
import { renderApp } from '../../../test/app/render';
import { Route, Routes } from 'react-router';
import { UserPage } from './UserPage';

// Against the real console and sandbox (test/app-global-setup.ts). The sandbox holds MassPay's dates of
// birth for the named people (src/sandbox/seed.ts): Ada's is 1815-12-10, Grace's 1906-12-09.

const tokenOf = async (internalId: string) => browserFoundUserSchema.parse(await readApi(`/payout/user/lookup?internal_user_id=${internalId}`)).user_token;

let ada: string;
beforeEach(async () => {
  await freshSandbox();
  ada = await tokenOf('ext-1001');
});

const renderUserPage = (userToken: string) =>
  renderApp(
    <Routes>
      <Route path="/users/:userToken" element={<UserPage />} />
    </Routes>,
    { route: `/users/${userToken}` },
  );

/** The region, its date field and its button, once the form's code has loaded. */
const verifyCaller = async () => {
  const region = within(await screen.findByRole('region', { name: 'Verify caller' }));
  return { region, date: await region.findByLabelText(/Date of birth the caller gives/), button: region.getByRole('button', { name: 'Verify' }) };
};

describe('Verify caller on the user page', () => {
  it('says whether the date a caller gives matches, never what MassPay holds, and empties the field after each answer', async () => {
    await signInAs('viewer');
    const { user } = renderUserPage(ada);
    expect(await screen.findByRole('heading', { level: 1, name: 'Ada Lovelace' })).toBeInTheDocument();
    const { region, date, button } = await verifyCaller();

    fireEvent.change(date, { target: { value: '1815-12-11' } });
    await user.click(button);
    // The live region is there before its words (so that screen readers announce them): wait for the words.
    await waitFor(() => expect(region.getByRole('status')).toHaveTextContent(/^Does not match/));
    expect(date).toHaveValue('');

    fireEvent.change(date, { target: { value: '1815-12-10' } });
    await user.click(button);
    await waitFor(() => expect(region.getByRole('status')).toHaveTextContent(/^Matches/));
    expect(sentWith('POST').map((r) => [r.path, r.body])).toEqual([
      [verifyCallerPath(ada), JSON.stringify({ date_of_birth: '1815-12-11' })],
      [verifyCallerPath(ada), JSON.stringify({ date_of_birth: '1815-12-10' })],
    ]);
    // The page itself never had the date: MassPay's user answer reaches the browser without it.
    expect(document.body.textContent).not.toMatch(/1815|Dec(ember)? 10/);
  });

  it('asks for a date before sending anything', async () => {
    const { user } = renderUserPage(ada);
    const { date, button } = await verifyCaller();
    await user.click(button);
    expect(await screen.findByText('Enter the date of birth the caller gives')).toBeInTheDocument();
    expect(date).toHaveAttribute('aria-invalid', 'true');
    expect(sentWith('POST')).toEqual([]);
  });

  it('tells staff when the payee’s tries are used up (429), as an alert', async () => {
    const grace = await tokenOf('ext-1002');
    for (let i = 0; i < 5; i += 1)
      expect((await callApi('POST', verifyCallerPath(grace).replace(/^\/api/, ''), { body: { date_of_birth: '2000-01-01' } })).status).toBe(200);
    const { user } = renderUserPage(grace);
    const { region, date, button } = await verifyCaller();
    fireEvent.change(date, { target: { value: '1906-12-09' } });
    await user.click(button);
    expect(await region.findByRole('alert')).toHaveTextContent(/Not verified\. This payee's date of birth was tried too often/);
    expect(region.getByRole('status')).toBeEmptyDOMElement();
  });
});
