import { createHash } from 'node:crypto';

/**
 * A UUID (v4 layout) derived from a name: the seed's tokens are "generated but stable across
 * resets" (DESIGN §3), so the same name always gives the same token.
 */
export const stableUuid = (name: string): string => {
  const hex = createHash('sha256').update(`masspay-sandbox:${name}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/** A small deterministic PRNG (mulberry32) for the generated part of the seed. */
export const createRandom = (seed: number) => {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  return { next, int, pick };
};
export type Random = ReturnType<typeof createRandom>;
