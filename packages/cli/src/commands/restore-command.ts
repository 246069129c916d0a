import { type AtomicTarget, assertDistinctPaths, inputFileSize, sanitizeFileName } from '@adapipe/core';
import type { CliContext } from '../cli-context.js';
import { displayName, inputSource, replayable, writeOutput } from '../cli-io.js';
import { CliError, ExitCode } from '../exit-code.js';
import { runResultJson, summaryLine } from './run-summary.js';

/** Options of `adapipe restore`. */
export interface RestoreCommandOptions {
  readonly input: string;
  readonly output?: string;
  readonly outputDir?: string;
  readonly force?: boolean;
  readonly fsync?: boolean;
}

/** `adapipe restore`: a container (file or stdin) back to the original (file, directory or stdout). */
export async function restoreCommand(context: CliContext, options: RestoreCommandOptions): Promise<void> {
  if (options.output !== undefined && options.outputDir !== undefined) {
    throw new CliError('choose one of -o and --output-dir', ExitCode.Usage);
  }
  if (options.output === '-') context.sendDataToStdout();
  const where = displayName(options.input, 'stdin');
  const size = options.input === '-' ? undefined : await inputFileSize(options.input);
  if (options.output !== undefined && options.output !== '-' && options.input !== '-')
    await assertDistinctPaths(options.input, options.output);
  const source = replayable(inputSource(options.input, undefined, (message) => context.warn(message)));
  const { runner, encrypted } = await context.servicesForContainer(source.peek, where);
  const secret = await context.secret('decrypt', encrypted);
  const progress = context.progress('restore', size);
  const result = await context.withMetrics(async () => {
    const run = runner.restore(
      source.replay(),
      {
        ...(secret === undefined ? {} : { secret }),
        recycleOutput: options.output !== '-',
        ...(size === undefined ? {} : { sizeHint: size }),
        signal: context.controller.signal,
        onProgress: (bytes) => progress.update(bytes),
      },
      where,
    );
    const target: AtomicTarget = options.output ?? {
      directory: options.outputDir ?? '.',
      name: async () => sanitizeFileName((await run.result).trailer.name),
    };
    try {
      const written = await writeOutput(target, run.output, {
        overwrite: options.force ?? false,
        durable: options.fsync !== false,
        createDirectory: options.outputDir !== undefined,
      });
      return { ...(await run.result), written };
    } finally {
      progress.finish();
    }
  });
  context.info(summaryLine('restored', where, displayName(result.written, 'stdout'), result));
  context.result(
    { command: 'restore', input: options.input, output: result.written, name: result.trailer.name, ...runResultJson(result) },
    [],
  );
}
