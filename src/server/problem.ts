import type { FastifyReply, FastifyRequest } from 'fastify';
import { groupFieldIssues, massPayErrorSchema, parseFieldIssue, PROBLEM_CONTENT_TYPE, PROBLEM_TYPES, type FieldIssue, type Problem } from '../api';

const TITLES: Record<number, string> = {
  400: 'The request was refused',
  401: 'Not authorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  422: 'Unprocessable request',
  413: 'Request too large',
  415: 'Unsupported media type',
  429: 'Too many requests',
  500: 'Internal error',
  502: 'MassPay is unavailable',
  503: 'MassPay is unavailable',
  504: 'MassPay did not answer in time',
};

export const titleFor = (status: number) => TITLES[status] ?? (status >= 500 ? 'Server error' : 'The request was refused');

export interface ProblemInput {
  type: string;
  detail?: string;
  issues?: readonly FieldIssue[];
  source?: Problem['source'];
  title?: string;
}

/** The RFC 9457 body of a problem (also what the idempotency record keeps to replay). */
export const buildProblem = (request: FastifyRequest, status: number, input: ProblemInput): Problem => {
  const errors = input.issues ? groupFieldIssues(input.issues) : undefined;
  return {
    type: input.type,
    title: input.title ?? titleFor(status),
    status,
    ...(input.detail ? { detail: input.detail } : {}),
    ...(errors && Object.keys(errors).length > 0 ? { errors } : {}),
    source: input.source ?? 'console',
    requestId: request.id,
  };
};

/** Sends RFC 9457 problem+json; every error the console's server gives has this shape. */
export const sendProblem = (request: FastifyRequest, reply: FastifyReply, status: number, input: ProblemInput) =>
  reply
    .code(status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(buildProblem(request, status, input));

/**
 * MassPay's error body → a problem with MassPay's status kept: its `error.reason` becomes the
 * detail, and `error.details` written `field: message` become per-field errors.
 */
export const problemFromMassPay = (status: number, body: Buffer): ProblemInput => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const error = massPayErrorSchema.safeParse(parsed);
  if (!error.success) return { type: PROBLEM_TYPES.masspay, source: 'masspay', detail: `MassPay answered ${status}.` };
  const { reason, details = [] } = error.data.error ?? {};
  return {
    type: PROBLEM_TYPES.masspay,
    source: 'masspay',
    detail: reason ?? error.data.message,
    issues: details.map(parseFieldIssue),
  };
};
