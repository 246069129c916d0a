import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createAdapipe,
  PipelineError,
  PipelineStage,
  type RegisteredCapability,
  StageConfiguration,
  StageExecutorRegistry,
} from '@adapipe/core';
import { checksumContainerModule } from '@adapipe/plugin-checksum';
import { compressionContainerModule } from '@adapipe/plugin-compression';
import { debugContainerModule } from '@adapipe/plugin-debug';
import { encryptionContainerModule } from '@adapipe/plugin-encryption';
import { teeContainerModule } from '@adapipe/plugin-tee';
import { deltaContainerModule } from '../examples/custom-stage/src/index.js';
import { afterAll, describe, expect, it } from 'vitest';

/** The one shape of every message about a stage parameter. */
const invalidValue = /^Stage '[^']+' \([a-z]+:[a-z0-9-]+\): parameter '[a-z0-9_]+' must be .+, found .+$/;
const unknownName =
  /^Stage '[^']+' \([a-z]+:[a-z0-9-]+\): parameter '[a-z0-9_]+' is unknown; ((did you mean '[a-z0-9_]+'\? )?known parameters: [a-z0-9_, ]+|[a-z]+:[a-z0-9-]+ takes no parameters)$/;

const { container } = createAdapipe(
  checksumContainerModule(),
  compressionContainerModule(),
  debugContainerModule(),
  encryptionContainerModule(),
  teeContainerModule(),
  deltaContainerModule(),
);
const registry = container.get(StageExecutorRegistry);
const capabilities = registry.capabilities;

/** Valid values for the parameters a stage cannot go without. */
function required(capability: RegisteredCapability): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of capability.parameters?.describe() ?? []) if (field.required) values[field.name] = 'parameter-copy.bin';
  return values;
}

function stageOf(capability: RegisteredCapability, parameters: Record<string, string>): PipelineStage {
  return new PipelineStage('probe', capability.stageType, new StageConfiguration(capability.algorithm, parameters), 0);
}

function refusal(capability: RegisteredCapability, parameters: Record<string, string>): PipelineError {
  try {
    registry.resolve(capability.stageType, capability.algorithm).validate(stageOf(capability, parameters));
  } catch (error) {
    if (PipelineError.is(error, 'InvalidConfiguration')) return error;
    throw error;
  }
  throw new Error(`${capability.stageType}:${capability.algorithm} accepted ${JSON.stringify(parameters)}`);
}

const cases = capabilities.flatMap((capability) =>
  Object.entries(capability.parameters?.fields ?? {}).flatMap(([name, field]) =>
    field.invalidExamples.map((example) => [`${capability.stageType}:${capability.algorithm}`, name, example, capability] as const),
  ),
);

describe('stage parameter messages, across every official plugin and the example', () => {
  it('every installed capability declares its parameters', () => {
    expect(capabilities.filter((capability) => capability.parameters === undefined).map((c) => `${c.stageType}:${c.algorithm}`)).toEqual(
      [],
    );
    expect(cases.length).toBeGreaterThan(40);
  });

  it.each(cases)('%s refuses %s=%j in the one pattern', (_label, name, example, capability) => {
    const error = refusal(capability, { ...required(capability), [name]: example });
    expect(error.message).toMatch(invalidValue);
    expect(error.message).toContain(`parameter '${name}' must be ${capability.parameters!.fields[name]!.expected}`);
  });

  it.each(capabilities.map((capability) => [`${capability.stageType}:${capability.algorithm}`, capability] as const))(
    '%s refuses an unknown parameter in the one pattern',
    (_label, capability) => {
      const typo = Object.keys(capability.parameters?.fields ?? {})[0];
      const error = refusal(capability, { ...required(capability), [typo === undefined ? 'levle' : `${typo}x`]: '1' });
      expect(error.message).toMatch(unknownName);
      if (typo !== undefined) expect(error.message).toContain(`did you mean '${typo}'?`);
    },
  );

  it('cross-parameter checks keep the pattern', () => {
    const aes = capabilities.find((capability) => capability.algorithm === 'aes-256-gcm')!;
    for (const parameters of [
      { kdf: 'argon2id', scrypt_n: '1024' },
      { argon2_memory_kib: '16', argon2_parallelism: '4' },
      { password: 'x' },
    ]) {
      expect(refusal(aes, parameters).message).toMatch(/^Stage 'probe' \(encryption:aes-256-gcm\): parameter '[a-z_0-9]+' /);
    }
  });
});

describe('stage parameter messages through the built adapipe', () => {
  const adapipe = fileURLToPath(new URL('../packages/cli/dist/bin/adapipe.js', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'adapipe-parameters-'));
  writeFileSync(join(dir, 'in.txt'), 'some input');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const official = capabilities.filter((capability) => capability.packageName.startsWith('@adapipe/'));
  it.each(official.map((capability) => [`${capability.stageType}:${capability.algorithm}`, capability] as const))(
    '%s: a bad value and an unknown name are each one stderr line in the pattern, exit 2, nothing written',
    (label, capability) => {
      const base = Object.entries(required(capability)).map(([name, value]) => `${name}=${value}`);
      const optional = Object.entries(capability.parameters?.fields ?? {}).filter(([, field]) => !field.required);
      const typable = optional.flatMap(([name, field]) =>
        field.invalidExamples.filter((text) => /^[ -~]*\S[ -~]*$/.test(text)).map((text) => `${name}=${text}`),
      );
      const attempts = [[...base, 'bogus_parameter=1'], ...typable.slice(0, 1).map((bad) => [...base, bad])];
      for (const parameters of attempts) {
        const spec = `${label}:${parameters.join(';')}`;
        const run = spawnSync(process.execPath, [adapipe, 'process', '-i', 'in.txt', '-o', 'out.adapipe', '--stages', spec], {
          cwd: dir,
          encoding: 'utf8',
        });
        expect(run.status, run.stderr).toBe(2);
        const lines = run.stderr.trimEnd().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]!.replace(/^adapipe: /, '')).toMatch(parameters.at(-1)!.startsWith('bogus') ? unknownName : invalidValue);
        expect(spawnSync('ls', [dir], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).sort()).toEqual(['in.txt']);
      }
    },
  );
});
