import { PipelineError } from '@adapipe/core';
import { formatBytes } from '../byte-size.js';
import { CliError, ExitCode, exitCodeOf, mostSevereExitCode } from '../exit-code.js';
import { inCliTerms } from '../library-option-flags.js';
import type { CliSession } from '../session/cli-session.js';
import type { BatchInput, RefusedInput } from './batch-inputs.js';
import { FileSlots } from './file-slots.js';

/** What one file's run reports when it succeeds. */
export interface FileResult {
  /** Its result object (`--json`); `ok: true` is added. */
  readonly json: Record<string, unknown>;
  /** Its human lines: the command's result (verify, inspect) or a summary (see {@link FileBatch.lines}). */
  readonly lines: readonly string[];
  /** Input and output bytes, for the batch's summary. */
  readonly bytesIn: number;
  readonly bytesOut: number;
}

/** One file's work: runs it, reporting the input bytes read so far through `onProgress`. */
export type FileTask = (input: BatchInput, onProgress: (bytes: number) => void) => Promise<FileResult>;

/** A batch of files for one command. */
export interface FileBatch {
  /** The command, for results and messages: `process`, `restore`, `verify`. */
  readonly command: string;
  /** The past tense for the summary: `processed`, `restored`, `verified`. */
  readonly done: string;
  readonly inputs: readonly BatchInput[];
  /** Named inputs refused before any run (a directory without `-r`): each one failure. */
  readonly refused?: readonly RefusedInput[];
  /**
   * One named input, no `-r`: the command behaves as a single-file command — its error is thrown
   * as it is, and no summary is printed.
   */
  readonly single: boolean;
  /** One file at a time, in order, ending at the first failure (the outputs go to stdout one after another). */
  readonly sequential?: boolean;
  /**
   * What the files' human lines are: `result` — the command's result, printed as such (verify,
   * inspect, compare); `summary` — a summary, shown on a terminal for a single file and with
   * `--verbose` for a batch (process, restore).
   */
  readonly lines: 'result' | 'summary';
  readonly task: FileTask;
}

/** Files up to this size run several at once; larger ones run alone, chunk-parallel. */
export const SMALL_FILE_BYTES = 1 << 20;

/** How many small files run at once. */
export const FILES_AT_ONCE = 16;

/**
 * Runs a batch's files, several small ones at once ({@link FILES_AT_ONCE}) and each larger one
 * alone with every worker ({@link SMALL_FILE_BYTES}), so memory stays bounded by the chunk size
 * and the workers. A file that fails does not stop the others: each failure is one line naming
 * the file (with `--json` a result object with `ok: false`), one progress display covers the
 * batch, and a summary follows. An interruption (SIGINT, SIGTERM) starts no more files and lets
 * the running ones clean up; files already written stay.
 *
 * @throws {CliError} with the most severe exit code of the files when any failed (a single
 * file's own error as it is).
 */
export async function runFileBatch(session: CliSession, batch: FileBatch): Promise<void> {
  const { output, signals } = session;
  const knownSizes = batch.inputs.map((input) => input.size ?? 0);
  const progress = session.progress(batch.command, {
    bytes: knownSizes.reduce((sum, size) => sum + size, 0),
    ...(batch.single ? {} : { files: batch.inputs.length }),
  });
  const codes: ExitCode[] = [];
  const totals = { succeeded: 0, bytesIn: 0, bytesOut: 0 };
  const started = performance.now();
  let bytesRead = 0;
  let finished = 0;
  const fail = (path: string, error: unknown): void => {
    const code = exitCodeOf(error);
    codes.push(code);
    const message = namingFile(path, inCliTerms(error instanceof Error ? error.message : String(error)));
    const typed = error instanceof CliError && PipelineError.is(error.cause) ? error.cause : error;
    const kind = PipelineError.is(typed) ? typed.kind : typed instanceof CliError ? undefined : 'Internal';
    if (output.options.json) {
      output.result(
        { command: batch.command, input: path, ok: false, error: { message, exitCode: code, ...(kind === undefined ? {} : { kind }) } },
        [],
      );
    } else {
      progress.printAbove(`adapipe: ${message}`);
    }
  };

  if (batch.single) {
    const [input] = batch.inputs;
    try {
      const result = await batch.task(input!, (bytes) => progress.update(bytes));
      progress.finish();
      if (batch.lines === 'summary') for (const line of result.lines) output.info(line);
      output.result({ ...result.json, ok: true }, batch.lines === 'result' ? result.lines : []);
      return;
    } finally {
      progress.finish();
    }
  }

  for (const refused of batch.refused ?? []) fail(refused.path, new CliError(`${refused.path}: ${refused.reason}`, ExitCode.Input));
  const slots = new FileSlots(FILES_AT_ONCE);
  const running = new Set<Promise<void>>();
  let stopped = false;
  for (const input of batch.inputs) {
    if (stopped || signals.signal.aborted) break;
    const release = await slots.take(batch.sequential || (input.size ?? SMALL_FILE_BYTES + 1) > SMALL_FILE_BYTES ? FILES_AT_ONCE : 1);
    if (stopped || signals.signal.aborted) {
      release();
      break;
    }
    let counted = 0;
    const run = batch
      .task(input, (bytes) => {
        bytesRead += bytes - counted;
        counted = bytes;
        progress.update(bytesRead, finished);
      })
      .then(
        (result) => {
          totals.succeeded += 1;
          totals.bytesIn += result.bytesIn;
          totals.bytesOut += result.bytesOut;
          if (batch.lines === 'summary' && output.options.verbose) for (const line of result.lines) progress.printAbove(line);
          if (batch.lines === 'result') progress.clear();
          output.result({ ...result.json, ok: true }, batch.lines === 'result' ? result.lines : []);
        },
        (error: unknown) => {
          if (signals.signal.aborted) return;
          fail(input.path, error);
          if (batch.sequential) stopped = true;
        },
      )
      .finally(() => {
        finished += 1;
        progress.update(bytesRead, finished);
        release();
        running.delete(run);
      });
    running.add(run);
  }
  await Promise.all(running);
  progress.finish();

  const failed = codes.length;
  const exitCode = signals.signal.aborted ? exitCodeOf(signals.signal.reason) : mostSevereExitCode(codes);
  const seconds = (performance.now() - started) / 1000;
  const files = batch.inputs.length + (batch.refused?.length ?? 0);
  const notRun = files - totals.succeeded - failed;
  output.result(
    {
      command: batch.command,
      summary: {
        files,
        succeeded: totals.succeeded,
        failed,
        notRun,
        bytesIn: totals.bytesIn,
        bytesOut: totals.bytesOut,
        durationMs: Math.round(seconds * 1000),
        exitCode,
      },
    },
    [],
  );
  output.info(
    `${totals.succeeded} of ${files} files ${batch.done}: ${formatBytes(totals.bytesIn)} -> ${formatBytes(totals.bytesOut)} in ${seconds.toFixed(1)} s` +
      `${failed > 0 ? `, ${failed} failed` : ''}${notRun > 0 ? `, ${notRun} not run` : ''}`,
  );
  signals.signal.throwIfAborted();
  if (failed > 0) throw new CliError(`${failed} of ${files} files failed`, exitCode);
}

/** `message`, starting with the file's name when it does not name it already. */
function namingFile(path: string, message: string): string {
  return message.includes(path) ? message : `${path}: ${message}`;
}
