import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bashCompletion } from '../completion/completion-scripts.js';
import { programTree } from '../program/program-tree.js';

const bin = new URL('../../dist/bin/adapipe.js', import.meta.url).pathname;
const hasZsh = spawnSync('zsh', ['-c', 'true']).status === 0;

let dir: string;
let bashScript: string;
let zshScript: string;

/** Prints the script for `shell` through the built binary. */
function printed(shell: string): string {
  const result = spawnSync(process.execPath, [bin, 'completion', shell], { env: { PATH: process.env.PATH ?? '', HOME: tmpdir() } });
  expect(result.stderr.toString()).toBe('');
  expect(result.status).toBe(0);
  return result.stdout.toString();
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'adapipe-completion-'));
  writeFileSync(join(dir, 'data.bin'), 'x');
  writeFileSync(join(dir, 'notes.txt'), 'x');
  mkdirSync(join(dir, 'out dir'));
  bashScript = join(dir, 'adapipe.bash');
  writeFileSync(bashScript, printed('bash'));
  zshScript = join(dir, '_adapipe');
  writeFileSync(zshScript, printed('zsh'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** What bash completes for `words`, the last one being the word under the cursor. */
function bash(words: string[], script = bashScript): string[] {
  const result = spawnSync(
    'bash',
    [
      '-c',
      `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _adapipe; printf "%s\\n" "\${COMPREPLY[@]}"`,
      '_',
      script,
      ...words,
    ],
    { cwd: dir },
  );
  expect(result.stderr.toString()).toBe('');
  return result.stdout.toString().split('\n').filter(Boolean).sort();
}

describe('adapipe completion bash', () => {
  it('completes command names', () => {
    expect(bash(['adapipe', 'pro'])).toEqual(['process']);
    expect(bash(['adapipe', ''])).toEqual(
      ['benchmark', 'compare', 'completion', 'help', 'inspect', 'pipeline', 'plugins', 'process', 'restore', 'validate', 'verify'].sort(),
    );
  });

  it('completes the options of process, and the global options after the command', () => {
    expect(bash(['adapipe', 'process', '--outp'])).toEqual(['--output', '--output-dir']);
    expect(bash(['adapipe', 'process', '-i', 'data.bin', '--password-c'])).toEqual(['--password-command']);
    expect(bash(['adapipe', '--json', 'process', '--no-f'])).toEqual(['--no-fsync']);
    expect(bash(['adapipe', '--password'])).toEqual(['--password-command', '--password-file']);
  });

  it('completes the subcommands of pipeline and their options', () => {
    expect(bash(['adapipe', 'pipeline', ''])).toEqual(['create', 'delete', 'help', 'list', 'schema', 'show']);
    expect(bash(['adapipe', 'pipeline', 'cr'])).toEqual(['create']);
    expect(bash(['adapipe', 'pipeline', 'create', 'nightly', '--st'])).toEqual(['--stages']);
    expect(bash(['adapipe', 'pipeline', 'delete', '--'])).toContain('--force');
  });

  it('completes files for file arguments and option values, directories for directory options', () => {
    expect(bash(['adapipe', 'validate', 'da'])).toEqual(['data.bin']);
    expect(bash(['adapipe', 'process', ''])).toEqual(['adapipe.bash', '_adapipe', 'data.bin', 'notes.txt', 'out dir'].sort());
    expect(bash(['adapipe', 'restore', '-o', 'no'])).toEqual(['notes.txt']);
    expect(bash(['adapipe', 'process', '--output-dir', ''])).toEqual(['out dir']);
    expect(bash(['adapipe', '--password-file', 'no'])).toEqual(['notes.txt']);
    // bash splits --db=… at '=' by default; without that split the prefix is kept.
    expect(bash(['adapipe', '--db', '=', 'da'])).toEqual(['data.bin']);
    expect(bash(['adapipe', '--db=da'])).toEqual(['--db=data.bin']);
  });

  it('completes nothing for free values, and knows which words were values', () => {
    expect(bash(['adapipe', 'process', '--stages', ''])).toEqual([]);
    expect(bash(['adapipe', 'process', '--stages', 'pipeline', ''])).toContain('data.bin');
  });

  it('completes enumerated values: the shells of completion, the commands of help', () => {
    expect(bash(['adapipe', 'completion', ''])).toEqual(['bash', 'zsh']);
    expect(bash(['adapipe', 'completion', 'z'])).toEqual(['zsh']);
    expect(bash(['adapipe', 'help', 'pi'])).toEqual(['pipeline']);
    expect(bash(['adapipe', 'pipeline', 'help', 's'])).toEqual(['schema', 'show']);
  });

  it('follows the program as it is: an option or command added later is completed too', () => {
    const program = new Command('adapipe').option('--db <path>');
    program
      .command('process')
      .argument('[inputs...]')
      .option('--new-thing <file>', 'added later')
      .addOption(new Option('--level <n>').choices(['fast', 'best']))
      .addOption(new Option('--secret-flag').hideHelp());
    program.command('hidden', { hidden: true });
    const script = join(dir, 'custom.bash');
    writeFileSync(script, bashCompletion(programTree(program)));
    expect(bash(['adapipe', ''], script)).toEqual(['help', 'process']);
    expect(bash(['adapipe', 'process', '--'], script)).toEqual(['--db', '--help', '--level', '--new-thing']);
    expect(bash(['adapipe', 'process', '--new-thing', 'no'], script)).toEqual(['notes.txt']);
    expect(bash(['adapipe', 'process', '--level', ''], script)).toEqual(['best', 'fast']);
  });
});

/** What the zsh script offers for `words`, with the completion system's functions replaced by ones that print what they are given. */
function zshOffers(words: string[]): string[] {
  const stubs = [
    'compdef() { :; }',
    `_describe() { local name=\${@[-1]}; print -rl -- \${(P)name}; }`,
    '_files() { print -r -- "(_files $*)"; }',
    `compadd() { [[ $1 == -a ]] && print -rl -- \${(P)2}; }`,
    'compset() { :; }',
    '_message() { print -r -- "(_message)"; }',
  ];
  const result = spawnSync(
    'zsh',
    ['-f', '-c', `${stubs.join('\n')}\nsource "$1"; shift; words=("$@"); CURRENT=$#; _adapipe`, '_', zshScript, ...words],
    { cwd: dir },
  );
  expect(result.stderr.toString()).toBe('');
  return result.stdout
    .toString()
    .split('\n')
    .filter(Boolean)
    .map((line) => line.replace(/(?<!\\):.*$/, ''));
}

/** What interactive zsh puts on the line after typing `line` and Tab, with the script loaded from fpath as `compinit` finds it. */
function zshCompletes(line: string): string {
  const driver = `
zmodload zsh/zpty
zpty z 'zsh -f -i'
zpty -w z 'PS1="> "; fpath=(${dir} $fpath); autoload -Uz compinit; compinit -u -D; cd ${dir}'
zpty -w -n z $'${line}\\t'
typeset out= chunk=
integer idle=0 tries=0
# Read until the line has been quiet for half a second (after at least a second).
while (( tries++ < 150 && (tries < 10 || idle < 5) )); do
  if zpty -r -t z chunk; then out+=$chunk; idle=0; else sleep 0.1; (( idle++ )); fi
done
zpty -d z
print -r -- "$out"
`;
  const result = spawnSync('zsh', ['-f', '-c', driver], { timeout: 20_000 });
  return promptLine(result.stdout.toString());
}

/** The last line of terminal output `raw` that shows the prompt, as the screen shows it: escape sequences left out, backspaces applied. */
function promptLine(raw: string): string {
  const lines: string[] = [];
  let line: string[] = [];
  for (let index = 0; index < raw.length; index += 1) {
    const char = raw[index]!;
    if (char === '\u001b' && raw[index + 1] === '[') {
      index += 2;
      while (index < raw.length && !/[A-Za-z~]/.test(raw[index]!)) index += 1;
    } else if (char === '\b') {
      line.pop();
    } else if (char === '\r' || char === '\n') {
      lines.push(line.join(''));
      line = [];
    } else {
      line.push(char);
    }
  }
  lines.push(line.join(''));
  return (lines.filter((each) => each.includes('> ')).at(-1) ?? '').replace(/^.*> /, '');
}

describe.skipIf(!hasZsh)('adapipe completion zsh', () => {
  it('is valid zsh', () => {
    const result = spawnSync('zsh', ['-n', zshScript]);
    expect(result.stderr.toString()).toBe('');
    expect(result.status).toBe(0);
  });

  it('offers commands, options, subcommands, files and choices', () => {
    expect(zshOffers(['adapipe', 'pro'])).toContain('process');
    expect(zshOffers(['adapipe', 'process', '--outp'])).toEqual(expect.arrayContaining(['--output', '--output-dir', '--password-command']));
    expect(zshOffers(['adapipe', 'pipeline', ''])).toEqual(['create', 'list', 'show', 'delete', 'schema', 'help']);
    expect(zshOffers(['adapipe', 'validate', ''])).toEqual(['(_files )']);
    expect(zshOffers(['adapipe', 'process', '--output-dir', ''])).toEqual(['(_files -/)']);
    expect(zshOffers(['adapipe', 'completion', ''])).toEqual(['bash', 'zsh']);
    expect(zshOffers(['adapipe', 'process', '--stages', ''])).toEqual(['(_message)']);
  });

  it('completes on a real zsh line, loaded from fpath by compinit', () => {
    expect(zshCompletes('adapipe pipeline cr')).toMatch(/^adapipe pipeline create\s*$/);
    expect(zshCompletes('adapipe completion z')).toMatch(/^adapipe completion zsh\s*$/);
    expect(zshCompletes('adapipe validate not')).toMatch(/^adapipe validate notes\.txt\s*$/);
  });
});
