// Fuzz generators and driver for the container header and chunk parsers, shared by
// tests/reliability/parser-fuzz.int.test.ts and scripts/fuzz-parser.mjs. Plain ESM over the built
// packages; types are in parser-fuzz.d.mts.
import { Pipeline, PipelineError, PipelineStage, StageConfiguration } from '@adapipe/core';
import { encodePreamble, encodeRecord, headerMac, MAGIC, parseContainer, sha256 } from './container-framing.mjs';

/** The raw key seed containers are encrypted with (the same bytes as the tests' `testKey`). */
export const FUZZ_KEY = Uint8Array.from({ length: 32 }, (_, index) => index + 1);
const keySecret = Object.freeze({ kind: 'key', key: FUZZ_KEY });
const passwordSecret = Object.freeze({ kind: 'password', password: new TextEncoder().encode('correct horse battery staple') });
const cheapScrypt = { kdf: 'scrypt', scrypt_n: '1024', scrypt_r: '1', scrypt_p: '1' };

/** The operations every input goes through. */
export const FUZZ_OPERATIONS = Object.freeze(['readHeader', 'verifyHeader', 'verify', 'restore']);
/** The input families. */
export const FUZZ_FAMILIES = Object.freeze(['random-bytes', 'mutated-container', 'json-header']);

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

/** The seed of input `index` of a run seeded with `seed` (splitmix32), so any input can be replayed alone. */
export function inputSeed(seed, index) {
  let z = (Math.imul(seed >>> 0, 0x9e3779b1) + Math.imul(index + 1, 0x85ebca6b)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

const seedSpecs = [
  { name: 'default, key', secret: keySecret, size: 3000, chunkSize: 1024, stages: [['checksum', 'sha256'], ['compression', 'zstd', { level: '3' }], ['encryption', 'aes-256-gcm'], ['checksum', 'sha256']] },
  { name: 'chacha20, scrypt password', secret: passwordSecret, size: 5000, chunkSize: 2048, stages: [['compression', 'zstd', { level: '1' }], ['encryption', 'chacha20-poly1305', cheapScrypt]] },
  { name: 'gzip + xchacha20, key', secret: keySecret, size: 2100, chunkSize: 1024, stages: [['checksum', 'sha512'], ['compression', 'gzip', { level: '1' }], ['encryption', 'xchacha20-poly1305']] },
  { name: 'checksum + zstd + checksum', secret: undefined, size: 2500, chunkSize: 1024, stages: [['checksum', 'sha256'], ['compression', 'zstd', { level: '3' }], ['checksum', 'sha256']] },
  { name: 'brotli + blake3', secret: undefined, size: 4000, chunkSize: 1024, stages: [['compression', 'brotli', { level: '1' }], ['checksum', 'blake3']] },
  { name: 'lz4', secret: undefined, size: 1500, chunkSize: 1024, stages: [['compression', 'lz4']] },
  { name: 'passthrough, empty', secret: undefined, size: 0, chunkSize: 1024, stages: [['passthrough', 'passthrough']] },
];

/**
 * Valid containers to mutate, made by `runner` deterministically (the run's random source is seeded):
 * several pipelines, encrypted with a key or a cheap scrypt password, or not encrypted.
 */
export async function makeSeedContainers(runner, seed = 1) {
  const seeds = [];
  for (const [index, spec] of seedSpecs.entries()) {
    const random = createRandom(inputSeed(seed, 1_000_000 + index));
    const input = textLike(random, spec.size);
    const pipeline = new Pipeline(
      `fuzz-${index}`,
      spec.stages.map(([type, algorithm, parameters], order) => new PipelineStage(`${order}-${type}`, type, new StageConfiguration(algorithm, parameters ?? {}), order)),
    );
    const options = { pipeline, chunkSize: spec.chunkSize, random: (length) => new Uint8Array(random.bytes(length)), ...(spec.secret ? { secret: spec.secret } : {}) };
    const bytes = await collect(runner.process(piecesOf(input, 4096), options).output);
    seeds.push({ name: spec.name, bytes, input, secret: spec.secret });
  }
  return seeds;
}

function textLike(random, size) {
  const words = ['adapipe', 'chunk', 'header', 'trailer', 'the', 'of', 'stage', '\n', 'zstd', '0123456789'];
  const parts = [];
  let length = 0;
  while (length < size) {
    const word = random.chance(0.1) ? random.bytes(random.range(1, 16)) : Buffer.from(`${random.pick(words)} `);
    parts.push(word);
    length += word.length;
  }
  return Buffer.concat(parts).subarray(0, size);
}

/** One generated input: its family, what was done, the bytes, the secret to try and the seed it came from. */
function input(family, detail, bytes, secret, seed) {
  return { family, detail, bytes, secret, seed };
}

/** Deepest JSON nesting generated by default: deep enough for the parser, shallow enough for the RSS bound. */
export const DEFAULT_MAX_NESTING_DEPTH = 10_000;

/**
 * Generates the input for `seed` from `seeds` (the valid containers). `maxNestingDepth` bounds the
 * nesting of generated header JSON (up to 400 000 reaches the 1 MiB header limit).
 */
export function generateInput(seed, seeds, { maxNestingDepth = DEFAULT_MAX_NESTING_DEPTH } = {}) {
  const random = Object.assign(createRandom(seed), { maxNestingDepth });
  const family = random.pick(FUZZ_FAMILIES);
  if (family === 'random-bytes') return randomBytesInput(random);
  const base = random.pick(seeds);
  const secret = random.chance(0.85) ? base.secret : random.pick([keySecret, passwordSecret, undefined]);
  return family === 'mutated-container' ? mutatedContainerInput(random, base, secret) : jsonHeaderInput(random, base, secret);
}

function randomLength(random) {
  const roll = random.int(100);
  if (roll < 60) return random.int(65);
  if (roll < 90) return random.range(64, 4096);
  return random.range(4096, 256 * 1024);
}

function randomBytesInput(random) {
  const body = random.bytes(randomLength(random));
  const secret = random.pick([keySecret, passwordSecret, undefined]);
  switch (random.int(4)) {
    case 0:
      return input('random-bytes', 'random', body, secret);
    case 1:
      return input('random-bytes', 'magic + random', Buffer.concat([MAGIC, body]), secret);
    case 2: {
      const preamble = encodePreamble(random.pick([0, 1, body.length, random.u32(), 0xffffffff, 1 << 20, (1 << 20) + 1]), { version: 1, flags: random.int(2) });
      return input('random-bytes', 'preamble + random', Buffer.concat([preamble, body]), secret);
    }
    default: {
      const preamble = encodePreamble(body.length, { version: 1, flags: random.int(2) });
      const covered = Buffer.concat([preamble, body]);
      return input('random-bytes', 'preamble + random header with its checksum', Buffer.concat([covered, sha256(covered), random.bytes(randomLength(random))]), secret);
    }
  }
}

const extremeU32 = [0, 1, 2, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 0xffff, 0x10000, 0x10001, 1 << 20, (1 << 20) + 1];

function mutatedContainerInput(random, base, secret) {
  let bytes = Buffer.from(base.bytes);
  const layout = parseContainer(base.bytes);
  const done = [];
  for (let count = random.range(1, 4); count > 0; count--) {
    const operation = random.int(6);
    if (operation === 0) {
      const at = random.int(bytes.length);
      const run = random.chance(0.5) ? random.bytes(random.range(1, 64)) : Buffer.alloc(random.range(1, 64), random.pick([0x00, 0xff, 0x7b, 0x22]));
      run.copy(bytes, at);
      done.push(`overwrite ${run.length}@${at}`);
    } else if (operation === 1) {
      const at = 16 + random.int(layout.json.length);
      const junk = Buffer.from(random.pick(['{', '}', '[', ']', '"', ',', ':', '\\', '\\u00', 'null', '1e999', '"stages":[]', '\u0000', '\ud83d\ude00']).repeat(random.range(1, 40)));
      bytes = Buffer.concat([bytes.subarray(0, at), junk, bytes.subarray(at)]);
      const fixLength = random.chance(0.7);
      if (fixLength) bytes.writeUInt32BE((bytes.readUInt32BE(12) + junk.length) >>> 0, 12);
      const end = 16 + bytes.readUInt32BE(12);
      if (fixLength && end + 32 <= bytes.length && random.chance(0.7)) sha256(bytes.subarray(0, end)).copy(bytes, end);
      done.push(`header splice ${junk.length}@${at}${fixLength ? ' (length fixed)' : ''}`);
    } else if (operation === 2) {
      const record = random.pick(layout.records);
      const field = random.pick([['header length', 12], ['sequence', record.start + 2], ['metadata length', record.start + 6], ['payload length', record.start + 10]]);
      const value = random.chance(0.8) ? random.pick(extremeU32) : random.u32();
      if (field[1] + 4 <= bytes.length) bytes.writeUInt32BE(value >>> 0, field[1]);
      done.push(`${field[0]} = 0x${(value >>> 0).toString(16)}`);
    } else if (operation === 3) {
      const record = random.pick(layout.records);
      const cut = record.start + random.range(1, record.end - record.start - 1);
      const resume = random.chance(0.5) ? record.end : bytes.length;
      bytes = Buffer.concat([bytes.subarray(0, cut), bytes.subarray(Math.min(resume, bytes.length))]);
      done.push(`record cut at ${cut}${resume === record.end ? ', rest kept' : ''}`);
    } else if (operation === 4) {
      const from = random.int(bytes.length);
      const slice = bytes.subarray(from, from + random.range(1, 256));
      const at = random.int(bytes.length + 1);
      bytes = Buffer.concat([bytes.subarray(0, at), slice, bytes.subarray(at)]);
      done.push(`copy ${slice.length} from ${from} to ${at}`);
    } else {
      const record = random.pick(layout.records);
      const rewritten = encodeRecord({ ...record, flags: random.pick([0, 1, 2, 0xff]), type: random.pick([0x43, 0x54, 0x00, 0x63]), sequence: random.pick([record.sequence, 0, 1, 0xffffffff, 0xfffffffe]) }, layout.headerDigest);
      bytes = Buffer.concat([bytes.subarray(0, record.start), rewritten, bytes.subarray(record.end)]);
      done.push(`record ${record.sequence} re-framed with a valid CRC`);
    }
  }
  return input('mutated-container', `${base.name}: ${done.join('; ')}`, bytes, secret, base);
}

/** A fragment of JSON text put in place as is (for what `JSON.stringify` cannot produce). */
class RawJson {
  constructor(text) {
    this.text = text;
  }
}

function serialize(value) {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(serialize).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([key, entry]) => `${JSON.stringify(key)}:${serialize(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const stageTypes = ['compression', 'encryption', 'transform', 'checksum', 'passthrough', 'Compression', 'ENCRYPTION', 'quantum', '', '__proto__', 'constructor'];
const algorithms = ['zstd', 'gzip', 'brotli', 'lz4', 'aes-256-gcm', 'chacha20-poly1305', 'xchacha20-poly1305', 'sha256', 'sha512', 'blake3', 'passthrough', 'zstd-future', '', '__proto__', 'ZSTD', 'aes256gcm'];
const parameterKeys = ['level', 'kdf', 'password', 'key', 'salt', 'algorithm', 'argon2_memory_kib', 'argon2_iterations', 'scrypt_n', 'scrypt_r', 'scrypt_p', 'window', 'unknown', '__proto__', 'constructor'];
const weirdStrings = ['', '0', '-1', '1e3', '0x10', ' 8', '8 ', '99999999999999999999', '4294967296', 'NaN', 'Infinity', '1.5', '٣', 'none', 'scrypt', 'argon2id', 'aes-256-gcm', 'zz', '00'.repeat(31), '00'.repeat(32), 'ff'.repeat(33)];
const weirdNumbers = [0, 1, -1, 1.5, 1023, 1024, 1025, 2 ** 20, 100 * 2 ** 20, 100 * 2 ** 20 + 1, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2, 1e308, -1024];
const rawNumbers = ['1e999', '-1e999', '123456789012345678901234567890', '1E400', '-0', '0.000001', '1024.0000000000001'];

function deepNesting(random) {
  const depth = Math.min(random.maxNestingDepth, random.pick([64, 1000, 10_000, 100_000, 400_000]));
  const [open, close] = random.chance(0.5) ? ['[', ']'] : ['{"a":', '}'];
  return new RawJson(`${open.repeat(depth)}${open === '[' ? '' : '0'}${close.repeat(depth)}`);
}

function randomValue(random, depth = 0) {
  switch (random.int(depth > 3 ? 6 : 9)) {
    case 0:
      return null;
    case 1:
      return random.chance(0.5);
    case 2:
      return random.pick(weirdNumbers);
    case 3:
      return new RawJson(random.pick(rawNumbers));
    case 4:
      return random.pick(weirdStrings);
    case 5:
      return random.pick(['x', '\u0000', '\ud800', 'é', '\u202e']).repeat(random.pick([1, 100, 5000, 70_000]));
    case 6:
      return Array.from({ length: random.int(4) }, () => randomValue(random, depth + 1));
    case 7:
      return Array.from({ length: random.int(4) }, () => [random.pick(parameterKeys), randomValue(random, depth + 1)]).reduce((object, [key, value]) => {
        setOwn(object, key, value);
        return object;
      }, {});
    default:
      return deepNesting(random);
  }
}

function mutateStage(random, stage) {
  const field = random.pick(['name', 'type', 'algorithm', 'parameters', 'parallelProcessing', 'runParameters', 'package']);
  const roll = random.int(5);
  if (roll === 0) {
    delete stage[field];
    return `stage.${field} deleted`;
  }
  if (roll === 1 && (field === 'parameters' || field === 'runParameters')) {
    const map = stage[field] !== null && typeof stage[field] === 'object' ? stage[field] : (stage[field] = {});
    const key = random.chance(0.5) && Object.keys(map).length > 0 ? random.pick(Object.keys(map)) : random.pick(parameterKeys);
    setOwn(map, key, random.chance(0.8) ? random.pick(weirdStrings) : randomValue(random));
    return `stage.${field}.${key} changed`;
  }
  if (roll === 2 && field === 'type') stage.type = random.pick(stageTypes);
  else if (roll === 2 && field === 'algorithm') stage.algorithm = random.pick(algorithms);
  else stage[field] = randomValue(random);
  return `stage.${field} replaced`;
}

/** The stage's fields that are short strings (so a thousand copies stay a small header). */
function leanStage(stage) {
  const lean = { parameters: {}, parallelProcessing: true, runParameters: {} };
  for (const field of ['type', 'algorithm', 'package']) if (typeof stage?.[field] === 'string' && stage[field].length < 64) lean[field] = stage[field];
  return lean;
}

/** Sets an own enumerable property, even `__proto__` (as `JSON.parse` would create it). */
function setOwn(object, key, value) {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

function mutateHeader(random, header) {
  const stages = Array.isArray(header.stages) ? header.stages : undefined;
  switch (random.int(8)) {
    case 0: {
      const key = random.pick(['fileId', 'pipeline', 'chunkSize', 'digestAlgorithm', 'stages']);
      delete header[key];
      return `${key} deleted`;
    }
    case 1: {
      const key = random.pick(['fileId', 'pipeline', 'chunkSize', 'digestAlgorithm', 'stages', 'extra', '__proto__']);
      setOwn(header, key, randomValue(random));
      return `${key} replaced`;
    }
    case 2:
      header.chunkSize = random.chance(0.7) ? random.pick(weirdNumbers) : new RawJson(random.pick(rawNumbers));
      return 'chunkSize extreme';
    case 3:
      header.fileId = random.pick(['', 'F'.repeat(32), '0'.repeat(31), '0'.repeat(33), 'g'.repeat(32), '0'.repeat(64)]);
      return 'fileId malformed';
    case 4:
      if (stages === undefined || stages.length === 0) return 'no stage to change';
      const index = random.int(stages.length);
      stages[index] = { ...stages[index] };
      return mutateStage(random, stages[index]);
    case 5:
      if (stages === undefined) return 'no stages';
      switch (random.int(5)) {
        case 0:
          header.stages = [];
          return 'stages emptied';
        case 1:
          header.stages = Array.from({ length: random.pick([64, 65, 1000]) }, (_, index) => ({ ...leanStage(stages[index % Math.max(1, stages.length)]), name: `s${index}` }));
          return `${header.stages.length} stages`;
        case 2:
          header.stages = [...stages].reverse();
          return 'stages reversed';
        case 3:
          header.stages = [...stages, { ...stages[0] }];
          return 'stage repeated';
        default:
          header.stages = [...stages, { name: 'extra', type: random.pick(stageTypes), algorithm: random.pick(algorithms), parameters: {}, parallelProcessing: true, runParameters: {}, package: 'adapipe-plugin-extra' }];
          return 'stage added';
      }
    case 6:
      header[random.pick(['pipeline', 'extra', 'fileId'])] = random.chance(0.5) ? deepNesting(random) : 'p'.repeat(random.pick([4096, 4097, 1 << 19, (1 << 20) + 1]));
      return 'deep or long value';
    default:
      return 'unchanged';
  }
}

function jsonHeaderInput(random, base, secret) {
  const layout = parseContainer(base.bytes);
  const original = JSON.parse(layout.json.toString('utf8'));
  let header = structuredClone(original);
  const done = [];
  if (random.chance(0.08)) {
    header = randomValue(random);
    done.push('header replaced by a random value');
  } else {
    for (let count = random.range(1, 4); count > 0; count--) done.push(mutateHeader(random, header));
  }
  let json = serializeAtMost(header, 4 << 20);
  if (random.chance(0.05)) {
    const at = random.int(json.length);
    json = Buffer.concat([json.subarray(0, at), Buffer.from([random.pick([0xff, 0xc3, 0xed, 0x80])]), json.subarray(at)]);
    done.push('invalid UTF-8');
  }
  const flags = random.chance(0.85) ? layout.flags : random.pick([0, 1, 2, 0xffff]);
  const length = random.chance(0.95) ? json.length : json.length + random.pick([-1, 1, 16]);
  const covered = Buffer.concat([encodePreamble(Math.max(0, length), { version: 1, flags }), json]);
  const salt = encryptionSalt(header);
  const mac = (flags & 1) === 0 ? [] : [salt !== undefined && secret?.kind === 'key' ? headerMac(FUZZ_KEY, salt, covered) : random.bytes(32)];
  const records = layout.records;
  const digest = sha256(covered);
  const tails = [
    ['records re-bound', () => Buffer.concat(records.map((record) => encodeRecord(record, digest)))],
    ['original records', () => Buffer.concat(records.map((record) => record.raw))],
    ['no records', () => Buffer.alloc(0)],
    ['random records', () => random.bytes(randomLength(random))],
  ];
  const [tailName, tail] = random.int(10) < 5 ? tails[0] : random.pick(tails);
  done.push(tailName);
  return input('json-header', `${base.name}: ${done.join('; ')}`, Buffer.concat([covered, digest, ...mac, tail()]), secret, base);
}

/** The header's JSON, or (when that is over `limit` bytes or too long for a string) one byte over the reader's 1 MiB limit. */
function serializeAtMost(header, limit) {
  try {
    const json = Buffer.from(serialize(header), 'utf8');
    if (json.length <= limit) return json;
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
  }
  return Buffer.from(`"${'x'.repeat((1 << 20) - 1)}"`);
}

function encryptionSalt(header) {
  if (header === null || typeof header !== 'object' || !Array.isArray(header.stages)) return undefined;
  const salt = header.stages.find((stage) => stage?.type === 'encryption')?.runParameters?.salt;
  return typeof salt === 'string' && /^[0-9a-f]{64}$/.test(salt) ? salt : undefined;
}

/** `bytes` as an async stream of pieces of `size` bytes. */
export async function* piecesOf(bytes, size) {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

async function collect(iterable) {
  const parts = [];
  for await (const part of iterable) parts.push(part);
  return Buffer.concat(parts);
}

function withTimeout(promise, milliseconds) {
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ status: 'timeout' }), milliseconds);
  });
  const settled = promise.then(
    (value) => ({ status: 'ok', value }),
    (error) => ({ status: 'error', error }),
  );
  return Promise.race([settled, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Runs one input through every operation. Returns the outcome of each (`ok`, a `PipelineError`
 * kind) and, when one broke the contract, what: a raw error, a timeout, or restored bytes that are
 * not the original of the container it was derived from.
 */
export async function runInput(runner, generated, { timeoutMs = 5000 } = {}) {
  const { bytes, secret } = generated;
  const pieceSize = bytes.length <= 8192 ? [1, 7, 100, 4096, 65_536][bytes.length % 5] : 65_536;
  const source = () => piecesOf(bytes, pieceSize);
  const options = secret === undefined ? {} : { secret };
  const operations = {
    readHeader: () => runner.readHeader(source(), 'fuzz'),
    verifyHeader: () => runner.verifyHeader(source(), options, 'fuzz'),
    verify: () => runner.verify(source(), options, 'fuzz'),
    restore: () => collect(runner.restore(source(), options, 'fuzz').output),
  };
  const outcomes = {};
  for (const name of FUZZ_OPERATIONS) {
    const settled = await withTimeout(operations[name](), timeoutMs);
    if (settled.status === 'timeout') return { outcomes, failure: { operation: name, problem: `did not settle within ${timeoutMs} ms` } };
    if (settled.status === 'error') {
      if (!PipelineError.is(settled.error)) {
        const error = settled.error;
        return { outcomes, failure: { operation: name, problem: `raw ${error?.name ?? typeof error}: ${error?.message ?? String(error)}`, stack: error?.stack } };
      }
      outcomes[name] = settled.error.kind;
      continue;
    }
    outcomes[name] = 'ok';
    if (name === 'restore' && generated.seed !== undefined && Buffer.compare(settled.value, generated.seed.input) !== 0) {
      return { outcomes, failure: { operation: name, problem: `restored ${settled.value.length} bytes that are not the original of '${generated.seed.name}'` } };
    }
  }
  return { outcomes };
}

/**
 * Fuzzes for `seconds` (or `maxInputs`), from `seed`. Reports inputs tried, outcomes per operation
 * and kind, inputs per family, every failure with its input seed and bytes, and the RSS growth: the
 * highest RSS after a warm-up (a quarter of the time box, at most 2000 inputs, while V8 sizes its
 * heap) above the highest RSS during it, and the largest RSS jump over one input — what an input
 * that allocates absurdly would show.
 */
export async function fuzz({ runner, seconds, seed, timeoutMs = 5000, maxInputs = Number.POSITIVE_INFINITY, maxNestingDepth, onFailure = () => {}, onProgress = () => {} }) {
  const seeds = await makeSeedContainers(runner, seed);
  const outcomes = Object.fromEntries(FUZZ_OPERATIONS.map((name) => [name, {}]));
  const families = Object.fromEntries(FUZZ_FAMILIES.map((name) => [name, 0]));
  const failures = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const warmUpUntil = started + Math.max(1000, seconds * 250);
  let warmUpPeak = 0;
  let peak = 0;
  let warm = false;
  let maxJump = 0;
  let inputs = 0;
  let lastProgress = started;
  for (let index = 0; index < maxInputs && performance.now() < deadline; index++) {
    const thisSeed = inputSeed(seed, index);
    const generated = generateInput(thisSeed, seeds, { maxNestingDepth });
    const before = process.memoryUsage().rss;
    const result = await runInput(runner, generated, { timeoutMs });
    inputs++;
    families[generated.family]++;
    for (const [name, outcome] of Object.entries(result.outcomes)) outcomes[name][outcome] = (outcomes[name][outcome] ?? 0) + 1;
    if (result.failure !== undefined) {
      const failure = { seed, index, inputSeed: thisSeed, family: generated.family, detail: generated.detail, ...result.failure, hex: generated.bytes.toString('hex') };
      failures.push(failure);
      await onFailure(failure);
    }
    const rss = process.memoryUsage().rss;
    maxJump = Math.max(maxJump, rss - before);
    warm ||= index >= 2000 || performance.now() >= warmUpUntil;
    if (warm) peak = Math.max(peak, rss);
    else warmUpPeak = Math.max(warmUpPeak, rss);
    if (performance.now() - lastProgress > 10_000) {
      lastProgress = performance.now();
      onProgress({ inputs, elapsedSeconds: (lastProgress - started) / 1000, failures: failures.length });
    }
  }
  const elapsedSeconds = (performance.now() - started) / 1000;
  return { seed, inputs, elapsedSeconds, perSecond: inputs / elapsedSeconds, outcomes, families, failures, rssGrowthBytes: Math.max(0, peak - warmUpPeak), rssPeakBytes: Math.max(peak, warmUpPeak), rssMaxJumpBytes: maxJump };
}

/** Regenerates and runs the single input of `inputSeed` (for a failure a run reported). */
export async function replayInput(runner, seed, thisInputSeed, { maxNestingDepth, ...options } = {}) {
  const seeds = await makeSeedContainers(runner, seed);
  const generated = generateInput(thisInputSeed, seeds, { maxNestingDepth });
  return { generated, result: await runInput(runner, generated, options) };
}
