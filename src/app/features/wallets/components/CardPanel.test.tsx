import { screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cardSchema, browserFoundUserSchema, browserWalletListSchema, type BrowserWallet } from '../../../../api';
import { freshSandbox, massPay, readApi, sandbox, sentWith } from '../../../../../test/app/backend';
import { renderApp } from '../../../../../test/app/render';
import CardPanel from './CardPanel';

// Against the real console and sandbox (test/app-global-setup.ts). The sandbox holds a full card
// (number, CVV, PIN, expiry) behind Ada's card wallet ••4242. Brand and last four are the wallet
// list's; the card route lets only type, status and balance through.

/** 13 to 19 digits in a row (spaces or dashes between groups allowed): what a card number looks like. */
const PAN_LIKE = /\d(?:[ -]?\d){12,18}/;
const SECRET_WORDS = /\bcvv\b|\bcvc\b|\bpin\b|pin_number|card_number|expiration|expiry/i;

let userToken: string;
let card: BrowserWallet;

/** Every answer of `/api/...` the code under test receives, as text (read from a clone). */
const received: { path: string; body: string }[] = [];
const realFetch = globalThis.fetch;
beforeEach(async () => {
  await freshSandbox();
  const ada = browserFoundUserSchema.parse(await readApi('/payout/user/lookup?internal_user_id=ext-1001'));
  userToken = ada.user_token;
  card = browserWalletListSchema.parse(await readApi(`/payout/wallet/${userToken}`)).find((w) => w.type === 'MASSPAY_CARD')!;
  expect(card.last_4).toBe('4242');

  received.length = 0;
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await realFetch(input, init);
    if (typeof input === 'string' && input.startsWith('/api/')) received.push({ path: input, body: await response.clone().text() });
    return response;
  };
});
afterEach(() => {
  globalThis.fetch = realFetch;
});

const renderCard = (wallet: BrowserWallet = card) => renderApp(<CardPanel userToken={userToken} wallet={wallet} />);

describe('CardPanel', () => {
  it('shows the brand, last four, status and balance', async () => {
    const { container } = renderCard();
    expect(await screen.findByText('Active')).toBeInTheDocument();
    expect(screen.getByText('VISA')).toBeInTheDocument();
    expect(screen.getByText('•••• 4242')).toBeInTheDocument();
    expect(screen.getByText('$310.00')).toBeInTheDocument();
    expect(container).toHaveTextContent(/^Brand\s*VISA\s*Last four\s*•••• 4242\s*Card status\s*Active\s*Card balance\s*\$310\.00/);
    expect(sentWith('GET').map((r) => r.path)).toEqual([`/api/payout/wallet/${userToken}/${card.token}/card`]);
  });

  it('takes the brand and last four from the wallet list, and only the status and balance from the card route', async () => {
    // A wallet as the list could give it, with another brand and last four than the card's: the panel
    // shows the list's, and the card route's status and balance.
    const { container } = renderCard({ ...card, card_type: 'MASTERCARD', last_4: '9876' });
    expect(await screen.findByText('MASTERCARD')).toBeInTheDocument();
    expect(container).toHaveTextContent(/^Brand\s*MASTERCARD\s*Last four\s*•••• 9876\s*Card status\s*Active\s*Card balance\s*\$310\.00/);
    expect(screen.queryByText('VISA')).not.toBeInTheDocument();
    expect(screen.queryByText(/4242/)).not.toBeInTheDocument();
  });

  it('says when the wallet list gives no brand or last four', async () => {
    const { card_type: _brand, last_4: _last4, ...bare } = card;
    const { container } = renderCard(bare);
    expect(await screen.findByText('Active')).toBeInTheDocument();
    expect(container).toHaveTextContent(/^Brand\s*Not available\s*Last four\s*Not available\s*Card status\s*Active\s*Card balance\s*\$310\.00/);
  });

  it('receives only type, status and balance, and shows no card number, CVV, PIN or expiry', async () => {
    const { container } = renderCard();
    await screen.findByText('Active');

    expect(received).toHaveLength(1);
    const [answer] = received;
    expect(Object.keys(JSON.parse(answer!.body)).sort()).toEqual(['balance', 'status', 'type']);
    expect(JSON.parse(answer!.body)).toEqual({ type: 'VISA', status: 'ACTIVE', balance: 310 });
    expect(answer!.body).not.toMatch(PAN_LIKE);
    expect(answer!.body).not.toMatch(SECRET_WORDS);

    // MassPay's (the sandbox's) own answer, asked directly with its key: the secrets exist, and the
    // patterns above would catch them.
    const raw = await massPay(`/payout/wallet/${userToken}/${card.token}/card`);
    const secret = cardSchema.parse(await raw.json());
    expect(secret.card_number).toMatch(PAN_LIKE);
    expect(secret.card_number.endsWith('4242')).toBe(true);
    expect(JSON.stringify(secret)).toMatch(SECRET_WORDS);

    const text = container.textContent ?? '';
    for (const where of [answer!.body, text, container.innerHTML]) {
      expect(where).not.toContain(secret.card_number);
      expect(where).not.toContain(secret.card_number.slice(0, 12));
      if (secret.expiration_date) expect(where).not.toContain(secret.expiration_date);
    }
    expect(text).not.toMatch(PAN_LIKE);
    expect(text).not.toMatch(SECRET_WORDS);
    // Not hidden in attributes either (titles, labels, data).
    expect(container.innerHTML).not.toMatch(PAN_LIKE);
    expect(container.innerHTML).not.toMatch(SECRET_WORDS);
  });

  it('shows a skeleton while the card loads', async () => {
    await sandbox.setFaults({ latencyMs: 500 });
    renderCard();
    expect(screen.getByLabelText('Loading card')).toBeInTheDocument();
    expect(await screen.findByText('Active', undefined, { timeout: 5_000 })).toBeInTheDocument();
    expect(screen.queryByLabelText('Loading card')).not.toBeInTheDocument();
  });

  it('shows a failure with Retry, and Retry brings the card', async () => {
    // Twice: the console's client tries a 5xx once more before it shows the failure.
    await sandbox.setFaults({ failNext: { count: 2, status: 500, methods: ['GET'] } });
    const { user } = renderCard();
    // The alert's full view loads lazily: wait for its Retry.
    const retry = await screen.findByRole('button', { name: 'Retry' });
    expect(screen.getByRole('alert')).toHaveTextContent(/^Could not load the card/);
    expect(screen.queryByText('Active')).not.toBeInTheDocument();

    await user.click(retry);
    expect(await screen.findByText('Active')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    // The first read, the client's one retry of it, and Retry's.
    expect(sentWith('GET')).toHaveLength(3);
  });
});
