import { thrownBy } from '../testing/pipeline-error-of.js';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { PipelineStage } from '../domain/pipeline-stage.js';
import { StageConfiguration } from '../domain/stage-configuration.js';
import { StageType } from '../domain/stage-type.js';
import { PipelineError } from '../errors/pipeline-error.js';
import { boolean, filePath, integer, oneOf, text } from './scalar-fields.js';
import { defineStageParameters, stageLabel } from './stage-parameters.js';

const schema = defineStageParameters({
  level: integer({ min: 1, max: 22, default: 3, description: 'how hard to compress' }),
  format: oneOf(['binary', 'hex'], { default: 'binary' }),
  enabled: boolean({ default: true }),
  label: text({ maxLength: 8 }),
  output_path: filePath({ required: true }),
});

function stage(parameters: Record<string, string>): PipelineStage {
  return new PipelineStage('compress', StageType.Compression, new StageConfiguration('zstd', parameters), 0);
}

function messageOf(parameters: Record<string, string>): string {
  try {
    schema.parse(stage(parameters));
  } catch (error) {
    expect(PipelineError.is(error) && error.kind).toBe('InvalidConfiguration');
    return (error as Error).message;
  }
  throw new Error('parse accepted the parameters');
}

describe('defineStageParameters', () => {
  it('parses text into typed values and fills in defaults', () => {
    const values = schema.parse(stage({ output_path: 'copy.bin', level: ' 19 ', format: 'HEX', enabled: 'False' }));
    expect(values).toEqual({ level: 19, format: 'hex', enabled: false, label: undefined, output_path: 'copy.bin' });
    expect(schema.parse(stage({ output_path: 'x', label: 'tag' }))).toMatchObject({
      level: 3,
      format: 'binary',
      enabled: true,
      label: 'tag',
    });
    expectTypeOf(values.level).toEqualTypeOf<number>();
    expectTypeOf(values.format).toEqualTypeOf<'binary' | 'hex'>();
    expectTypeOf(values.label).toEqualTypeOf<string | undefined>();
    expectTypeOf(values.output_path).toEqualTypeOf<string>();
  });

  it('words every bad value one way: label, parameter, expected, default, found', () => {
    const label = "Stage 'compress' (compression:zstd)";
    expect(messageOf({ output_path: 'x', level: '23' })).toBe(
      `${label}: parameter 'level' must be a whole number from 1 to 22 (default 3), found "23"`,
    );
    expect(messageOf({ output_path: 'x', level: '1.5' })).toBe(
      `${label}: parameter 'level' must be a whole number from 1 to 22 (default 3), found "1.5"`,
    );
    expect(messageOf({ output_path: 'x', format: 'octal' })).toBe(
      `${label}: parameter 'format' must be one of binary, hex (default binary), found "octal"`,
    );
    expect(messageOf({ output_path: 'x', enabled: 'yes' })).toBe(
      `${label}: parameter 'enabled' must be true or false (default true), found "yes"`,
    );
    expect(messageOf({ output_path: 'x', label: 'much too long' })).toBe(
      `${label}: parameter 'label' must be 1 to 8 characters, not only spaces, found "much too long"`,
    );
    expect(messageOf({})).toBe(
      `${label}: parameter 'output_path' must be a file path (not empty, no NUL character) (required), found none`,
    );
    expect(messageOf({ output_path: 'a\0b' })).toBe(
      `${label}: parameter 'output_path' must be a file path (not empty, no NUL character) (required), found "a\\u0000b"`,
    );
  });

  it('names the closest known parameter on a typo and lists them all', () => {
    expect(messageOf({ output_path: 'x', levle: '3' })).toBe(
      "Stage 'compress' (compression:zstd): parameter 'levle' is unknown; did you mean 'level'? known parameters: level, format, enabled, label, output_path",
    );
    const none = defineStageParameters({});
    expect(() => none.parse(stage({ level: '3' }))).toThrow(
      "Stage 'compress' (compression:zstd): parameter 'level' is unknown; compression:zstd takes no parameters",
    );
  });

  it('describes itself for plugins --json', () => {
    expect(schema.describe()).toEqual([
      {
        name: 'level',
        kind: 'integer',
        expected: 'a whole number from 1 to 22',
        required: false,
        default: 3,
        minimum: 1,
        maximum: 22,
        description: 'how hard to compress',
      },
      { name: 'format', kind: 'choice', expected: 'one of binary, hex', required: false, default: 'binary', values: ['binary', 'hex'] },
      { name: 'enabled', kind: 'boolean', expected: 'true or false', required: false, default: true },
      { name: 'label', kind: 'text', expected: '1 to 8 characters, not only spaces', required: false, maxLength: 8 },
      { name: 'output_path', kind: 'path', expected: 'a file path (not empty, no NUL character)', required: true },
    ]);
    expect(JSON.parse(JSON.stringify(schema.describe()))).toEqual(schema.describe());
  });

  it('gives cross-parameter errors the same shape', () => {
    expect(schema.invalid(stage({}), 'level', 'applies only to zstd').message).toBe(
      `${stageLabel(stage({}))}: parameter 'level' applies only to zstd`,
    );
  });

  it('reads recorded run parameters with the same fields, as CorruptContainer', () => {
    expect(schema.parseRecorded(stage({}), { output_path: 'x', level: '7' })).toMatchObject({ level: 7, format: 'binary' });
    expect(thrownBy(() => schema.parseRecorded(stage({}), { output_path: 'x', level: '99' }), 'CorruptContainer').message).toBe(
      `Stage 'compress' (compression:zstd): run parameter 'level' must be a whole number from 1 to 22 (default 3), found "99"`,
    );
  });

  it('refuses a default its own field would refuse', () => {
    expect(() => integer({ min: 1, max: 9, default: 10 })).toThrow(RangeError);
    expect(() => oneOf(['a', 'b'], { default: 'c' as 'a' })).toThrow(RangeError);
  });

  it('offers invalid examples that the field refuses', () => {
    for (const field of Object.values(schema.fields)) {
      expect(field.invalidExamples.length).toBeGreaterThan(0);
      for (const example of field.invalidExamples) expect(field.fromText(example)).not.toHaveProperty('value');
    }
  });

  it('matches choices through aliases and reports the listed spelling', () => {
    const algorithm = oneOf(['sha256', 'blake3'], { aliases: { 'sha-256': 'sha256', b3: 'blake3' } });
    expect(algorithm.fromText('SHA-256')).toEqual({ value: 'sha256' });
    expect(algorithm.fromText(' B3 ')).toEqual({ value: 'blake3' });
    expect(algorithm.fromText('md5')).toEqual({ problem: 'range' });
  });
});
