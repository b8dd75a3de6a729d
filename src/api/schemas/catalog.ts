import { z } from 'zod/mini';

export const DELIVERY_TYPES = [
  'CASH_PICKUP',
  'BANK_DEPOSIT',
  'HOME_DELIVERY',
  'MOBILE_WALLET',
  'MASSPAY_CARD',
  'PAPER_CHECK',
  'BILL',
  'CRYPTOCURRENCY',
] as const;
export const deliveryTypeSchema = z.enum(DELIVERY_TYPES);
export type DeliveryType = z.infer<typeof deliveryTypeSchema>;

export const payerSchema = z.object({
  destination_token: z.string(),
  payer_name: z.string(),
  payer_logo: z.optional(z.string()),
  exchange_rate: z.array(z.object({ currency_symbol: z.string(), exchange_rate: z.number() })),
  fee: z.number(),
  max_limit: z.number(),
  min_limit: z.number(),
  source_amount: z.optional(z.number()),
  number_of_locations: z.optional(z.number()),
  estimated_availability: z.optional(z.string()),
  additional_description: z.optional(z.string()),
  is_dynamic_token: z.optional(z.boolean()),
});
export type Payer = z.infer<typeof payerSchema>;

/** `Service` (#9): a delivery type in a country, with its payers. */
export const serviceSchema = z.object({
  country_code: z.string(),
  delivery_type: deliveryTypeSchema,
  payers: z.array(payerSchema),
});
export type Service = z.infer<typeof serviceSchema>;

export const companySchema = z.object({
  company_name: z.string(),
  description: z.string(),
  rating: z.number(),
  company_logo: z.string(),
  services: z.array(serviceSchema),
});
export type Company = z.infer<typeof companySchema>;

/** `CompaniesResp` (#12, services in a country). */
export const companiesSchema = z.object({ companies: z.array(companySchema) });
export type Companies = z.infer<typeof companiesSchema>;

export const countrySchema = z.object({
  code: z.string(),
  name: z.string(),
  three_letter_code: z.string(),
});
export type Country = z.infer<typeof countrySchema>;
export const countryListSchema = z.array(countrySchema);

/** A destination's currency is its payer's `exchange_rate[].currency_symbol` (masspay-api.md §12). */
export const payerCurrency = (payer: Pick<BrowserPayer, 'exchange_rate'>): string | undefined => payer.exchange_rate[0]?.currency_symbol;

/**
 * What the browser gets of the catalog (#9, #12): enough to name a destination (payer, delivery type,
 * country, currency) and to offer it in the add form. No logos, limits or fees; the delivery type as
 * any string, so a kind MassPay adds later still shows.
 */
export const browserPayerSchema = z.object({
  destination_token: z.string(),
  payer_name: z.string(),
  exchange_rate: z.array(z.object({ currency_symbol: z.string() })),
});
export type BrowserPayer = z.infer<typeof browserPayerSchema>;

export const browserServiceSchema = z.object({
  country_code: z.string(),
  delivery_type: z.string(),
  payers: z.array(browserPayerSchema),
});
export type BrowserService = z.infer<typeof browserServiceSchema>;

export const browserCompaniesSchema = z.object({
  companies: z.array(z.object({ services: z.array(browserServiceSchema) })),
});
export type BrowserCompanies = z.infer<typeof browserCompaniesSchema>;

export const browserCountryListSchema = z.array(z.pick(countrySchema, { name: true, three_letter_code: true }));
export type BrowserCountry = z.infer<typeof browserCountryListSchema>[number];
