/**
 * Uniform numbers in [0, 1) from a seed (mulberry32): `seed * 1103515245` in doubles loses its low bits, and that
 * generator cycled after ~14,000 draws.
 */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A source of pseudo-random bytes from a seed (xorshift32), the same on every run: noise no one would take for text,
 * for fixtures and benchmark inputs.
 */
export function seededBytes(seed: number): (length: number) => Buffer {
  let state = seed >>> 0 || 1;
  return (length) => {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      out[i] = (state >>> 0) & 0xff;
    }
    return out;
  };
}
