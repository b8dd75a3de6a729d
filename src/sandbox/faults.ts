import { z } from 'zod';

/**
 * Fault injection for tests (off by default): added latency, a random failure rate, and "fail the
 * next N requests" with a status or a dropped connection — before the request is handled, or after
 * (the change is made and stored, but the client never learns it: the case idempotency exists for).
 */
export const faultSettingsSchema = z.strictObject({
  latencyMs: z.number().int().min(0).max(120_000).default(0),
  /** Only these methods are slowed (all when absent): a slow write behind fast reads. */
  latencyMethods: z.array(z.enum(['GET', 'POST', 'DELETE', 'PUT'])).optional(),
  failureRate: z.number().min(0).max(1).default(0),
  failureStatus: z.number().int().min(400).max(599).default(500),
  failNext: z
    .strictObject({
      count: z.number().int().min(1).max(10_000),
      status: z.number().int().min(400).max(599).optional(),
      drop: z.boolean().default(false),
      phase: z.enum(['before', 'after']).default('before'),
      methods: z.array(z.enum(['GET', 'POST', 'DELETE', 'PUT'])).optional(),
    })
    .refine((f) => f.drop || f.status !== undefined, 'failNext needs a status or drop: true')
    .optional(),
});
export type FaultSettings = z.output<typeof faultSettingsSchema>;
export type FaultSettingsInput = z.input<typeof faultSettingsSchema>;

export interface Fault {
  status: number;
  drop: boolean;
  phase: 'before' | 'after';
}

export class FaultInjector {
  settings: FaultSettings;

  constructor(
    initial: FaultSettingsInput = {},
    private readonly random: () => number = Math.random,
  ) {
    this.settings = faultSettingsSchema.parse(initial);
  }

  set(input: FaultSettingsInput) {
    this.settings = faultSettingsSchema.parse(input);
  }

  clear() {
    this.settings = faultSettingsSchema.parse({});
  }

  /** The latency this request gets. */
  latencyFor(method: string): number {
    const { latencyMs, latencyMethods } = this.settings;
    return latencyMethods && !latencyMethods.includes(method as 'GET') ? 0 : latencyMs;
  }

  /** Decides, once per request, whether this one fails and how. */
  next(method: string): Fault | undefined {
    const { failNext } = this.settings;
    if (failNext && (!failNext.methods || failNext.methods.includes(method as 'GET'))) {
      if (failNext.count <= 1) this.settings = { ...this.settings, failNext: undefined };
      else this.settings = { ...this.settings, failNext: { ...failNext, count: failNext.count - 1 } };
      return { status: failNext.status ?? 500, drop: failNext.drop, phase: failNext.phase };
    }
    if (this.settings.failureRate > 0 && this.random() < this.settings.failureRate) {
      return { status: this.settings.failureStatus, drop: false, phase: 'before' };
    }
    return undefined;
  }
}
