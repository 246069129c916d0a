// A seeded PRNG shared by the reliability tests, the fuzz script and the SIGKILL loop script.

/** A small, fast, seeded PRNG (mulberry32) with the helpers the generators use. */
export function createRandom(seed) {
  let state = seed >>> 0;
  const u32 = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const int = (bound) => (bound <= 0 ? 0 : Math.floor((u32() / 2 ** 32) * bound));
  return {
    u32,
    int,
    range: (min, max) => min + int(max - min + 1),
    chance: (probability) => u32() / 2 ** 32 < probability,
    pick: (items) => items[int(items.length)],
    bytes: (length) => {
      const bytes = Buffer.allocUnsafe(length);
      let index = 0;
      for (; index + 4 <= length; index += 4) bytes.writeUInt32LE(u32(), index);
      for (; index < length; index++) bytes[index] = u32() & 0xff;
      return bytes;
    },
  };
}
