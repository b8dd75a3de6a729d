import type { z } from 'zod/mini';
import { massPayErrorBody, zodFieldIssues, type FieldIssue, type MassPayErrorStatus } from '../api';

/** A refusal the sandbox answers with MassPay's error body for `status`. */
export class SandboxError extends Error {
  constructor(
    readonly status: MassPayErrorStatus,
    readonly reason?: string,
    readonly issues: readonly FieldIssue[] = [],
  ) {
    super(reason ?? `MassPay error ${status}`);
  }

  get body() {
    return massPayErrorBody(this.status, this.reason === undefined ? undefined : { reason: this.reason, issues: this.issues });
  }
}

export const badRequest = (reason: string, field?: string) => new SandboxError(400, reason, field === undefined ? [] : [{ field, message: reason }]);

export const notFound = (reason: string) => new SandboxError(404, reason);

/** Parses `value` with `schema` or throws a 400 naming every offending field. */
export const parseOr400 = <T extends z.ZodMiniType>(schema: T, value: unknown, what: string): z.output<T> => {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = zodFieldIssues(result.error);
  const first = issues[0];
  const reason = !first ? `Invalid ${what}` : first.field ? `${first.field}: ${first.message}` : `Invalid ${what}: ${first.message}`;
  throw new SandboxError(400, reason, issues);
};
