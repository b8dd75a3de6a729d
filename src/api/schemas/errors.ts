import { z } from 'zod/mini';

/**
 * MassPay's error bodies (`Error400`…`Error504` of the 1.0.0 SDK): a fixed `message` per status,
 * a numeric `code` (`Error504.code` is 500, sic), and for 400 an optional `error.reason/details`.
 */
export const MASSPAY_ERRORS = {
  400: {
    title: 'Bad request.',
    code: 400,
    message:
      'The request was invalid or malformed. Please ensure that the request body conforms to the required format and that all required parameters are included.',
  },
  401: {
    title: 'Unauthorized.',
    code: 401,
    message:
      'Authentication failed or credentials were not provided. Please ensure that you have provided valid API credentials and that they are authorized to access the MassPay API.',
  },
  403: {
    title: 'Forbidden.',
    code: 403,
    message:
      'The requested action is not allowed or the API credentials do not have sufficient permissions. Please ensure that the API credentials used for the request have the necessary permissions to perform the requested action.',
  },
  404: {
    title: 'Not found.',
    code: 404,
    message: 'The requested resource was not found. Please ensure that the URL for the request is correct and that the requested resource exists.',
  },
  405: {
    title: 'Method not allowed.',
    code: 405,
    message:
      'The HTTP method used for the request is not supported by the MassPay API. Please ensure that you are using the correct HTTP method (e.g., POST) for the specific MassPay API endpoint.',
  },
  409: { title: 'Still in use.', code: 409, message: 'The resource is still in use. Please try again later.' },
  500: {
    title: 'Internal server error.',
    code: 500,
    message: 'An unexpected error occurred on the server-side while processing the request. Please try again later or contact support if the issue persists.',
  },
  502: { title: 'Bad gateway.', code: 502, message: 'The server received an invalid response from an upstream server.' },
  503: { title: 'Service unavailable.', code: 503, message: 'The service is temporarily unavailable. Please try again later.' },
  504: {
    title: 'Gateway Time-out.',
    code: 500,
    message: 'The request timed out while waiting for a response from the server. Please try again later or contact support if the issue persists.',
  },
} as const;
export type MassPayErrorStatus = keyof typeof MASSPAY_ERRORS;
export const isMassPayErrorStatus = (status: number): status is MassPayErrorStatus => status in MASSPAY_ERRORS;

export const massPayErrorSchema = z.object({
  title: z.optional(z.string()),
  // A number in JS1, the string "400" in CS1 (open question 6): accept both.
  code: z.union([z.number(), z.string()]),
  message: z.string(),
  id: z.optional(z.string()),
  error: z.optional(
    z.object({
      reason: z.optional(z.string()),
      details: z.optional(z.array(z.string())),
    }),
  ),
});
export type MassPayError = z.infer<typeof massPayErrorSchema>;

/** A refusal of one field: `error.details` entries are written `field: message` so both ends can map them. */
export interface FieldIssue {
  field: string;
  message: string;
}

/** zod issues → field issues named by their path; an unknown key is named in the message. */
export const zodFieldIssues = (error: z.core.$ZodError): FieldIssue[] =>
  error.issues.map((issue) => ({
    field: issue.path.map(String).join('.'),
    message: issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}` : issue.message,
  }));

/** Field issues grouped by field, as problem+json's `errors` carries them (issues without a field left out). */
export const groupFieldIssues = (issues: readonly FieldIssue[]): Record<string, string[]> => {
  // A Map, not `{}`: a field named `__proto__` or `constructor` (it comes from the request) must be a
  // field like any other, not the object's prototype.
  const grouped = new Map<string, string[]>();
  for (const { field, message } of issues) if (field) grouped.set(field, [...(grouped.get(field) ?? []), message]);
  return Object.fromEntries(grouped);
};

export const formatFieldIssue = ({ field, message }: FieldIssue): string => (field ? `${field}: ${message}` : message);

/** Reads `error.details` back into fields; a detail without a `field:` prefix has field `''`. */
export const parseFieldIssue = (detail: string): FieldIssue => {
  const match = /^([a-z_][a-z0-9_.]*): (.+)$/s.exec(detail);
  return match ? { field: match[1]!, message: match[2]! } : { field: '', message: detail };
};

export const massPayErrorBody = (status: MassPayErrorStatus, cause?: { reason: string; issues?: readonly FieldIssue[] }): MassPayError => {
  const { title, code, message } = MASSPAY_ERRORS[status];
  return {
    title,
    code,
    message,
    ...(cause ? { error: { reason: cause.reason, details: (cause.issues ?? []).map(formatFieldIssue) } } : {}),
  };
};
