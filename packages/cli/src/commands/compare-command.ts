import { inputFileSize } from '@adapipe/core';
import type { CliContext } from '../cli-context.js';
import { inputSource, replayable } from '../cli-io.js';
import { CliError, ExitCode } from '../exit-code.js';

/** `adapipe compare --original F --adapipe C`: whether C restores to exactly F; exit 5 when not. */
export async function compareCommand(context: CliContext, options: { readonly original: string; readonly adapipe: string }): Promise<void> {
  await inputFileSize(options.original);
  const source = replayable(inputSource(options.adapipe));
  const { runner, encrypted } = await context.servicesForContainer(source.peek, options.adapipe);
  const secret = await context.secret('decrypt', encrypted);
  const restored = runner.restore(
    source.replay(),
    { ...(secret === undefined ? {} : { secret }), signal: context.controller.signal },
    options.adapipe,
  );
  const original = inputSource(options.original)[Symbol.asyncIterator]();
  let pending: Uint8Array = new Uint8Array(0);
  let offset = 0;
  let difference: number | undefined;
  for await (const part of restored.output) {
    let position = 0;
    while (position < part.length && difference === undefined) {
      if (pending.length === 0) {
        const next = await original.next();
        if (next.done) {
          difference = offset;
          break;
        }
        pending = next.value;
      }
      const length = Math.min(pending.length, part.length - position);
      for (let index = 0; index < length; index++) {
        if (pending[index] !== part[position + index]) {
          difference = offset + index;
          break;
        }
      }
      if (difference !== undefined) break;
      pending = pending.subarray(length);
      position += length;
      offset += length;
    }
    if (difference !== undefined) break;
  }
  if (difference === undefined && (pending.length > 0 || !(await original.next()).done)) difference = offset;
  await original.return?.();
  if (difference !== undefined) {
    context.result(
      { command: 'compare', original: options.original, adapipe: options.adapipe, identical: false, firstDifference: difference },
      [],
    );
    throw new CliError(`${options.adapipe}: differs from ${options.original} at byte ${difference}`, ExitCode.Differ);
  }
  const result = await restored.result;
  context.result(
    {
      command: 'compare',
      original: options.original,
      adapipe: options.adapipe,
      identical: true,
      bytes: result.bytesOut,
      digestAlgorithm: result.header.digestAlgorithm,
      digest: result.digest,
    },
    [
      `${options.adapipe}: restores to exactly ${options.original} (${result.bytesOut} bytes, ${result.header.digestAlgorithm} ${result.digest})`,
    ],
  );
}
