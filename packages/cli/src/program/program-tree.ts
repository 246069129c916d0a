import type { Argument, Command, Option } from 'commander';

/** What a value (of an option or a positional argument) is, for completion: a file, a directory, one of some words, or anything. */
export type ValueKind =
  | { readonly kind: 'file' }
  | { readonly kind: 'dir' }
  | { readonly kind: 'any' }
  | { readonly kind: 'choice'; readonly choices: readonly string[] };

/** One visible option of a command, as `--help` shows it. */
export interface OptionNode {
  /** As declared, e.g. `-o, --output <file>`. */
  readonly flags: string;
  /** `-o`, `--output`: the words that name it. */
  readonly names: readonly string[];
  /** The value's name (`file` of `<file>`), when the option takes one. */
  readonly valueName?: string;
  /** What its value is; `undefined` when it takes none (or only an optional one). */
  readonly value?: ValueKind;
  readonly description: string;
}

/** One positional argument of a command. */
export interface ArgumentNode {
  readonly name: string;
  readonly required: boolean;
  readonly variadic: boolean;
  readonly description: string;
  readonly value: ValueKind;
}

/** A visible command and what it takes, its subcommands included; the root is the program itself. */
export interface CommandNode {
  readonly name: string;
  /** The words from the program's name to this command, e.g. `['adapipe', 'pipeline', 'create']`. */
  readonly path: readonly string[];
  /** As `--help` shows it after `Usage:`, without the program name. */
  readonly usage: string;
  readonly description: string;
  /** The one-line summary `--help` shows in the parent's list of commands. */
  readonly summary: string;
  readonly arguments: readonly ArgumentNode[];
  /** Its own options, not its ancestors'. */
  readonly options: readonly OptionNode[];
  readonly subcommands: readonly CommandNode[];
}

const fileWords = new Set([
  'file',
  'files',
  'path',
  'paths',
  'input',
  'inputs',
  'output',
  'container',
  'containers',
  'original',
  'originals',
  'module',
]);
const dirWords = new Set(['dir', 'dirs', 'directory', 'directories']);

/**
 * What a value named `name` (`file`, `containers...`, `dir`) holds: files and directories by their
 * names, the choices when there are some, else anything.
 */
export function valueKindOf(name: string, choices: readonly string[] | undefined): ValueKind {
  if (choices !== undefined && choices.length > 0) return { kind: 'choice', choices };
  const word = name.replace(/\.\.\.$/, '').toLowerCase();
  if (dirWords.has(word)) return { kind: 'dir' };
  if (fileWords.has(word)) return { kind: 'file' };
  return { kind: 'any' };
}

/**
 * The visible tree of a commander program (hidden commands and options left out, the implicit
 * `help` command and `-h, --help` included), read at run time so that completion scripts and the
 * manual page follow every option added later.
 */
export function programTree(program: Command): CommandNode {
  return commandNode(program, [], undefined);
}

function commandNode(command: Command, parentPath: readonly string[], parent: Command | undefined): CommandNode {
  const help = command.createHelp();
  const path = [...parentPath, command.name()];
  const subcommands = help.visibleCommands(command);
  const isImplicitHelp = parent !== undefined && command.name() === 'help' && !parent.commands.includes(command);
  return {
    name: command.name(),
    path,
    usage: [...path.slice(1), command.usage()].join(' '),
    description: command.description(),
    summary: command.summary() || command.description().split('\n')[0]!,
    arguments: command.registeredArguments.map((argument) =>
      argumentNode(argument, isImplicitHelp ? help.visibleCommands(parent).filter((sibling) => sibling !== command) : undefined),
    ),
    options: help.visibleOptions(command).map(optionNode),
    subcommands: subcommands.map((subcommand) => commandNode(subcommand, path, command)),
  };
}

function argumentNode(argument: Argument, helpTargets: readonly Command[] | undefined): ArgumentNode {
  const choices = helpTargets?.map((command) => command.name()) ?? argument.argChoices;
  return {
    name: argument.name(),
    required: argument.required,
    variadic: argument.variadic,
    description: argument.description,
    value: valueKindOf(argument.name(), choices),
  };
}

function optionNode(option: Option): OptionNode {
  const valueName = /[<[]([^>\]]+)[>\]]/.exec(option.flags)?.[1];
  const names = [option.short, option.long].filter((name): name is string => name !== undefined);
  return {
    flags: option.flags,
    names,
    ...(valueName === undefined ? {} : { valueName }),
    ...(option.required ? { value: valueKindOf(valueName ?? '', option.argChoices) } : {}),
    description: option.description,
  };
}

/** Every command of the tree, the root first, parents before their subcommands. */
export function allCommands(root: CommandNode): CommandNode[] {
  return [root, ...root.subcommands.flatMap(allCommands)];
}
