import { type SpawnSyncReturns, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compressibleBytes, randomBytes } from '@adapipe/core/testing';
import { afterAll, describe, expect, it } from 'vitest';

const bin = new URL('../dist/bin/adapipe.js', import.meta.url).pathname;
const pluginFixture = new URL('../test-support/reverse-bytes-plugin.mjs', import.meta.url).pathname;

const workspaces: string[] = [];
afterAll(() => {
  for (const dir of workspaces) rmSync(dir, { recursive: true, force: true });
});

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'adapipe-cli-'));
  workspaces.push(dir);
  return dir;
}

interface RunOptions {
  readonly input?: string | Buffer;
  readonly env?: Record<string, string>;
  readonly cwd?: string;
}

function adapipe(args: string[], options: RunOptions = {}): SpawnSyncReturns<Buffer> & { out: string; err: string } {
  const result = spawnSync(process.execPath, [bin, ...args], {
    input: options.input ?? '',
    cwd: options.cwd,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: options.cwd ?? tmpdir(),
      ADAPIPE_DB: join(options.cwd ?? workspace(), 'store.db'),
      ...options.env,
    },
    maxBuffer: 256 * 1024 * 1024,
  });
  return Object.assign(result, { out: result.stdout.toString(), err: result.stderr.toString() });
}

const password = { ADAPIPE_PASSWORD: 'correct horse battery staple' };

describe('adapipe CLI', () => {
  it('prints its version and help for every command', () => {
    expect(adapipe(['--version']).out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    for (const command of ['process', 'restore', 'verify', 'inspect', 'compare', 'pipeline', 'validate', 'plugins', 'benchmark']) {
      const help = adapipe([command, '--help']);
      expect(help.status, command).toBe(0);
      expect(help.out, command).toContain(`Usage: adapipe ${command}`);
    }
  });

  it('processes with the default pipeline, restores by stored name, compares and verifies', () => {
    const dir = workspace();
    const original = Buffer.concat([compressibleBytes(3_000_000), randomBytes(500_000, 1)]);
    writeFileSync(join(dir, 'data.bin'), original);
    const processed = adapipe(['--json', 'process', '-i', 'data.bin', '--chunk-size', '1M'], { cwd: dir, env: password });
    expect(processed.err).toBe('');
    expect(processed.status).toBe(0);
    const summary = JSON.parse(processed.out);
    expect(summary).toMatchObject({
      command: 'process',
      output: 'data.bin.adapipe',
      bytesIn: original.length,
      chunkCount: 4,
      pipeline: 'default',
    });
    expect(Object.keys(summary.stages)).toEqual(['input-checksum', 'compression', 'encryption', 'output-checksum']);

    const restoreDir = join(dir, 'out');
    spawnSync('mkdir', [restoreDir]);
    const restored = adapipe(['--json', 'restore', '-i', 'data.bin.adapipe', '--output-dir', 'out'], { cwd: dir, env: password });
    expect(restored.status, restored.err).toBe(0);
    expect(JSON.parse(restored.out)).toMatchObject({
      command: 'restore',
      output: join('out', 'data.bin'),
      name: 'data.bin',
      digestAlgorithm: 'blake3',
      digest: summary.digest,
    });
    expect(Buffer.compare(readFileSync(join(restoreDir, 'data.bin')), original)).toBe(0);

    const compared = adapipe(['compare', '--original', 'data.bin', '--adapipe', 'data.bin.adapipe'], { cwd: dir, env: password });
    expect(compared.status, compared.err).toBe(0);
    expect(compared.out).toContain('restores to exactly data.bin');
    expect(adapipe(['verify', 'data.bin.adapipe'], { cwd: dir, env: password }).out).toContain('header authenticated');
    const full = adapipe(['--json', 'verify', '--full', 'data.bin.adapipe'], { cwd: dir, env: password });
    expect(JSON.parse(full.out)).toMatchObject({ ok: true, full: true, chunkCount: 4 });
  });

  it('pipes stdin to stdout both ways', () => {
    const original = Buffer.concat([compressibleBytes(700_000), randomBytes(300_001, 2)]);
    const stages = ['--stages', 'checksum:blake3,compression:lz4,checksum:sha256'];
    const container = adapipe(['process', '-i', '-', '-o', '-', ...stages, '--chunk-size', '64K'], { input: original });
    expect(container.status, container.err).toBe(0);
    expect(container.stdout.subarray(1, 8).toString()).toBe('ADAPIPE');
    const restored = adapipe(['restore', '-i', '-', '-o', '-'], { input: container.stdout });
    expect(restored.status, restored.err).toBe(0);
    expect(Buffer.compare(restored.stdout, original)).toBe(0);
  });

  it('inspects a header without secrets, as text and JSON', () => {
    const dir = workspace();
    writeFileSync(join(dir, 'a.txt'), 'hello');
    expect(adapipe(['process', '-i', 'a.txt'], { cwd: dir, env: password }).status).toBe(0);
    const text = adapipe(['inspect', 'a.txt.adapipe'], { cwd: dir });
    expect(text.status, text.err).toBe(0);
    expect(text.out).toContain('encrypted');
    expect(text.out).toContain('compression:zstd (level=3)');
    const json = JSON.parse(adapipe(['--json', 'inspect', 'a.txt.adapipe'], { cwd: dir }).out);
    expect(json).toMatchObject({ command: 'inspect', encrypted: true, formatVersion: 2, digestAlgorithm: 'blake3' });
    expect(json.stages.map((stage: { algorithm: string }) => stage.algorithm)).toEqual(['blake3', 'zstd', 'aes-256-gcm', 'blake3']);
    expect(JSON.stringify(json)).not.toContain(password.ADAPIPE_PASSWORD);
  });

  describe('exit codes', () => {
    const dir = workspace();
    writeFileSync(join(dir, 'in.txt'), compressibleBytes(200_000));
    const made = adapipe(['process', '-i', 'in.txt', '--chunk-size', '64K'], { cwd: dir, env: password });

    it.each([
      ['an unknown option', ['process', '-i', 'in.txt', '--bogus'], 2, 'unknown option'],
      ['a password on the command line', ['--password', 'hunter2', 'process', '-i', 'in.txt'], 2, 'other users can read it'],
      ['encryption without a secret and no terminal', ['process', '-i', 'in.txt', '-o', 'x.adapipe'], 2, 'ADAPIPE_PASSWORD'],
      ['an unknown algorithm', ['process', '-i', 'in.txt', '-o', 'y.adapipe', '--stages', 'compression:zip'], 2, 'compression:zip'],
      [
        'incompatible stages',
        ['process', '-i', 'in.txt', '--stages', 'encryption:aes-256-gcm,compression:zstd'],
        2,
        'cannot compress encrypted data',
      ],
      ['a missing input', ['process', '-i', 'missing.txt', '--stages', 'checksum:sha256'], 3, 'missing.txt'],
      ['an existing output', ['process', '-i', 'in.txt', '--stages', 'checksum:sha256', '-o', 'in.txt.adapipe'], 4, 'exists'],
      ['something that is not a container', ['restore', '-i', 'in.txt', '-o', 'r.txt'], 10, 'not an adapipe container'],
    ])('%s', (_name, args, code, message) => {
      expect(made.status).toBe(0);
      const result = adapipe(args as string[], { cwd: dir });
      expect(result.status, result.err).toBe(code);
      expect(result.err).toContain(message);
      expect(
        result.err
          .trim()
          .split('\n')
          .filter((line) => line.startsWith('adapipe:')),
      ).toHaveLength(code === 2 && result.err.includes('Usage') ? result.err.split('adapipe:').length - 1 : 1);
    });

    it('11 for a corrupted container, 12 for a wrong password, 13 for a forged header length, 5 when compare differs', () => {
      const container = readFileSync(join(dir, 'in.txt.adapipe'));
      const corrupt = Buffer.from(container);
      corrupt[corrupt.length - 100]! ^= 0x01;
      writeFileSync(join(dir, 'corrupt.adapipe'), corrupt);
      const corrupted = adapipe(['restore', '-i', 'corrupt.adapipe', '-o', 'c.txt'], { cwd: dir, env: password });
      expect(corrupted.status, corrupted.err).toBe(11);
      expect(existsSync(join(dir, 'c.txt'))).toBe(false);
      const wrong = adapipe(['restore', '-i', 'in.txt.adapipe', '-o', 'w.txt'], { cwd: dir, env: { ADAPIPE_PASSWORD: 'wrong' } });
      expect(wrong.status, wrong.err).toBe(12);
      expect(wrong.err).toContain('wrong password or key');
      const forged = Buffer.from(container);
      forged.writeUInt32BE(0x7fffffff, 12);
      writeFileSync(join(dir, 'forged.adapipe'), forged);
      expect(adapipe(['inspect', 'forged.adapipe'], { cwd: dir }).status).toBe(13);
      writeFileSync(join(dir, 'other.txt'), 'different');
      const differs = adapipe(['compare', '--original', 'other.txt', '--adapipe', 'in.txt.adapipe'], { cwd: dir, env: password });
      expect(differs.status, differs.err).toBe(5);
      expect(differs.err).toContain('differs from other.txt at byte 0');
      expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    });
  });

  it('manages pipelines in the SQLite store, seeded with defaults', () => {
    const dir = workspace();
    const env = { ADAPIPE_DB: join(dir, 'pipelines.db') };
    const listed = JSON.parse(adapipe(['--json', 'pipeline', 'list'], { cwd: dir, env }).out);
    expect(listed.pipelines.map((p: { name: string }) => p.name).sort()).toEqual([
      'archive',
      'compress-only',
      'fast',
      'integrity',
      'secure-backup',
    ]);
    expect(adapipe(['pipeline', 'create', 'mine', '--stages', 'checksum:sha512,compression:gzip:level=9'], { cwd: dir, env }).status).toBe(
      0,
    );
    expect(adapipe(['pipeline', 'create', 'mine', '--stages', 'checksum:sha256'], { cwd: dir, env }).status).toBe(2);
    const shown = JSON.parse(adapipe(['--json', 'pipeline', 'show', 'mine'], { cwd: dir, env }).out);
    expect(shown.stages).toBe('checksum:sha512,compression:gzip:level=9');
    writeFileSync(join(dir, 'f.txt'), 'pipeline from the store');
    expect(adapipe(['process', '-i', 'f.txt', '-p', 'mine'], { cwd: dir, env }).status).toBe(0);
    expect(adapipe(['restore', '-i', 'f.txt.adapipe', '-o', 'g.txt'], { cwd: dir, env }).status).toBe(0);
    expect(readFileSync(join(dir, 'g.txt'), 'utf8')).toBe('pipeline from the store');
    expect(adapipe(['pipeline', 'delete', 'mine'], { cwd: dir, env }).status).toBe(2);
    expect(adapipe(['pipeline', 'delete', 'mine', '--force'], { cwd: dir, env }).status).toBe(0);
    expect(adapipe(['pipeline', 'show', 'mine'], { cwd: dir, env }).status).toBe(2);
    expect(adapipe(['pipeline', 'create', 'mine', '--stages', 'checksum:sha256'], { cwd: dir, env }).status).toBe(0);
    expect(adapipe(['--db', join(dir, 'other.db'), 'pipeline', 'show', 'mine'], { cwd: dir, env }).status).toBe(2);
  });

  it('validates pipeline files in JSON, YAML and TOML, pointing at the field', () => {
    const dir = workspace();
    writeFileSync(
      join(dir, 'good.yaml'),
      'name: nightly\nstages:\n  - type: checksum\n    algorithm: sha256\n  - type: compression\n    algorithm: zstd\n    parameters:\n      level: 19\n',
    );
    writeFileSync(join(dir, 'good.toml'), 'name = "nightly"\n[[stages]]\ntype = "compression"\nalgorithm = "brotli"\n');
    writeFileSync(join(dir, 'good.json'), JSON.stringify({ name: 'nightly', stages: [{ type: 'checksum', algorithm: 'blake3' }] }));
    for (const file of ['good.yaml', 'good.toml', 'good.json']) {
      const result = adapipe(['validate', file], { cwd: dir });
      expect(result.status, `${file}: ${result.err}`).toBe(0);
      expect(result.out).toContain("valid pipeline 'nightly'");
    }
    writeFileSync(
      join(dir, 'bad.yaml'),
      'name: nightly\nstages:\n  - type: compression\n    algorithm: zstd\n    parameters:\n      level: 99\n',
    );
    const badLevel = adapipe(['validate', 'bad.yaml'], { cwd: dir });
    expect(badLevel.status).toBe(3);
    expect(badLevel.err).toContain('stages[0]');
    expect(badLevel.err).toContain('level');
    writeFileSync(join(dir, 'typo.yaml'), 'name: nightly\nstages:\n  - type: compression\n    algoritm: zstd\n');
    const typo = adapipe(['validate', 'typo.yaml'], { cwd: dir });
    expect(typo.status).toBe(3);
    expect(typo.err).toMatch(/typo\.yaml:\d+:\d+: stages\[0\]/);
  });

  it('validates files that name the published schema, and lists every problem of a bad one with its position', () => {
    const dir = workspace();
    const schemaPath = new URL('../schema/pipeline.schema.json', import.meta.url).pathname;
    writeFileSync(
      join(dir, 'with-schema.json'),
      JSON.stringify({ $schema: schemaPath, name: 'n', stages: [{ type: 'compression', algorithm: 'zstd', parameters: { level: 9 } }] }),
    );
    writeFileSync(
      join(dir, 'with-schema.toml'),
      `#:schema ${schemaPath}\n"$schema" = "${schemaPath}"\nname = "n"\n[[stages]]\ntype = "checksum"\nalgorithm = "sha256"\n`,
    );
    writeFileSync(
      join(dir, 'with-schema.yaml'),
      `# yaml-language-server: $schema=${schemaPath}\n$schema: ${schemaPath}\nname: n\nstages:\n  - {type: checksum, algorithm: blake3}\n`,
    );
    for (const file of ['with-schema.json', 'with-schema.toml', 'with-schema.yaml']) {
      const result = adapipe(['validate', file], { cwd: dir });
      expect(result.status, `${file}: ${result.err}`).toBe(0);
    }
    writeFileSync(
      join(dir, 'semantic.yaml'),
      [
        'name: n',
        'stages:',
        '  - type: checksum',
        '    algorithm: sha3',
        '  - type: compression',
        '    algorithm: zstd',
        '    parameters:',
        '      level: 23',
        '  - type: checksum',
        '    algorithm: sha256',
        '    parameters: {colour: red}',
        '',
      ].join('\n'),
    );
    const semantic = adapipe(['validate', 'semantic.yaml'], { cwd: dir });
    expect(semantic.status, semantic.err).toBe(3);
    expect(semantic.err.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^adapipe: semantic\.yaml:4:16: stages\[0\]\.algorithm: .*checksum:sha3/),
      expect.stringMatching(
        /^adapipe: semantic\.yaml:8:14: stages\[1\]\.parameters\.level: .*must be a whole number from 1 to 22.*found "23"/,
      ),
      expect.stringMatching(/^adapipe: semantic\.yaml:11:18: stages\[2\]\.parameters\.colour: .*parameter 'colour' is unknown/),
    ]);
    writeFileSync(join(dir, 'structural.json'), '{\n  "name": "",\n  "chunkSize": "4X",\n  "stages": [{"type": "checksum"}]\n}\n');
    const structural = adapipe(['--json', 'validate', 'structural.json'], { cwd: dir });
    expect(structural.status).toBe(3);
    expect((JSON.parse(structural.err) as { error: { message: string } }).error.message.split('\n')).toEqual([
      "structural.json:2:11: name: expected a non-empty string, found ''",
      "structural.json:3:16: chunkSize: '4X' is not a size; use a number of bytes or a suffix K, M, G (e.g. 4M)",
      'structural.json:4:14: stages[0].algorithm: expected a non-empty string, found nothing',
    ]);
  });

  it.each(['json', 'yaml', 'toml'])('validates the %s example of the README, as written', (format) => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Pipeline files'));
    const example = new RegExp(`\`\`\`${format}\n([\\s\\S]*?)\`\`\``).exec(section)?.[1];
    expect(example, `a ${format} block under "## Pipeline files"`).toBeDefined();
    const dir = workspace();
    writeFileSync(join(dir, `nightly.${format}`), example!);
    const result = adapipe(['--json', 'validate', `nightly.${format}`], { cwd: dir });
    expect(result.status, result.err).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({ valid: true, name: 'nightly', stages: expect.stringContaining('compression:zstd') });
  });

  it('process --pipeline-file places a bad parameter in the file and writes nothing', () => {
    const dir = workspace();
    writeFileSync(join(dir, 'in.txt'), 'data');
    writeFileSync(join(dir, 'p.toml'), 'name = "p"\n[[stages]]\ntype = "compression"\nalgorithm = "zstd"\nparameters = { level = 99 }\n');
    const result = adapipe(['process', '-i', 'in.txt', '--pipeline-file', 'p.toml'], { cwd: dir });
    expect(result.status).toBe(3);
    expect(result.err).toMatch(/^adapipe: p\.toml:5:24: stages\[0\]\.parameters\.level: .*must be a whole number from 1 to 22/);
    expect(existsSync(join(dir, 'in.txt.adapipe'))).toBe(false);
  });

  it('prints the pipeline-file schema of the installed stages, as committed in schema/', () => {
    const printed = adapipe(['pipeline', 'schema']);
    expect(printed.status, printed.err).toBe(0);
    const committed = readFileSync(new URL('../schema/pipeline.schema.json', import.meta.url), 'utf8');
    expect(JSON.parse(printed.out)).toEqual(JSON.parse(committed));
  });

  it('lists installed executors with versions and loads a third-party plugin', () => {
    const listed = JSON.parse(adapipe(['--json', 'plugins']).out);
    const pairs = listed.executors.map(
      (row: { type: string; algorithm: string; package: string; version: string }) =>
        `${row.type}:${row.algorithm} ${row.package}@${row.version}`,
    );
    expect(pairs).toContain('compression:zstd @adapipe/plugin-compression@0.1.0');
    expect(pairs).toContain('encryption:xchacha20-poly1305 @adapipe/plugin-encryption@0.1.0');
    expect(pairs).toContain('passthrough:tee @adapipe/plugin-tee@0.1.0');
    const zstd = listed.executors.find((row: { algorithm: string }) => row.algorithm === 'zstd');
    expect(zstd.parameters).toEqual([expect.objectContaining({ name: 'level', kind: 'integer', default: 3, minimum: 1, maximum: 22 })]);
    const tee = listed.executors.find((row: { type: string; algorithm: string }) => row.type === 'transform' && row.algorithm === 'tee');
    expect(tee.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(['output_path', 'format', 'enabled']);
    const text = adapipe(['plugins']).out;
    expect(text).toMatch(/^compression +zstd +@adapipe\/plugin-compression@0\.1\.0 +aliases: zstandard, zst; parameters: level$/m);
    const dir = workspace();
    writeFileSync(join(dir, 'p.txt'), 'abcdef');
    const withPlugin = ['--plugin', pluginFixture];
    expect(
      JSON.parse(adapipe([...withPlugin, '--json', 'plugins']).out).executors.map((row: { algorithm: string }) => row.algorithm),
    ).toContain('reverse-bytes');
    expect(adapipe([...withPlugin, 'process', '-i', 'p.txt', '--stages', 'transform:reverse-bytes'], { cwd: dir }).status).toBe(0);
    const missing = adapipe(['restore', '-i', 'p.txt.adapipe', '-o', 'q.txt'], { cwd: dir });
    expect(missing.status).toBe(10);
    expect(missing.err).toContain('adapipe-test-reverse-bytes');
    expect(adapipe([...withPlugin, 'restore', '-i', 'p.txt.adapipe', '-o', 'q.txt'], { cwd: dir }).status).toBe(0);
    expect(readFileSync(join(dir, 'q.txt'), 'utf8')).toBe('abcdef');
  });

  it.skipIf(!existsSync('/usr/bin/script'))('draws a progress bar on a terminal, and none when piped', () => {
    const dir = workspace();
    writeFileSync(join(dir, 'big.bin'), randomBytes(48 << 20, 7));
    const command = `${process.execPath} ${bin} process -i big.bin --stages checksum:sha256,compression:brotli:level=4 --chunk-size 1M`;
    const onTerminal = spawnSync('/usr/bin/script', ['-qec', command, '/dev/null'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: dir, TERM: 'xterm' },
      encoding: 'utf8',
    });
    expect(onTerminal.status, onTerminal.stdout).toBe(0);
    expect(onTerminal.stdout).toMatch(/\d+% \[#*\s*\] [\d.]+ \w?i?B \/ 48\.0 MiB/);
    expect(onTerminal.stdout).toContain('\x1b[K');
    const piped = adapipe(['process', '-i', 'big.bin', '-o', 'again.adapipe', '--stages', 'checksum:sha256'], { cwd: dir });
    expect(piped.status).toBe(0);
    expect(piped.err).toBe('');
  });

  it('sweeps chunk sizes and workers with `benchmark --size 64 --json`, recommends a setting and writes a report when asked', () => {
    const dir = workspace();
    const result = adapipe(['--json', 'benchmark', '--size', '64', '--report', 'bench.md'], {
      cwd: dir,
      env: { ADAPIPE_DB: join(dir, 'b.db') },
    });
    expect(result.status, result.err).toBe(0);
    const report = JSON.parse(result.out);
    expect(report).toMatchObject({ command: 'benchmark', pipeline: 'default', bytes: 64_000_000, iterations: 3 });
    expect(report.results.length).toBeGreaterThanOrEqual(3);
    for (const row of report.results) {
      expect(row.processMBps).toBeGreaterThan(0);
      expect(row.restoreMBps).toBeGreaterThan(0);
      expect(row.ratio).toBeLessThan(0.5);
    }
    expect([1_048_576, 4_194_304, 16_777_216]).toContain(report.recommended.chunkSize);
    expect(report.report).toBe('bench.md');
    const markdown = readFileSync(join(dir, 'bench.md'), 'utf8');
    expect(markdown).toContain('| chunk size | workers | process MB/s | restore MB/s | ratio |');
    expect(markdown).toContain('Recommended: chunk size');
    const tuning = JSON.parse(readFileSync(join(dir, 'tuning.json'), 'utf8'));
    expect(report.tuning).toBe(join(dir, 'tuning.json'));
    expect(tuning).toMatchObject({ chunkSize: report.recommended.chunkSize, workers: report.recommended.workers });
  }, 120_000);

  it('processes with the chunk size and workers `benchmark` saved, unless told otherwise', () => {
    const dir = workspace();
    const env = { ...password, ADAPIPE_DB: join(dir, 'b.db') };
    const swept = adapipe(
      [
        '--json',
        'benchmark',
        '--size',
        '2',
        '--iterations',
        '1',
        '--chunk-sizes',
        '128K',
        '--workers',
        '1',
        '--stages',
        'compression:zstd',
      ],
      { cwd: dir, env },
    );
    expect(swept.status, swept.err).toBe(0);
    expect(JSON.parse(swept.out).report).toBeNull();
    expect(readdirSync(dir).filter((name) => name.endsWith('.md'))).toEqual([]);
    writeFileSync(join(dir, 'data.bin'), compressibleBytes(1_000_000));
    const tuned = JSON.parse(adapipe(['--json', 'process', '-i', 'data.bin', '--no-fsync'], { cwd: dir, env }).out);
    expect(tuned).toMatchObject({ chunkSize: 131_072, chunkCount: 8 });
    const explicit = JSON.parse(
      adapipe(['--json', 'process', '-i', 'data.bin', '-o', 'x.adapipe', '--chunk-size', '256K'], { cwd: dir, env }).out,
    );
    expect(explicit).toMatchObject({ chunkSize: 262_144, chunkCount: 4 });
    const untuned = JSON.parse(
      adapipe(['--json', 'process', '-i', 'data.bin', '-o', 'y.adapipe'], {
        cwd: dir,
        env: { ...password, ADAPIPE_DB: join(workspace(), 'other.db') },
      }).out,
    );
    expect(untuned).toMatchObject({ chunkSize: 1_048_576, chunkCount: 1 });
    expect(
      adapipe(['--json', 'benchmark', '--size', '1', '--iterations', '1', '--chunk-sizes', '64K', '--workers', '1', '--no-save'], {
        cwd: dir,
        env,
      }).status,
    ).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'tuning.json'), 'utf8')).chunkSize).toBe(131_072);
  }, 60_000);

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('serves /metrics during a run and exits %s → %i, leaving no temporary file', async (signal, code) => {
    const dir = workspace();
    const args = [
      '--verbose',
      '--metrics-port',
      '0',
      'process',
      '-i',
      '-',
      '-o',
      join(dir, 'live.adapipe'),
      '--stages',
      'checksum:sha256',
      '--chunk-size',
      '1K',
    ];
    const child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: dir, ADAPIPE_DB: join(dir, 'db.sqlite') },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (data: Buffer) => {
        stderr += data.toString();
        const match = /metrics: (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(stderr);
        if (match) resolve(match[1]!);
      });
      child.once('exit', () => reject(new Error(`exited early: ${stderr}`)));
    });
    child.stdin.write(compressibleBytes(10_000));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const metrics = await (await fetch(url)).text();
    expect(metrics).toMatch(/adapipe_input_bytes_total\{command="process"\} \d+/);
    expect(metrics).toContain('process_cpu_seconds_total');
    const exited = new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
    child.kill(signal);
    expect(await exited).toBe(code);
    expect(stderr).toContain(`interrupted by ${signal}`);
    expect(readdirSync(dir).filter((name) => name.includes('live'))).toEqual([]);
  });
});
