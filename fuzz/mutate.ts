// Seeded mutations of corpus inputs: the same seed gives the same inputs, so a crash the
// fuzzer reports can be replayed with `--seed`.

/** mulberry32: a small, fast, seedable PRNG; plenty for choosing mutations. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Random = () => number;

export function pick<T>(rng: Random, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

const INTERESTING = [0x00, 0x0a, 0x0d, 0x20, 0x22, 0x27, 0x2c, 0x3a, 0x3c, 0x7f, 0x80, 0xc3, 0xff];

/** One to four byte-level changes: flips, inserts, deletions, truncation, repeats, splices. */
export function mutate(rng: Random, input: Buffer, other: Buffer): Buffer {
  let data = Buffer.from(input);
  const rounds = 1 + Math.floor(rng() * 4);
  for (let round = 0; round < rounds; round++) {
    const at = Math.floor(rng() * (data.length + 1));
    switch (Math.floor(rng() * 7)) {
      case 0:
        if (data.length > 0) data[Math.min(at, data.length - 1)]! ^= 1 << Math.floor(rng() * 8);
        break;
      case 1:
        data = Buffer.concat([
          data.subarray(0, at),
          Buffer.from([pick(rng, INTERESTING)]),
          data.subarray(at),
        ]);
        break;
      case 2:
        data = Buffer.concat([data.subarray(0, at), data.subarray(at + 1 + Math.floor(rng() * 16))]);
        break;
      case 3:
        data = data.subarray(0, at);
        break;
      case 4: {
        const length = Math.floor(rng() * 64);
        const chunk = data.subarray(at, at + length);
        data = Buffer.concat([data.subarray(0, at), chunk, chunk, data.subarray(at)]);
        break;
      }
      case 5: {
        const from = Math.floor(rng() * (other.length + 1));
        data = Buffer.concat([data.subarray(0, at), other.subarray(from, from + Math.floor(rng() * 256))]);
        break;
      }
      default:
        if (data.length > 0) data[Math.min(at, data.length - 1)] = pick(rng, INTERESTING);
    }
  }
  return data;
}
