import { splitByBasisPoints, toBasisPoints, toCents, fromCents, type AutopayRule, type StoredUser, type Wallet } from '../api';
import { DESTINATIONS, findDestination, type Destination } from './catalog';
import { createRandom, stableUuid, type Random } from './ids';
import type { SandboxState, TxnRecord } from './state';

export const DAY_MS = 86_400_000;

export const userToken = (name: string) => `usr_${stableUuid(`user:${name}`)}`;
export const walletToken = (name: string) => stableUuid(`wallet:${name}`);
export const ruleToken = (name: string) => `autopayout_${stableUuid(`rule:${name}`)}`;

export const SEED_DESTINATIONS = {
  evergreen: 'dest_1a6f3c0e-8d2b-4c59-9e71-2f4b8a0d6c11',
  lakeside: 'dest_2b7a4d1f-9e3c-4d6a-8f82-3a5c9b1e7d22',
  quickCash: 'dest_3c8b5e2a-af4d-4e7b-9a93-4b6dac2f8e33',
  bancoEjemplo: 'dest_4d9c6f3b-b05e-4f8c-8ba4-5c7ebd3a9f44',
  rhein: 'dest_5eadb04c-c16f-409d-9cb5-6d8fce4ba055',
  exampleCard: 'dest_6fbec15d-d270-41ae-8dc6-7e9adf5cb166',
} as const;

/** The named people of DESIGN §3, with their tokens, for tests and demos. */
export const SEED_PEOPLE = {
  ada: {
    userToken: userToken('ada'),
    usdWallet: walletToken('ada:usd'),
    cardWallet: walletToken('ada:card'),
    inactiveWallet: walletToken('ada:inactive'),
  },
  grace: { userToken: userToken('grace'), usdWallet: walletToken('grace:usd'), eurWallet: walletToken('grace:eur') },
  alan: { userToken: userToken('alan') },
  /** Cash pickup: her payouts carry pickup codes (history #10). */
  rosalind: { userToken: userToken('rosalind'), mxnWallet: walletToken('rosalind:mxn') },
} as const;

/**
 * Secrets of the named people that MassPay holds (#7) and the console must not hand to the browser:
 * dates of birth (staff verify callers against them), and Alan's sign-up link (he has not activated).
 */
export const SEED_SECRETS = {
  dateOfBirth: { ada: '1815-12-10', grace: '1906-12-09', alan: '1912-06-23', rosalind: '1920-07-25' },
  alanActivationUrl: `https://wallet.example.com/activate/${stableUuid('activation:alan')}`,
} as const;

/** A cash pickup's secret code (10 digits), derived from its payout's token so the seed stays stable. */
export const pickupCodeFor = (payoutToken: string) =>
  String(parseInt(stableUuid(`pickup:${payoutToken}`).replaceAll('-', '').slice(0, 12), 16) % 10_000_000_000).padStart(10, '0');

export const FIRST_NAMES = [
  'Mary',
  'John',
  'Katherine',
  'Dorothy',
  'Edsger',
  'Barbara',
  'Donald',
  'Frances',
  'Ken',
  'Radia',
  'Tim',
  'Margaret',
  'Niklaus',
  'Sophie',
  'Linus',
  'Shafi',
  'Leslie',
  'Hedy',
  'Dennis',
  'Annie',
];
export const LAST_NAMES = [
  'Jackson',
  'Backus',
  'Johnson',
  'Vaughan',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Allen',
  'Thompson',
  'Perlman',
  'Berners-Lee',
  'Hamilton',
  'Wirth',
  'Wilson',
  'Torvalds',
  'Goldwasser',
  'Lamport',
  'Lamarr',
  'Ritchie',
  'Easley',
];
export const TIMEZONES = ['America/Los_Angeles', 'America/New_York', 'Europe/Berlin', 'Europe/London', 'America/Mexico_City', 'Asia/Manila'];
const GENERATED_USERS = 210;

export interface Builder {
  state: SandboxState;
  now: number;
  random: Random;
}

export const addUser = (
  b: Builder,
  name: string,
  first: string,
  last: string,
  email: string,
  internalId: string,
  status: StoredUser['status'] = 'ACTIVE',
  timezone = 'America/Los_Angeles',
): string => {
  const token = userToken(name);
  b.state.users.push({
    user_token: token,
    status,
    created_on: new Date(b.now - 400 * DAY_MS).toISOString(),
    internal_user_id: internalId,
    first_name: first,
    last_name: last,
    email,
    timezone,
    country: 'USA',
    language: 'en',
  });
  b.state.history[token] = [];
  return token;
};

export const addWallet = (b: Builder, user: string, name: string, wallet: Omit<Wallet, 'user_token' | 'token'>): Wallet => {
  const w: Wallet = { user_token: user, token: walletToken(name), client_paying_fees: true, ...wallet };
  b.state.wallets.push(w);
  b.state.rules[w.token] = [];
  return w;
};

const luhnComplete = (partial: string): string => {
  let sum = 0;
  for (let i = 0; i < partial.length; i++) {
    let digit = Number(partial[partial.length - 1 - i]);
    if (i % 2 === 0) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return partial + String((10 - (sum % 10)) % 10);
};

/** A Luhn-valid 16-digit test number ending in `last4` (the check digit is the last of them). */
const cardNumberEnding = (random: Random, last4: string): string => {
  for (;;) {
    const body = `4000${String(random.int(10_000_000, 99_999_999))}${last4.slice(0, 3)}`;
    const full = luhnComplete(body);
    if (full.endsWith(last4)) return full;
  }
};

const addCard = (b: Builder, wallet: Wallet) => {
  const last4 = wallet.last_4!;
  b.state.cards[wallet.token] = {
    card_number: cardNumberEnding(b.random, last4),
    cvv: String(b.random.int(100, 999)),
    expiration_date: `20${b.random.int(28, 31)}-0${b.random.int(1, 9)}-28`,
    pin_number: String(b.random.int(1000, 9999)),
    balance: wallet.balance,
    type: wallet.card_type!,
    status: wallet.active ? 'ACTIVE' : 'INACTIVE',
  };
};

export const addRule = (b: Builder, wallet: Wallet, name: string, destination: string, percentage: number): AutopayRule => {
  const rule = { token: ruleToken(name), destination_token: destination, percentage, attr_set_token: '' };
  b.state.rules[wallet.token]!.push(rule);
  return rule;
};

/**
 * History that reconciles: an opening load before the rules existed, then loads split by the
 * wallet's rules, so that loads − payouts equals the wallet's seeded balance to the cent.
 */
const addHistory = (b: Builder, wallet: Wallet, loads: number[]) => {
  const rows = b.state.history[wallet.user_token]!;
  const rules = b.state.rules[wallet.token]!;
  const days = loads.length + 1;
  let retainedCents = 0;
  const pending: TxnRecord[] = [];
  loads.forEach((amount, i) => {
    const at = b.now - (days - 1 - i) * 14 * DAY_MS - b.random.int(1, 12) * 3_600_000;
    const amountCents = toCents(amount);
    const shares = splitByBasisPoints(
      amountCents,
      rules.map((r) => toBasisPoints(r.percentage)),
    );
    retainedCents += amountCents - shares.reduce((a, s) => a + s, 0);
    const loadToken = `ld_${stableUuid(`load:${wallet.token}:${i}`)}`;
    pending.push(loadRow(wallet, loadToken, amount, new Date(at).toISOString(), `Payment ${i + 1}`));
    rules.forEach((rule, r) => {
      const d = findDestination(rule.destination_token);
      if (!d || shares[r] === 0) return;
      pending.push(
        payoutRow(wallet, d, `pyt_${stableUuid(`payout:${loadToken}:${r}`)}`, fromCents(shares[r]!), new Date(at + 60_000).toISOString(), loadToken),
      );
    });
  });
  const openingCents = toCents(wallet.balance) - retainedCents;
  if (openingCents > 0) {
    const at = new Date(b.now - days * 14 * DAY_MS).toISOString();
    rows.push(loadRow(wallet, `ld_${stableUuid(`load:${wallet.token}:opening`)}`, fromCents(openingCents), at, 'Opening balance'));
  } else if (openingCents < 0) {
    wallet.balance = fromCents(retainedCents);
  }
  rows.push(...pending);
};

export const loadRow = (wallet: Wallet, token: string, amount: number, at: string, notes: string): TxnRecord => ({
  token,
  type: 'load',
  time_of_txn: at,
  source_amount: amount,
  source_currency_code: wallet.currency_code,
  destination_amount: amount,
  destination_currency_code: wallet.currency_code,
  fee: 0,
  status: 'COMPLETED',
  destination_token: wallet.token,
  source_token: `src_${stableUuid('payor-balance')}`,
  notes,
  user_token: wallet.user_token,
  wallet_token: wallet.token,
});

export const payoutRow = (wallet: Wallet, d: Destination, token: string, amount: number, at: string, source: string): TxnRecord => ({
  token,
  type: 'payout',
  time_of_txn: at,
  source_amount: amount,
  source_currency_code: wallet.currency_code,
  destination_amount: amount,
  destination_currency_code: d.currency,
  fee: d.fee,
  status: 'COMPLETED',
  destination_token: d.destination_token,
  payer_name: d.payer_name,
  delivery_type: d.delivery_type,
  ...(d.delivery_type === 'CASH_PICKUP' ? { pickup_code: pickupCodeFor(token) } : {}),
  source_token: source,
  user_token: wallet.user_token,
  wallet_token: wallet.token,
});

const seedNamedPeople = (b: Builder) => {
  const ada = addUser(b, 'ada', 'Ada', 'Lovelace', 'ada@example.com', 'ext-1001', 'ACTIVE', 'Europe/London');
  const adaUsd = addWallet(b, ada, 'ada:usd', { balance: 1250.75, currency_code: 'USD', type: 'USER_FUNDS', active: true });
  addRule(b, adaUsd, 'ada:usd:evergreen', SEED_DESTINATIONS.evergreen, 60);
  addRule(b, adaUsd, 'ada:usd:lakeside', SEED_DESTINATIONS.lakeside, 25);
  addHistory(b, adaUsd, [500, 750, 420.5, 1000, 615.25, 880, 300, 1200.1, 540, 975]);
  const adaCard = addWallet(b, ada, 'ada:card', { balance: 310, currency_code: 'USD', type: 'MASSPAY_CARD', card_type: 'VISA', last_4: '4242', active: true });
  addCard(b, adaCard);
  addHistory(b, adaCard, []);
  addWallet(b, ada, 'ada:inactive', { balance: 0, currency_code: 'USD', type: 'USER_FUNDS', active: false });

  const grace = addUser(b, 'grace', 'Grace', 'Hopper', 'grace@example.com', 'ext-1002', 'ACTIVE', 'America/New_York');
  const graceUsd = addWallet(b, grace, 'grace:usd', { balance: 0, currency_code: 'USD', type: 'USER_FUNDS', active: true });
  addRule(b, graceUsd, 'grace:usd:card', SEED_DESTINATIONS.exampleCard, 100);
  addHistory(b, graceUsd, [250, 410.4, 99.99]);
  const graceEur = addWallet(b, grace, 'grace:eur', { balance: 842.1, currency_code: 'EUR', type: 'USER_FUNDS', active: true });
  addHistory(b, graceEur, [300, 150.5]);

  addUser(b, 'alan', 'Alan', 'Turing', 'alan@example.com', 'ext-1003', 'ACTIVE', 'Europe/London');

  giveSecrets(b, ada, { date_of_birth: SEED_SECRETS.dateOfBirth.ada });
  giveSecrets(b, grace, { date_of_birth: SEED_SECRETS.dateOfBirth.grace });
  giveSecrets(b, SEED_PEOPLE.alan.userToken, { date_of_birth: SEED_SECRETS.dateOfBirth.alan, activation_url: SEED_SECRETS.alanActivationUrl });
};

/** Adds MassPay's sensitive user fields to a seeded user (no PRNG draw: the rest of the seed stays as it was). */
const giveSecrets = (b: Builder, token: string, secrets: Pick<StoredUser, 'date_of_birth' | 'activation_url'>) =>
  Object.assign(
    b.state.users.find((u) => u.user_token === token)!,
    secrets,
  );

/** Rosalind Franklin (ext-1004), paid out in cash: after the generated users, so their seed stays as it was. */
const seedCashPickupPerson = (b: Builder) => {
  const rosalind = addUser(b, 'rosalind', 'Rosalind', 'Franklin', 'rosalind@example.com', 'ext-1004', 'ACTIVE', 'America/Mexico_City');
  giveSecrets(b, rosalind, { date_of_birth: SEED_SECRETS.dateOfBirth.rosalind });
  const mxn = addWallet(b, rosalind, 'rosalind:mxn', { balance: 1200, currency_code: 'MXN', type: 'USER_FUNDS', active: true });
  const cash = DESTINATIONS.find((d) => d.delivery_type === 'CASH_PICKUP' && d.currency === 'MXN')!;
  addRule(b, mxn, 'rosalind:mxn:cash', cash.destination_token, 50);
  addHistory(b, mxn, [2000, 3500.5]);
};

const CURRENCY_WEIGHTS = ['USD', 'USD', 'USD', 'USD', 'EUR', 'EUR', 'GBP', 'MXN', 'PHP', 'CAD'];
const BRANDS = ['VISA', 'MASTERCARD', 'AMEX', 'DISCOVER', 'UNIONPAY'] as const;

/** Random percentages (two decimals at most) over `count` rules, summing to at most 100. */
export const randomSplit = (random: Random, count: number): number[] => {
  let leftBp = random.next() < 0.3 ? 10_000 : random.int(count * 100, 10_000);
  return Array.from({ length: count }, (_, i) => {
    const remainingRules = count - i - 1;
    const maxBp = leftBp - remainingRules * 100;
    const bp = i === count - 1 ? leftBp : random.int(100, Math.max(100, Math.floor(maxBp / 2)));
    leftBp -= bp;
    return bp / 100;
  });
};

const seedGeneratedUser = (b: Builder, i: number) => {
  const { random } = b;
  const first = random.pick(FIRST_NAMES);
  const last = random.pick(LAST_NAMES);
  const status = random.next() < 0.9 ? 'ACTIVE' : random.pick(['LOCKED', 'DEACTIVE'] as const);
  const user = addUser(b, `generated:${i}`, first, last, `${first}.${last}.${i}@example.com`.toLowerCase(), `ext-${2000 + i}`, status, random.pick(TIMEZONES));
  // A few users carry the maximum of 12 wallets; most have 1–4.
  const walletCount = i % 40 === 7 ? 12 : random.int(0, 4);
  for (let w = 0; w < walletCount; w++) {
    const isCard = random.next() < 0.2;
    const currency = isCard ? 'USD' : random.pick(CURRENCY_WEIGHTS);
    const balance = fromCents(random.int(0, 500_000));
    const active = random.next() < 0.9;
    const name = `generated:${i}:${w}`;
    if (isCard) {
      const wallet = addWallet(b, user, name, {
        balance,
        currency_code: currency,
        type: 'MASSPAY_CARD',
        card_type: random.pick(BRANDS),
        last_4: String(random.int(1000, 9999)),
        active,
      });
      addCard(b, wallet);
      continue;
    }
    const wallet = addWallet(b, user, name, { balance, currency_code: currency, type: 'USER_FUNDS', active });
    const candidates = DESTINATIONS.filter((d) => d.currency === currency);
    // Every 40th user's first wallet is as full as policy allows: 8 rules where the currency has 8 destinations.
    const ruleCount = i % 40 === 7 && w === 0 ? Math.min(8, candidates.length) : random.int(0, Math.min(3, candidates.length));
    const chosen = [...candidates].sort(() => random.next() - 0.5).slice(0, ruleCount);
    randomSplit(random, chosen.length).forEach((percentage, r) => addRule(b, wallet, `${name}:${r}`, chosen[r]!.destination_token, percentage));
    if (w === 0 && active)
      addHistory(
        b,
        wallet,
        Array.from({ length: random.int(0, 4) }, () => fromCents(random.int(1_000, 200_000))),
      );
  }
};

/** The deterministic seed of DESIGN §3. Tokens are stable; times are relative to `now`. */
export const createSeed = (now = Date.now()): SandboxState => {
  const b: Builder = {
    now: Math.floor(now / DAY_MS) * DAY_MS,
    random: createRandom(20_241_125),
    state: { version: 1, seeded_at: new Date(now).toISOString(), users: [], wallets: [], rules: {}, cards: {}, history: {}, idempotency: {} },
  };
  seedNamedPeople(b);
  for (let i = 1; i <= GENERATED_USERS; i++) seedGeneratedUser(b, i);
  seedCashPickupPerson(b);
  return b.state;
};
