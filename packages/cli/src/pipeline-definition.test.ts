import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError, ExitCode } from './exit-code.js';
import { formatFieldPath, loadPipelineDefinition, parsePipelineDefinition, type PipelineFileFormat } from './pipeline-definition.js';

const yaml = `# a backup pipeline
name: secure-backup
chunkSize: 4M
plugins:
  - my-plugin
stages:
  - type: checksum
    algorithm: sha256
  - name: squash
    type: Compression
    algorithm: zstd
    parameters:
      level: 3
      long: true
      dictionary: none
    parallel: false
  - type: encryption
    algorithm: aes-256-gcm
  - type: checksum
    algorithm: sha256
    enabled: false
`;

const json = `{
  "name": "secure-backup",
  "chunkSize": "4M",
  "plugins": ["my-plugin"],
  "stages": [
    { "type": "checksum", "algorithm": "sha256" },
    { "name": "squash", "type": "Compression", "algorithm": "zstd",
      "parameters": { "level": 3, "long": true, "dictionary": "none" }, "parallel": false },
    { "type": "encryption", "algorithm": "aes-256-gcm" },
    { "type": "checksum", "algorithm": "sha256", "enabled": false }
  ]
}
`;

const toml = `name = "secure-backup"
chunkSize = "4M"
plugins = ["my-plugin"]

[[stages]]
type = "checksum"
algorithm = "sha256"

[[stages]]
name = "squash"
type = "Compression"
algorithm = "zstd"
parallel = false
[stages.parameters]
level = 3
long = true
dictionary = "none"

[[stages]]
type = "encryption"
algorithm = "aes-256-gcm"

[[stages]]
type = "checksum"
algorithm = "sha256"
enabled = false
`;

const files: Record<PipelineFileFormat, string> = { yaml, json, toml };

function failure(text: string, format: PipelineFileFormat, source = `pipeline.${format}`): CliError {
  try {
    parsePipelineDefinition(text, format, source);
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    return error as CliError;
  }
  throw new Error('expected a CliError');
}

/** Expects each `[text, message]`: the text, read as `format`, fails to parse with exactly that message. */
function expectFailures(format: PipelineFileFormat, cases: readonly (readonly [text: string, message: string])[]): void {
  for (const [text, message] of cases) expect(failure(text, format).message, text).toBe(message);
}

describe.each(['yaml', 'json', 'toml'] as const)('parsePipelineDefinition (%s)', (format) => {
  it('reads every field', () => {
    const definition = parsePipelineDefinition(files[format], format, `pipeline.${format}`);
    expect(definition.name).toBe('secure-backup');
    expect(definition.chunkSize).toBe(4 * 1024 * 1024);
    expect(definition.plugins).toEqual(['my-plugin']);
    const { pipeline } = definition;
    expect(pipeline.name).toBe('secure-backup');
    expect(pipeline.stages.map((stage) => [stage.name, stage.stageType, stage.algorithm, stage.enabled])).toEqual([
      ['input-checksum', 'checksum', 'sha256', true],
      ['squash', 'compression', 'zstd', true],
      ['encryption', 'encryption', 'aes-256-gcm', true],
      ['output-checksum', 'checksum', 'sha256', false],
    ]);
    expect(pipeline.stages[1]!.configuration.parameters).toEqual({ level: '3', long: 'true', dictionary: 'none' });
    expect(pipeline.stages[1]!.configuration.parallelProcessing).toBe(false);
    expect(pipeline.stages[0]!.configuration.parallelProcessing).toBe(true);
  });
});

describe('parsePipelineDefinition defaults and field errors', () => {
  it('defaults plugins to none and leaves the chunk size unset', () => {
    const definition = parsePipelineDefinition('name: p\nstages:\n  - type: checksum\n    algorithm: sha256\n', 'yaml', 'p.yaml');
    expect(definition.plugins).toEqual([]);
    expect(definition.chunkSize).toBeUndefined();
    expect('chunkSize' in definition).toBe(false);
  });

  it('accepts a chunk size in bytes', () => {
    const definition = parsePipelineDefinition(
      '{"name":"p","chunkSize":65536,"stages":[{"type":"checksum","algorithm":"sha256"}]}',
      'json',
      'p.json',
    );
    expect(definition.chunkSize).toBe(65536);
  });

  it('points at a YAML field with its line and column', () => {
    const text = 'name: p\nstages:\n  - type: checksum\n    algorithm: sha256\n  - type: compression\n    algorithm: 42\n';
    const error = failure(text, 'yaml');
    expect(error.exitCode).toBe(ExitCode.Input);
    expect(error.message).toBe('pipeline.yaml:6:16: stages[1].algorithm: expected a non-empty string, found 42');
  });

  it('points at a JSON field with its line and column', () => {
    const text =
      '{\n  "name": "p",\n  "stages": [\n    {"type": "checksum", "algorithm": "sha256"},\n    {"type": "compression", "algorithm": 42}\n  ]\n}';
    expect(failure(text, 'json').message).toBe('pipeline.json:5:42: stages[1].algorithm: expected a non-empty string, found 42');
  });

  it('points at a TOML field with its line and column', () => {
    const text = 'name = "p"\n\n[[stages]]\ntype = "checksum"\nalgorithm = "sha256"\n\n[[stages]]\ntype = "compression"\nalgorithm = 42\n';
    expect(failure(text, 'toml').message).toBe('pipeline.toml:9:13: stages[1].algorithm: expected a non-empty string, found 42');
  });

  it('points at TOML parameters in a sub-table and in an inline table', () => {
    const sub = 'name = "p"\n[[stages]]\ntype = "compression"\nalgorithm = "zstd"\n[stages.parameters]\nlevel = [1]\n';
    const inline = 'name = "p"\n[[stages]]\ntype = "compression"\nalgorithm = "zstd"\nparameters = { level = 3, dict = {} }\n';
    expectFailures('toml', [
      [sub, 'pipeline.toml:6:9: stages[0].parameters.level: expected a string, number or boolean, found a list'],
      [inline, 'pipeline.toml:5:34: stages[0].parameters.dict: expected a string, number or boolean, found a mapping'],
    ]);
  });

  it('points into a TOML inline array', () => {
    const text = 'name = "p"\nstages = [\n  { type = "checksum", algorithm = false },\n]\n';
    expect(failure(text, 'toml').message).toBe('pipeline.toml:3:36: stages[0].algorithm: expected a non-empty string, found false');
  });

  it('names unknown fields at the key, with a suggestion', () => {
    const text = 'name: p\nstages:\n  - type: checksum\n    algoritm: sha256\n    colour: red\n';
    expect(failure(text, 'yaml').message).toBe(
      'pipeline.yaml:3:5: stages[0].algorithm: expected a non-empty string, found nothing\n' +
        "pipeline.yaml:4:5: stages[0].algoritm: unknown fields 'algoritm' (did you mean 'algorithm'?), 'colour'; allowed: name, type, algorithm, parameters, parallel, enabled",
    );
    expect(failure('{"name": "p", "stage": []}', 'json').message).toBe(
      'pipeline.json:1:1: stages: expected a non-empty list of stages, found nothing\n' +
        "pipeline.json:1:15: stage: unknown field 'stage' (did you mean 'stages'?); allowed: $schema, name, chunkSize, plugins, stages",
    );
  });

  it('reports missing and mistyped fields', () => {
    expectFailures('yaml', [
      ['name: p\n', 'pipeline.yaml:1:1: stages: expected a non-empty list of stages, found nothing'],
      ['name: p\nstages: []\n', 'pipeline.yaml:2:9: stages: expected a non-empty list of stages, found an empty list'],
      ['- 1\n', 'pipeline.yaml:1:1: expected a mapping with the fields name and stages, found a list'],
      [
        'stages: []\n',
        'pipeline.yaml:1:1: name: expected a non-empty string, found nothing\n' +
          'pipeline.yaml:1:9: stages: expected a non-empty list of stages, found an empty list',
      ],
      ['name: p\nstages:\n  - algorithm: sha256\n', 'pipeline.yaml:3:5: stages[0].type: expected a non-empty string, found nothing'],
      [
        'name: p\nstages:\n  - type: checksum\n    algorithm: sha256\n    parallel: "yes"\n',
        "pipeline.yaml:5:15: stages[0].parallel: expected true or false, found 'yes'",
      ],
      [
        'name: p\nplugins: [a, ""]\nstages:\n  - {type: checksum, algorithm: sha256}\n',
        "pipeline.yaml:2:14: plugins[1]: expected a non-empty string, found ''",
      ],
      [
        'name: p\nstages:\n  - checksum:sha256\n',
        "pipeline.yaml:3:5: stages[0]: expected a mapping with the fields type and algorithm, found 'checksum:sha256'",
      ],
    ]);
  });

  it('prefixes core errors with the field path and exits with the input code', () => {
    const unknownType = failure('name: p\nstages:\n  - type: compresion\n    algorithm: zstd\n', 'yaml');
    expect(unknownType.exitCode).toBe(ExitCode.Input);
    expect(unknownType.message).toBe(
      "pipeline.yaml:3:11: stages[0].type: Unknown stage type 'compresion': expected one of compression, encryption, transform, checksum, passthrough",
    );
    expectFailures('yaml', [
      [
        'name: p\nchunkSize: 512\nstages:\n  - {type: checksum, algorithm: sha256}\n',
        'pipeline.yaml:2:12: chunkSize: Chunk size must be between 1KB and 100MB (1024..104857600 bytes), found 512',
      ],
      [
        'name: p\nchunkSize: 4X\nstages:\n  - {type: checksum, algorithm: sha256}\n',
        "pipeline.yaml:2:12: chunkSize: '4X' is not a size; use a number of bytes or a suffix K, M, G (e.g. 4M)",
      ],
    ]);
  });

  it('points incompatible stages at the stage that cannot follow, keeping both names', () => {
    const text =
      'name: p\nstages:\n  - type: checksum\n    algorithm: sha256\n  - type: encryption\n    algorithm: aes-256-gcm\n  - type: compression\n    algorithm: zstd\n';
    const error = failure(text, 'yaml');
    expect(error.exitCode).toBe(ExitCode.Input);
    expect(error.message).toMatch(
      /^pipeline\.yaml:7:5: stages\[2\]: Pipeline 'p': stage 'encryption' \(encryption\) cannot be followed by stage 'compression' \(compression\)/,
    );
  });

  it('accepts an incompatible stage when it is disabled', () => {
    const text =
      'name: p\nstages:\n  - {type: encryption, algorithm: aes-256-gcm}\n  - {type: compression, algorithm: zstd, enabled: false}\n';
    expect(parsePipelineDefinition(text, 'yaml', 'p.yaml').pipeline.enabledStages).toHaveLength(1);
  });

  it('rejects duplicate stage names and names the other stage', () => {
    const text = 'name: p\nstages:\n  - {name: a, type: checksum, algorithm: sha256}\n  - {name: a, type: checksum, algorithm: sha512}\n';
    expect(failure(text, 'yaml').message).toBe(
      "pipeline.yaml:4:12: stages[1].name: stage name 'a' is already used by stages[0]; stage names must be unique",
    );
  });

  it('defaults names around given ones', () => {
    const text =
      '{"name":"p","stages":[{"type":"checksum","algorithm":"a"},{"name":"input-checksum-2","type":"checksum","algorithm":"b"},{"type":"checksum","algorithm":"c"}]}';
    expect(parsePipelineDefinition(text, 'json', 'p.json').pipeline.stages.map((stage) => stage.name)).toEqual([
      'input-checksum',
      'input-checksum-2',
      'input-checksum-3',
    ]);
  });
});

describe('parsePipelineDefinition: every problem, $schema, comments', () => {
  const schemaLines: Record<PipelineFileFormat, string> = {
    json: files.json.replace('{\n', '{\n  "$schema": "https://example.org/pipeline.schema.json",\n'),
    yaml: `$schema: ./pipeline.schema.json\n${files.yaml}`,
    toml: `"$schema" = "./pipeline.schema.json"\n${files.toml}`,
  };

  it.each(['json', 'yaml', 'toml'] as const)('accepts $schema in %s and reads the rest as before', (format) => {
    const definition = parsePipelineDefinition(schemaLines[format], format, `pipeline.${format}`);
    expect(definition.pipeline.stages.map((stage) => stage.algorithm)).toEqual(['sha256', 'zstd', 'aes-256-gcm', 'sha256']);
  });

  it('accepts comments in JSON, as VS Code writes JSON with Comments', () => {
    const text = '// nightly\n{ "name": "p", /* the one stage */ "stages": [{ "type": "checksum", "algorithm": "sha256" }] }';
    expect(parsePipelineDefinition(text, 'json', 'p.json').name).toBe('p');
  });

  it.each([
    [
      'json',
      '{"name": "p",\n "stages": [{"type": "checksum", "algorithm": 1, "colour": "red"},\n  {"type": "nope", "algorithm": "x"}],\n "chunkSize": 5}',
    ],
    ['yaml', 'name: p\nstages:\n  - {type: checksum, algorithm: 1, colour: red}\n  - {type: nope, algorithm: x}\nchunkSize: 5\n'],
    [
      'toml',
      'name = "p"\nstages = [\n  { type = "checksum", algorithm = 1, colour = "red" },\n  { type = "nope", algorithm = "x" },\n]\nchunkSize = 5\n',
    ],
  ] as const)('lists every problem of a %s file, each with its place, in file order', (format, text) => {
    const lines = failure(text, format).message.split('\n');
    expect(lines).toHaveLength(4);
    const fields = lines.map((line) => line.replace(/^pipeline\.\w+:\d+:\d+: /, '').split(':')[0]);
    expect(fields.sort()).toEqual(['chunkSize', 'stages[0].algorithm', 'stages[0].colour', 'stages[1].type']);
    for (const line of lines) expect(line).toMatch(new RegExp(`^pipeline\\.${format}:\\d+:\\d+: \\S+: `));
    const rows = lines.map((line) => Number(/:(\d+):\d+: /.exec(line)![1]));
    expect(rows).toEqual([...rows].sort((a, b) => a - b));
  });

  it.each([
    ['json', '{"__proto__": {"name": "p"}, "stages": [{"type": "checksum", "algorithm": "sha256"}]}'],
    ['yaml', '__proto__: {name: p}\nstages: [{type: checksum, algorithm: sha256}]\n'],
    ['toml', '"__proto__" = { name = "p" }\n[[stages]]\ntype = "checksum"\nalgorithm = "sha256"\n'],
  ] as const)('keeps a %s field named __proto__ a field: it is unknown, and lends no name', (format, text) => {
    const message = failure(text, format).message;
    expect(message).toContain('name: expected a non-empty string, found nothing');
    expect(message).toContain("__proto__: unknown field '__proto__'");
  });
});

describe('parsePipelineDefinition syntax errors', () => {
  it.each([
    ['yaml', 'name: p\nstages:\n  - type: checksum\n   algorithm: [\n', /^pipeline\.yaml:\d+:\d+: invalid YAML: /],
    ['yaml', 'name: a\nname: b\n', /^pipeline\.yaml:2:1: invalid YAML: Map keys must be unique/],
    ['json', '{\n  "name": "p",\n  "stages": [,]\n}', /^pipeline\.json:3:14: invalid JSON: expected a value, found ','$/],
    ['json', '{\n  "name": "p",\n}', /^pipeline\.json:3:1: invalid JSON: expected a field name in double quotes, found '}'$/],
    ['json', '{"name": "p", "name": "q"}', /^pipeline\.json:1:15: invalid JSON: duplicate field 'name'$/],
    ['json', '{"name": "p"} x', /^pipeline\.json:1:15: invalid JSON: unexpected 'x'$/],
    ['json', '{"name": "p', /^pipeline\.json:1:10: invalid JSON: unterminated string$/],
    ['json', '', /^pipeline\.json:1:1: invalid JSON: expected a value, found the end of the file$/],
    ['json', '{"a": tru}', /^pipeline\.json:1:7: invalid JSON: unexpected 't'$/],
    ['json', '{"a": "\\x"}', /^pipeline\.json:1:7: invalid JSON: invalid escape in a string$/],
    ['json', '['.repeat(200), /^pipeline\.json:1:101: invalid JSON: nested deeper than 100 levels$/],
    ['toml', 'name = "p"\n[[stages]]\ntype = \n', /^pipeline\.toml:4:1: invalid TOML: Unspecified values are invalid$/],
    ['toml', 'name = "p"\nname = "q"\n', /^pipeline\.toml:2:1: invalid TOML: /],
  ] as const)('reports a malformed %s file with its position', (format, text, message) => {
    const error = failure(text, format);
    expect(error.exitCode).toBe(ExitCode.Input);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
  });

  it('reads strict JSON as JSON.parse does', () => {
    const text =
      '{"name":"p \\"q\\" \\u00e9\\ud83d\\ude00\\/","stages":[{"type":"checksum","algorithm":"sha256","parameters":{"n":-1.5e3,"z":0}}]}';
    const definition = parsePipelineDefinition(text, 'json', 'p.json');
    expect(definition.name).toBe(JSON.parse(text).name);
    expect(definition.pipeline.stages[0]!.configuration.parameters).toEqual({ n: '-1500', z: '0' });
  });
});

describe('loadPipelineDefinition', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'adapipe-definition-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it.each([
    ['p.yaml', yaml],
    ['p.YML', yaml],
    ['p.json', json],
    ['p.toml', toml],
  ])('loads %s by its extension', async (name, text) => {
    await writeFile(join(folder, name), text);
    const definition = await loadPipelineDefinition(join(folder, name));
    expect(definition.pipeline.stages).toHaveLength(4);
  });

  it('names the file in content errors', async () => {
    const path = join(folder, 'bad.yaml');
    await writeFile(path, 'name: p\nstages: 3\n');
    await expect(loadPipelineDefinition(path)).rejects.toThrow(`${path}:2:9: stages: expected a non-empty list of stages, found 3`);
  });

  it('rejects an unknown extension as a usage error', async () => {
    await expect(loadPipelineDefinition(join(folder, 'p.ini'))).rejects.toMatchObject({
      exitCode: ExitCode.Usage,
      message: expect.stringContaining('use a .json, .yaml, .yml or .toml file'),
    });
  });

  it('reports unreadable files as input errors naming the path', async () => {
    const missing = join(folder, 'missing.json');
    await expect(loadPipelineDefinition(missing)).rejects.toMatchObject({
      exitCode: ExitCode.Input,
      message: `${missing}: cannot read the pipeline file: no such file`,
    });
    const directory = join(folder, 'dir.toml');
    await mkdir(directory);
    await expect(loadPipelineDefinition(directory)).rejects.toMatchObject({
      exitCode: ExitCode.Input,
      message: `${directory}: cannot read the pipeline file: it is a directory`,
    });
  });

  it('rejects a file that is not UTF-8', async () => {
    const path = join(folder, 'latin1.json');
    await writeFile(path, Uint8Array.of(0x7b, 0xe9, 0x7d));
    await expect(loadPipelineDefinition(path)).rejects.toMatchObject({
      exitCode: ExitCode.Input,
      message: `${path}: the pipeline file is not UTF-8 text`,
    });
  });
});

describe('formatFieldPath', () => {
  it('writes indexes in brackets and quotes odd names', () => {
    expect(formatFieldPath(['stages', 1, 'parameters', 'level'])).toBe('stages[1].parameters.level');
    expect(formatFieldPath(['stages', 0, 'parameters', 'a b'])).toBe('stages[0].parameters["a b"]');
  });
});
