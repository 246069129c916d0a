import type { Command } from 'commander';
import type { CliSession } from '../session/cli-session.js';

/** The invocation's session for a command's action, created on first use from the global options. */
export type SessionOf = (command: Command) => CliSession;

/**
 * One `adapipe` command: declares itself, its arguments and its options under `parent`, and runs
 * its handler with the session. `cli.ts` only lists the commands.
 */
export type CliCommand = (parent: Command, sessionOf: SessionOf) => void;
