import { FileChunk } from '../domain/file-chunk.js';
import { PipelineStage } from '../domain/pipeline-stage.js';
import { ProcessingContext } from '../domain/processing-context.js';
import { PipelineError } from '../errors/pipeline-error.js';
import { capabilityServes } from '../executor/stage-capability.js';
import type { StageDirection, StageExecutor } from '../executor/stage-executor.js';
import { compressibleBytes, randomBytes } from './test-data.js';

/** A way of damaging a stage's output that the reverse direction is expected to notice. */
export type Corruption = 'bit-flip' | 'truncation' | 'garbage';

/** What to check: one executor and the stages (configurations) it must handle. */
export interface ConformanceSubject {
  /** The executor under test. */
  readonly executor: StageExecutor;
  /** One stage per configuration to check; each must be served by the executor. */
  readonly stages: readonly PipelineStage[];
  /** The chunk size the size cases are built around. Default 64 KiB. */
  readonly chunkSize?: number;
  /**
   * Builds the context of each run; set keys or other run values here. Forward and reverse runs of
   * one case get separate contexts, as a process and a later restore would.
   */
  readonly createContext?: (stage: PipelineStage, direction: StageDirection) => ProcessingContext | Promise<ProcessingContext>;
  /**
   * The corruptions `reverse` must reject with a {@link PipelineError}. Default: all three. Any
   * corruption it does reject must be rejected with a `PipelineError`, never another error.
   */
  readonly detects?: readonly Corruption[] | ((stage: PipelineStage) => readonly Corruption[]);
}

/** One named check; `run` rejects with an `Error` explaining the failure. */
export interface ConformanceCheck {
  readonly name: string;
  readonly run: () => Promise<void>;
}

const allCorruptions: readonly Corruption[] = ['bit-flip', 'truncation', 'garbage'];

/**
 * The conformance checks for an executor, framework-agnostic: register each with your test runner.
 * Every run starts at chunk 0, as a real run does. For every stage it checks that the executor serves it, round trips at sizes 0, 1, chunk−1, chunk,
 * chunk+1 and a random size on compressible and random data, keeps order under parallel execution
 * across a multi-chunk run, and rejects corrupted input with typed errors. `validate` must refuse an
 * unknown parameter and, for a capability that declares `parameters`, every field's invalid examples,
 * each with an `InvalidConfiguration` error naming the parameter.
 *
 * @example
 * ```ts
 * for (const check of stageExecutorConformanceChecks({ executor, stages })) {
 *   it(check.name, check.run);
 * }
 * ```
 */
export function stageExecutorConformanceChecks(subject: ConformanceSubject): ConformanceCheck[] {
  const chunkSize = subject.chunkSize ?? 64 * 1024;
  const checks: ConformanceCheck[] = [];
  for (const stage of subject.stages) {
    const label = `${stage.stageType}:${stage.algorithm} '${stage.name}'`;
    checks.push({ name: `${label} is served`, run: () => checkServed(subject.executor, stage) });
    checks.push({ name: `${label} rejects bad parameters at validation`, run: async () => checkBadParameters(subject.executor, stage) });
    const sizes = sizeCases(chunkSize, stage.name);
    for (const [dataName, makeData] of dataKinds) {
      for (const [sizeName, size] of sizes) {
        checks.push({
          name: `${label} round trips ${dataName} data of ${sizeName} (${size} bytes)`,
          run: () => checkRoundTrip(subject, stage, makeData(size)),
        });
      }
    }
    checks.push({
      name: `${label} keeps chunk order under parallel execution`,
      run: () => checkParallelOrder(subject, stage, chunkSize),
    });
    const detects = typeof subject.detects === 'function' ? subject.detects(stage) : (subject.detects ?? allCorruptions);
    for (const corruption of allCorruptions) {
      const required = detects.includes(corruption);
      checks.push({
        name: `${label} ${required ? 'rejects' : 'fails only with typed errors on'} ${corruption} input`,
        run: () => checkCorruption(subject, stage, chunkSize, corruption, required),
      });
    }
  }
  return checks;
}

/**
 * Runs every check and throws one error listing all failures.
 *
 * @throws {AggregateError} with one entry per failed check.
 */
export async function assertStageExecutorConformance(subject: ConformanceSubject): Promise<void> {
  const failures: Error[] = [];
  for (const check of stageExecutorConformanceChecks(subject)) {
    try {
      await check.run();
    } catch (error) {
      failures.push(new Error(`${check.name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error }));
    }
  }
  if (failures.length > 0) {
    throw new AggregateError(failures, `${failures.length} conformance check(s) failed:\n${failures.map((f) => f.message).join('\n')}`);
  }
}

const dataKinds: ReadonlyArray<readonly [string, (size: number) => Uint8Array]> = [
  ['compressible', compressibleBytes],
  ['random', (size) => randomBytes(size, size + 1)],
];

function sizeCases(chunkSize: number, seedText: string): ReadonlyArray<readonly [string, number]> {
  const seed = [...seedText].reduce((sum, char) => sum + char.charCodeAt(0), chunkSize);
  const random = 2 + (randomBytes(4, seed).reduce((acc, byte) => acc * 256 + byte, 0) % (3 * chunkSize));
  return [
    ['size 0', 0],
    ['size 1', 1],
    ['chunk-1', chunkSize - 1],
    ['chunk', chunkSize],
    ['chunk+1', chunkSize + 1],
    ['a random size', random],
  ];
}

async function checkServed(executor: StageExecutor, stage: PipelineStage): Promise<void> {
  executor.validate(stage);
  expect(await executor.canExecute(stage), 'canExecute(stage) returned false');
  expect(executor.supportedStageTypes().includes(stage.stageType), `supportedStageTypes() lacks ${stage.stageType}`);
  const estimate = await executor.estimateProcessingTime(stage, 1_000_000);
  expect(Number.isFinite(estimate) && estimate >= 0, `estimateProcessingTime returned ${estimate}`);
  const needs = await executor.getResourceRequirements(stage, 1_000_000);
  expect(needs.cpuCores >= 1 && needs.memoryBytes >= 0, 'getResourceRequirements returned an invalid value');
}

function checkBadParameters(executor: StageExecutor, stage: PipelineStage): void {
  const schema = executor.capabilities.find((capability) => capabilityServes(capability, stage))?.parameters;
  const attempts: Array<readonly [string, string]> = [['not_a_parameter', '1']];
  for (const [name, field] of Object.entries(schema?.fields ?? {})) {
    for (const example of field.invalidExamples) attempts.push([name, example]);
  }
  for (const [name, value] of attempts) {
    const parameters = { ...stage.configuration.parameters, [name]: value };
    const bad = new PipelineStage(stage.name, stage.stageType, stage.configuration.with({ parameters }), stage.order);
    let refusal: unknown;
    try {
      executor.validate(bad);
    } catch (error) {
      refusal = error;
    }
    const shown = `${name}=${JSON.stringify(value)}`;
    expect(refusal !== undefined, `validate accepted parameter ${shown}`);
    expect(
      PipelineError.is(refusal) && refusal.kind === 'InvalidConfiguration',
      `validate refused ${shown} with ${refusal instanceof Error ? `${refusal.name}: ${refusal.message}` : String(refusal)} instead of an InvalidConfiguration PipelineError`,
    );
    expect(
      (refusal as Error).message.includes(`parameter '${name}'`),
      `the refusal of ${shown} does not name parameter '${name}': ${(refusal as Error).message}`,
    );
  }
}

async function checkRoundTrip(subject: ConformanceSubject, stage: PipelineStage, data: Uint8Array): Promise<void> {
  const input = new FileChunk(0, data.slice(), { offset: 0, isFinal: true });
  const [forward] = await runChunks(subject, stage, 'forward', [input], false);
  expect(bytesEqual(data, input.data), 'execute changed its input buffer');
  const [restored] = await runChunks(subject, stage, 'reverse', [forward!], false);
  expectSameChunk(restored!, input, data);
}

async function checkParallelOrder(subject: ConformanceSubject, stage: PipelineStage, chunkSize: number): Promise<void> {
  const sizes = [chunkSize, 1, chunkSize, 0, Math.max(1, chunkSize >> 1), chunkSize];
  let offset = 0;
  const inputs = sizes.map((size, index) => {
    const data = index % 2 === 0 ? randomBytes(size, index + 11) : compressibleBytes(size);
    const chunk = new FileChunk(index, data, { offset, isFinal: index === sizes.length - 1 });
    offset += size;
    return chunk;
  });
  const forward = await runChunks(subject, stage, 'forward', inputs, true);
  expect(forward.length === inputs.length, `executeParallel returned ${forward.length} chunks for ${inputs.length}`);
  for (const [index, chunk] of forward.entries()) {
    expect(chunk.sequenceNumber === index, `executeParallel put chunk ${chunk.sequenceNumber} at position ${index}`);
  }
  const restored = await runChunks(subject, stage, 'reverse', forward, true);
  for (const [index, chunk] of restored.entries()) expectSameChunk(chunk, inputs[index]!, inputs[index]!.data);
}

async function checkCorruption(
  subject: ConformanceSubject,
  stage: PipelineStage,
  chunkSize: number,
  corruption: Corruption,
  required: boolean,
): Promise<void> {
  const original = compressibleBytes(chunkSize);
  const input = new FileChunk(0, original, { offset: 0, isFinal: true });
  const [forward] = await runChunks(subject, stage, 'forward', [input], false);
  const damaged = forward!.withData(corrupt(forward!.data, corruption));
  let outcome: FileChunk | undefined;
  try {
    [outcome] = await runChunks(subject, stage, 'reverse', [damaged], false);
  } catch (error) {
    expect(
      PipelineError.is(error),
      `reverse of ${corruption} input threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)} instead of a PipelineError`,
    );
    return;
  }
  expect(!required, `reverse accepted ${corruption} input (${outcome!.size} bytes out) instead of throwing a PipelineError`);
}

async function runChunks(
  subject: ConformanceSubject,
  stage: PipelineStage,
  direction: StageDirection,
  chunks: readonly FileChunk[],
  parallel: boolean,
): Promise<FileChunk[]> {
  const { executor } = subject;
  const context = (await subject.createContext?.(stage, direction)) ?? new ProcessingContext(`conformance-${stage.name}`);
  await executor.startRun?.(stage, context, direction);
  let results: FileChunk[];
  if (parallel) {
    results =
      direction === 'forward'
        ? await executor.executeParallel(stage, chunks, context)
        : await executor.reverseParallel(stage, chunks, context);
  } else {
    results = [];
    for (const chunk of chunks) {
      results.push(direction === 'forward' ? await executor.execute(stage, chunk, context) : await executor.reverse(stage, chunk, context));
    }
  }
  await executor.finishRun?.(stage, context, direction);
  return results;
}

function corrupt(data: Uint8Array, corruption: Corruption): Uint8Array {
  switch (corruption) {
    case 'bit-flip': {
      const copy = data.slice();
      if (copy.length === 0) return Uint8Array.of(1);
      const position = Math.floor(copy.length / 2);
      copy[position] = copy[position]! ^ 0x10;
      return copy;
    }
    case 'truncation':
      return data.subarray(0, Math.floor(data.length / 2));
    case 'garbage':
      return randomBytes(Math.max(16, data.length), 0xbad5eed);
  }
}

function expectSameChunk(actual: FileChunk, expected: FileChunk, expectedData: Uint8Array): void {
  expect(
    actual.sequenceNumber === expected.sequenceNumber,
    `sequence number ${actual.sequenceNumber}, expected ${expected.sequenceNumber}`,
  );
  expect(actual.offset === expected.offset, `offset ${actual.offset}, expected ${expected.offset}`);
  expect(actual.isFinal === expected.isFinal, `isFinal ${actual.isFinal}, expected ${expected.isFinal}`);
  expect(
    bytesEqual(actual.data, expectedData),
    `restored ${actual.size} bytes differ from the ${expectedData.length} input bytes (first difference at ${firstDifference(actual.data, expectedData)})`,
  );
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && firstDifference(a, b) === -1;
}

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) if (a[index] !== b[index]) return index;
  return a.length === b.length ? -1 : length;
}

function expect(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}
