import type { Company, Country, DeliveryType, Payer, Service } from '../api';
import { stableUuid } from './ids';

/** One payout destination the sandbox knows: a payer's service in a country, in one currency. */
export interface Destination {
  destination_token: string;
  payer_name: string;
  company_name: string;
  delivery_type: DeliveryType;
  country_code: string;
  currency: string;
  fee: number;
  min_limit: number;
  max_limit: number;
}

export const COUNTRIES: Country[] = [
  { code: 'US', name: 'United States', three_letter_code: 'USA' },
  { code: 'MX', name: 'Mexico', three_letter_code: 'MEX' },
  { code: 'DE', name: 'Germany', three_letter_code: 'DEU' },
  { code: 'GB', name: 'United Kingdom', three_letter_code: 'GBR' },
  { code: 'PH', name: 'Philippines', three_letter_code: 'PHL' },
  { code: 'IN', name: 'India', three_letter_code: 'IND' },
  { code: 'CA', name: 'Canada', three_letter_code: 'CAN' },
  { code: 'FR', name: 'France', three_letter_code: 'FRA' },
  { code: 'BR', name: 'Brazil', three_letter_code: 'BRA' },
];

/** Units of each currency per USD: enough realism for the exchange_rate field. */
export const USD_RATES: Record<string, number> = {
  USD: 1,
  MXN: 18.37,
  EUR: 0.92,
  GBP: 0.79,
  PHP: 56.1,
  INR: 83.2,
  CAD: 1.36,
  BRL: 5.02,
};

type Entry = Omit<Destination, 'destination_token'>;
const entry = (payer_name: string, company_name: string, delivery_type: DeliveryType, country_code: string, currency: string, fee = 1.5): Entry => ({
  payer_name,
  company_name,
  delivery_type,
  country_code,
  currency,
  fee,
  min_limit: 0,
  max_limit: 10_000,
});

/** The six destinations whose tokens DESIGN §3 fixes; tests and demos rely on them. */
const FIXED: [string, Entry][] = [
  ['dest_1a6f3c0e-8d2b-4c59-9e71-2f4b8a0d6c11', entry('Evergreen Bank', 'Evergreen Financial', 'BANK_DEPOSIT', 'USA', 'USD')],
  ['dest_2b7a4d1f-9e3c-4d6a-8f82-3a5c9b1e7d22', entry('Lakeside Credit Union', 'Lakeside Cooperative', 'BANK_DEPOSIT', 'USA', 'USD')],
  ['dest_3c8b5e2a-af4d-4e7b-9a93-4b6dac2f8e33', entry('QuickCash Wallet', 'QuickCash Inc.', 'MOBILE_WALLET', 'USA', 'USD', 0.5)],
  ['dest_4d9c6f3b-b05e-4f8c-8ba4-5c7ebd3a9f44', entry('Banco Ejemplo', 'Grupo Ejemplo', 'BANK_DEPOSIT', 'MEX', 'MXN', 2)],
  ['dest_5eadb04c-c16f-409d-9cb5-6d8fce4ba055', entry('Rhein Sparkasse Beispiel', 'Rhein Finanz', 'BANK_DEPOSIT', 'DEU', 'EUR', 1)],
  ['dest_6fbec15d-d270-41ae-8dc6-7e9adf5cb166', entry('Example Card Services', 'Example Card Services', 'MASSPAY_CARD', 'USA', 'USD', 0)],
];

/** Generated destinations: at least six more across at least four countries and currencies. */
const GENERATED: Entry[] = [
  entry('Northwind Bank', 'Northwind Financial', 'BANK_DEPOSIT', 'USA', 'USD'),
  entry('Harbor Savings', 'Harbor Group', 'BANK_DEPOSIT', 'USA', 'USD'),
  entry('Summit Mobile Pay', 'Summit Payments', 'MOBILE_WALLET', 'USA', 'USD', 0.75),
  entry('Prairie Check Services', 'Prairie Services', 'PAPER_CHECK', 'USA', 'USD', 3),
  entry('Efectivo Ejemplo', 'Grupo Ejemplo', 'CASH_PICKUP', 'MEX', 'MXN', 4),
  entry('Berlin Mobil Beispiel', 'Rhein Finanz', 'MOBILE_WALLET', 'DEU', 'EUR', 0.5),
  entry('Banque Exemple', 'Banque Exemple SA', 'BANK_DEPOSIT', 'FRA', 'EUR'),
  entry('Thames Bank Example', 'Thames Holdings', 'BANK_DEPOSIT', 'GBR', 'GBP'),
  entry('Pound Mobile Example', 'Thames Holdings', 'MOBILE_WALLET', 'GBR', 'GBP', 0.5),
  entry('Manila Padala Example', 'Padala Group', 'CASH_PICKUP', 'PHL', 'PHP', 3),
  entry('Isla Bank Example', 'Padala Group', 'BANK_DEPOSIT', 'PHL', 'PHP'),
  entry('Mumbai Bank Example', 'Mumbai Financial', 'BANK_DEPOSIT', 'IND', 'INR'),
  entry('Maple Bank Example', 'Maple Group', 'BANK_DEPOSIT', 'CAN', 'CAD'),
  entry('Banco Exemplo', 'Grupo Exemplo', 'BANK_DEPOSIT', 'BRA', 'BRL'),
];

export const DESTINATIONS: Destination[] = [
  ...FIXED.map(([destination_token, e]) => ({ destination_token, ...e })),
  ...GENERATED.map((e) => ({ destination_token: `dest_${stableUuid(`destination:${e.payer_name}`)}`, ...e })),
];

const byToken = new Map(DESTINATIONS.map((d) => [d.destination_token, d]));
export const findDestination = (token: string): Destination | undefined => byToken.get(token);

/** A 1×1 transparent PNG: enough to exercise the logo fields without bloating answers. */
const TINY_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

export const toPayer = (d: Destination, withLogo = false): Payer => ({
  destination_token: d.destination_token,
  payer_name: d.payer_name,
  ...(withLogo ? { payer_logo: TINY_PNG } : {}),
  exchange_rate: [{ currency_symbol: d.currency, exchange_rate: USD_RATES[d.currency] ?? 1 }],
  fee: d.fee,
  max_limit: d.max_limit,
  min_limit: d.min_limit,
  number_of_locations: d.delivery_type === 'CASH_PICKUP' ? 1200 : 0,
  additional_description: `${d.payer_name} (sandbox)`,
  is_dynamic_token: false,
});

export const toService = (d: Destination, withLogo = false): Service => ({
  country_code: d.country_code,
  delivery_type: d.delivery_type,
  payers: [toPayer(d, withLogo)],
});

/** Groups destinations by company, then by delivery type, as `CompaniesResp` does. */
export const toCompanies = (destinations: readonly Destination[], withLogo = false): Company[] => {
  const companies = new Map<string, Company>();
  for (const d of destinations) {
    let company = companies.get(d.company_name);
    if (!company) {
      company = {
        company_name: d.company_name,
        description: `${d.company_name} payouts (sandbox)`,
        rating: 4.5,
        company_logo: withLogo ? TINY_PNG : '',
        services: [],
      };
      companies.set(d.company_name, company);
    }
    const service = company.services.find((s) => s.delivery_type === d.delivery_type);
    if (service) service.payers.push(toPayer(d, withLogo));
    else company.services.push(toService(d, withLogo));
  }
  return [...companies.values()];
};
