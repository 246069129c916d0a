import { Argument, type Command } from 'commander';
import { type CompletionShell, completionScript, completionShells } from '../completion/completion-scripts.js';
import type { CliCommand } from '../program/cli-command.js';
import { programTree } from '../program/program-tree.js';

/** `adapipe completion bash|zsh`: the shell completion script, generated from the program's commands as they are now. */
export const completionCommand: CliCommand = (parent) => {
  parent
    .command('completion')
    .description('print a shell completion script for bash or zsh, made from the commands and options of this adapipe')
    .addArgument(new Argument('<shell>', 'the shell: bash or zsh').choices(completionShells))
    .action((shell: CompletionShell, _options: unknown, self: Command) => {
      process.stdout.write(completionScript(shell, programTree(rootOf(self))));
    });
};

/** The program a command belongs to. */
export function rootOf(command: Command): Command {
  let root = command;
  while (root.parent !== null) root = root.parent;
  return root;
}
