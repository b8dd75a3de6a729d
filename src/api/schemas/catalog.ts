import { z } from 'zod';

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
  payer_logo: z.string().optional(),
  exchange_rate: z.array(z.object({ currency_symbol: z.string(), exchange_rate: z.number() })),
  fee: z.number(),
  max_limit: z.number(),
  min_limit: z.number(),
  source_amount: z.number().optional(),
  number_of_locations: z.number().optional(),
  estimated_availability: z.string().optional(),
  additional_description: z.string().optional(),
  is_dynamic_token: z.boolean().optional(),
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
export const payerCurrency = (payer: Payer): string | undefined => payer.exchange_rate[0]?.currency_symbol;
