import { allCommands, type CommandNode, type ValueKind } from '../program/program-tree.js';

/** The shells `adapipe completion` writes a script for. */
export const completionShells = ['bash', 'zsh'] as const;

/** One of {@link completionShells}. */
export type CompletionShell = (typeof completionShells)[number];

/** `text` as one single-quoted shell word, for bash and zsh alike. */
function quote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** The command's path below the program, as the scripts key it: `''`, `'pipeline create'`. */
function key(command: CommandNode): string {
  return command.path.slice(1).join(' ');
}

/** The program's name as a shell identifier, for the functions' names. */
function prefix(root: CommandNode): string {
  return `_${root.name.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/** Every option that applies under `command`: its own and its ancestors' (commander reads those after the subcommand too). */
function optionsUnder(root: CommandNode, command: CommandNode) {
  const chain = [root];
  for (const name of command.path.slice(1)) chain.push(chain.at(-1)!.subcommands.find((sub) => sub.name === name)!);
  const seen = new Set<string>();
  return chain.reverse().flatMap((node) =>
    node.options.flatMap((option) => {
      const names = option.names.filter((name) => !seen.has(name));
      for (const name of names) seen.add(name);
      return names.length === 0 ? [] : [{ ...option, names }];
    }),
  );
}

/** Shell lines that set `<p>_kind` (and `<p>_choices`) to what a value holds. */
function kindLines(p: string, value: ValueKind): string {
  if (value.kind !== 'choice') return `${p}_kind=${value.kind}`;
  return `${p}_kind=choice; ${p}_choices=(${value.choices.map(quote).join(' ')})`;
}

/**
 * `<p>_value PATH WHAT`: a case statement valid in bash and zsh that sets `<p>_kind` to the kind of
 * value (`file`, `dir`, `any`, `choice` with `<p>_choices`) the option WHAT (`--output`) or the
 * positional argument WHAT (`#0`, `#1`…) of the command PATH takes, or to nothing. Deeper commands
 * come first, so an option a subcommand declares again wins over its parent's.
 */
function valueFunction(root: CommandNode): string {
  const p = prefix(root);
  const commands = allCommands(root).sort((a, b) => b.path.length - a.path.length);
  const cases: string[] = [];
  for (const command of commands) {
    const here = key(command);
    const under = (what: string) =>
      here === '' ? [`*${quote(`|${what}`)}`] : [quote(`${here}|${what}`), `${quote(`${here} `)}*${quote(`|${what}`)}`];
    for (const option of command.options) {
      if (option.value === undefined) continue;
      cases.push(`    ${option.names.flatMap(under).join('|')}) ${kindLines(p, option.value)} ;;`);
    }
    command.arguments.forEach((argument, index) => {
      const pattern = argument.variadic ? `${quote(`${here}|#`)}*` : quote(`${here}|#${index}`);
      cases.push(`    ${pattern}) ${kindLines(p, argument.value)} ;;`);
    });
  }
  return [
    `# ${p}_value PATH WHAT: sets ${p}_kind to the kind of value (file, dir, any, or choice with`,
    `# ${p}_choices) that the option WHAT or the positional argument WHAT (#0, #1…) of the command`,
    `# PATH ('' for ${root.name} itself, 'pipeline create' for a subcommand) takes; to nothing when none.`,
    `${p}_value() {`,
    `  ${p}_kind=`,
    `  ${p}_choices=()`,
    '  case "$1|$2" in',
    ...cases,
    '  esac',
    '}',
  ].join('\n');
}

/**
 * The bash completion script for the program `root`: commands and subcommands, each command's
 * options with its ancestors' (the global options), files and directories for the values and
 * arguments that name them, and the choices of enumerated ones. Works with bash 3.2 and later;
 * install with `source <(adapipe completion bash)`.
 */
export function bashCompletion(root: CommandNode): string {
  const p = prefix(root);
  const cases = allCommands(root).map((command) => {
    const options = optionsUnder(root, command).flatMap((option) => option.names);
    return [
      `    ${quote(key(command))})`,
      `      ${p}_subcommands=(${command.subcommands.map((sub) => quote(sub.name)).join(' ')})`,
      `      ${p}_options=(${options.map(quote).join(' ')}) ;;`,
    ].join('\n');
  });
  return `# bash completion for ${root.name}, generated from its commands by \`${root.name} completion bash\`.
# Install: add  source <(${root.name} completion bash)  to ~/.bashrc.

# ${p}_command PATH: sets ${p}_subcommands and ${p}_options (its own and its ancestors')
# for the command PATH ('' for ${root.name} itself, 'pipeline create' for a subcommand).
${p}_command() {
  ${p}_subcommands=()
  ${p}_options=()
  case "$1" in
${cases.join('\n')}
  esac
}

${valueFunction(root)}

# ${p}_reply WORD: the values of kind ${p}_kind that start with WORD, after PREFIX ($2).
${p}_reply() {
  local word IFS=$'\\n'
  case "$${p}_kind" in
    file) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -P "$2" -f -- "$1")) ;;
    dir) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -P "$2" -d -- "$1")) ;;
    choice) for word in "\${${p}_choices[@]}"; do [[ $word == "$1"* ]] && COMPREPLY+=("$2$word"); done ;;
  esac
}

${p}_has() {
  local word=$1 each
  shift
  for each in "$@"; do [[ $each == "$word" ]] && return 0; done
  return 1
}

${p}() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev= path= word dashdash= before=
  local i=1 positional=0 ${p}_kind
  local -a ${p}_subcommands ${p}_options ${p}_choices
  COMPREPLY=()
  # The words before the cursor: find the command, skipping options and their values.
  while [[ $i -lt $COMP_CWORD ]]; do
    word=\${COMP_WORDS[i]}
    if [[ -z $dashdash && $word == -- ]]; then
      dashdash=1
    elif [[ -z $dashdash && $word == -?* ]]; then
      if [[ $word != *=* ]]; then
        ${p}_value "$path" "$word"
        if [[ -n $${p}_kind ]]; then
          i=$((i + 1))
          # bash splits --option=value into --option, = and value.
          [[ \${COMP_WORDS[i]} == = ]] && i=$((i + 1))
        fi
      fi
    else
      ${p}_command "$path"
      if [[ -z $dashdash && $positional -eq 0 ]] && ${p}_has "$word" "\${${p}_subcommands[@]}"; then
        path=\${path:+$path }$word
      else
        positional=$((positional + 1))
      fi
    fi
    i=$((i + 1))
  done
  ${p}_command "$path"
  [[ $COMP_CWORD -ge 1 ]] && prev=\${COMP_WORDS[COMP_CWORD-1]}
  if [[ -z $dashdash ]]; then
    if [[ $cur == = && $prev == -?* ]]; then
      cur=
    elif [[ $prev == = && $COMP_CWORD -ge 2 ]]; then
      prev=\${COMP_WORDS[COMP_CWORD-2]}
    elif [[ $cur == --*=* ]]; then
      prev=\${cur%%=*} before=\${cur%%=*}= cur=\${cur#*=}
    fi
    if [[ $prev == -?* ]]; then
      ${p}_value "$path" "$prev"
      if [[ -n $${p}_kind ]]; then
        ${p}_reply "$cur" "$before"
        return 0
      fi
    fi
    if [[ $cur == -* ]]; then
      for word in "\${${p}_options[@]}"; do [[ $word == "$cur"* ]] && COMPREPLY+=("$word"); done
      return 0
    fi
    if [[ $positional -eq 0 && \${#${p}_subcommands[@]} -gt 0 ]]; then
      for word in "\${${p}_subcommands[@]}"; do [[ $word == "$cur"* ]] && COMPREPLY+=("$word"); done
      return 0
    fi
  fi
  ${p}_value "$path" "#$positional"
  ${p}_reply "$cur" ""
  return 0
}

complete -F ${p} ${root.name}
`;
}

/** `name:description` for zsh's `_describe`, the colons of the name escaped and the description on one line. */
function described(name: string, description: string): string {
  return quote(`${name.replaceAll(':', '\\:')}:${description.replace(/\s+/g, ' ').trim()}`);
}

/**
 * The zsh completion script for the program `root`, with the descriptions `--help` shows: put it
 * in a directory of `fpath` as `_adapipe` (before `compinit`), or `source` it after `compinit`.
 */
export function zshCompletion(root: CommandNode): string {
  const p = prefix(root);
  const cases = allCommands(root).map((command) => {
    const options = optionsUnder(root, command).flatMap((option) => option.names.map((name) => described(name, option.description)));
    return [
      `    (${quote(key(command))})`,
      `      ${p}_names=(${command.subcommands.map((sub) => quote(sub.name)).join(' ')})`,
      `      ${p}_subcommands=(${command.subcommands.map((sub) => described(sub.name, sub.summary)).join(' ')})`,
      `      ${p}_options=(${options.join(' ')}) ;;`,
    ].join('\n');
  });
  return `#compdef ${root.name}
# zsh completion for ${root.name}, generated from its commands by \`${root.name} completion zsh\`.
# Install: ${root.name} completion zsh > ~/.zsh/completions/_${root.name} with that directory in
# fpath before compinit runs; or add  source <(${root.name} completion zsh)  after compinit.

# ${p}_command PATH: sets ${p}_names (subcommands), ${p}_subcommands and ${p}_options (its own
# and its ancestors', as name:description) for the command PATH ('' for ${root.name} itself).
${p}_command() {
  ${p}_names=()
  ${p}_subcommands=()
  ${p}_options=()
  case "$1" in
${cases.join('\n')}
  esac
}

${valueFunction(root)}

${p}_complete_value() {
  case "$${p}_kind" in
    (file) _files ;;
    (dir) _files -/ ;;
    (choice) compadd -a ${p}_choices ;;
    (*) _message -e values 'value' ;;
  esac
}

${p}() {
  local cur=\${words[CURRENT]} prev=\${words[CURRENT-1]} cmd= word dashdash= ${p}_kind
  integer i=2 positional=0
  local -a ${p}_names ${p}_subcommands ${p}_options ${p}_choices
  # The words before the cursor: find the command, skipping options and their values.
  while (( i < CURRENT )); do
    word=\${words[i]}
    if [[ -z $dashdash && $word == -- ]]; then
      dashdash=1
    elif [[ -z $dashdash && $word == -?* ]]; then
      if [[ $word != *=* ]]; then
        ${p}_value "$cmd" "$word"
        [[ -n $${p}_kind ]] && (( i++ ))
      fi
    else
      ${p}_command "$cmd"
      if [[ -z $dashdash ]] && (( positional == 0 && \${${p}_names[(Ie)$word]} )); then
        cmd=\${cmd:+$cmd }$word
      else
        (( positional++ ))
      fi
    fi
    (( i++ ))
  done
  ${p}_command "$cmd"
  if [[ -z $dashdash ]]; then
    if [[ $cur == --*=* ]]; then
      ${p}_value "$cmd" "\${cur%%=*}"
      compset -P '*='
      ${p}_complete_value
      return
    fi
    if [[ $prev == -?* ]]; then
      ${p}_value "$cmd" "$prev"
      if [[ -n $${p}_kind ]]; then
        ${p}_complete_value
        return
      fi
    fi
    if [[ $cur == -* ]]; then
      _describe -t options option ${p}_options
      return
    fi
    if (( positional == 0 && \${#${p}_names} )); then
      _describe -t commands command ${p}_subcommands
      return
    fi
  fi
  ${p}_value "$cmd" "#$positional"
  ${p}_complete_value
}

if [[ \${funcstack[1]} == ${p} ]]; then
  ${p} "$@"
else
  compdef ${p} ${root.name}
fi
`;
}

/** The completion script for `shell`. */
export function completionScript(shell: CompletionShell, root: CommandNode): string {
  return shell === 'bash' ? bashCompletion(root) : zshCompletion(root);
}
