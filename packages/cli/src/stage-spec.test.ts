import { thrownBy } from '@adapipe/core/testing';
import { Pipeline, PipelineStage, StageConfiguration, StageType } from '@adapipe/core';
import { describe, expect, it } from 'vitest';
import { CliError, ExitCode } from './exit-code.js';
import { defaultStageNames, formatStageSpec, parseStageSpec } from './stage-spec.js';

const canonical = 'checksum:sha256,compression:zstd:level=3,encryption:aes-256-gcm,checksum:sha256';

describe('parseStageSpec', () => {
  it('builds the canonical pipeline with conventional stage names', () => {
    const pipeline = parseStageSpec(canonical);
    expect(pipeline.name).toBe('custom');
    expect(pipeline.stages.map((stage) => [stage.name, stage.stageType, stage.algorithm, stage.order])).toEqual([
      ['input-checksum', 'checksum', 'sha256', 0],
      ['compression', 'compression', 'zstd', 1],
      ['encryption', 'encryption', 'aes-256-gcm', 2],
      ['output-checksum', 'checksum', 'sha256', 3],
    ]);
    expect(pipeline.stages[1]!.configuration.parameters).toEqual({ level: '3' });
    expect(pipeline.stages[1]!.configuration.parallelProcessing).toBe(true);
  });

  it('uses the given pipeline name, reads types case-insensitively and trims white space', () => {
    const pipeline = parseStageSpec(' CHECKSUM : sha256 , Compression:brotli: level = 9 ; window=22; ', 'archive');
    expect(pipeline.name).toBe('archive');
    expect(pipeline.stages.map((stage) => stage.stageType)).toEqual([StageType.Checksum, StageType.Compression]);
    expect(pipeline.stages[1]!.configuration.parameters).toEqual({ level: '9', window: '22' });
  });

  it('keeps colons inside parameter values', () => {
    const pipeline = parseStageSpec('passthrough:tee:path=/tmp/a:b');
    expect(pipeline.stages[0]!.configuration.parameters).toEqual({ path: '/tmp/a:b' });
  });

  it('suffixes repeated names', () => {
    const pipeline = parseStageSpec('checksum:sha256,checksum:blake3,transform:x,transform:y,checksum:sha512,checksum:sha256');
    expect(pipeline.stages.map((stage) => stage.name)).toEqual([
      'input-checksum',
      'input-checksum-2',
      'transform',
      'transform-2',
      'output-checksum',
      'output-checksum-2',
    ]);
  });

  it('names a checksum after a pass-through stage still an input checksum', () => {
    expect(parseStageSpec('passthrough:debug,checksum:sha256').stages.map((stage) => stage.name)).toEqual([
      'passthrough',
      'input-checksum',
    ]);
  });

  it.each([
    ['', '--stages: empty; expected type:algorithm[:key=value;…], separated by commas (e.g. checksum:sha256,compression:zstd)'],
    ['   ', '--stages: empty; expected type:algorithm[:key=value;…], separated by commas (e.g. checksum:sha256,compression:zstd)'],
    ['checksum:sha256,compression', "--stages item 2 ('compression'): expected type:algorithm[:key=value;…]"],
    ['checksum:sha256,compression:', "--stages item 2 ('compression:'): expected type:algorithm[:key=value;…]"],
    [':zstd', "--stages item 1 (':zstd'): expected type:algorithm[:key=value;…]"],
    ['checksum:sha256,,checksum:sha256', "--stages item 2 (''): expected type:algorithm[:key=value;…]"],
    [
      'compression:zstd:',
      "--stages item 1 ('compression:zstd:'): no parameters after the second ':'; expected type:algorithm[:key=value;…]",
    ],
    ['compression:zstd:level', "--stages item 1 ('compression:zstd:level'): parameter 'level' has no value; write level=VALUE"],
    ['compression:zstd:=3', "--stages item 1 ('compression:zstd:=3'): parameter '=3' has an empty key; write key=value"],
    ['compression:zstd:level=3;level=4', "--stages item 1 ('compression:zstd:level=3;level=4'): parameter 'level' is given twice"],
    [
      'checksum:sha256,compresion:zstd',
      "--stages item 2 ('compresion:zstd'): Unknown stage type 'compresion': expected one of compression, encryption, transform, checksum, passthrough",
    ],
  ])('rejects %j as a usage error', (spec, message) => {
    expect(() => parseStageSpec(spec)).toThrow(new CliError(message, ExitCode.Usage));
    try {
      parseStageSpec(spec);
    } catch (error) {
      expect((error as CliError).exitCode).toBe(ExitCode.Usage);
    }
  });

  it("lets core's IncompatibleStages error through unchanged", () => {
    expect(thrownBy(() => parseStageSpec('encryption:aes-256-gcm,compression:zstd'), 'IncompatibleStages').message).toContain(
      "stage 'encryption' (encryption) cannot be followed by stage 'compression' (compression)",
    );
  });
});

describe('formatStageSpec', () => {
  it.each([
    canonical,
    'compression:lz4,checksum:blake3',
    'compression:brotli:level=9;window=22,checksum:sha256',
    'passthrough:tee:path=/tmp/a:b',
  ])('round-trips %j', (spec) => {
    const pipeline = parseStageSpec(spec);
    expect(formatStageSpec(pipeline)).toBe(spec);
    const again = parseStageSpec(formatStageSpec(pipeline));
    expect(again.stages.map((stage) => [stage.name, stage.stageType, stage.algorithm, stage.configuration.parameters])).toEqual(
      pipeline.stages.map((stage) => [stage.name, stage.stageType, stage.algorithm, stage.configuration.parameters]),
    );
  });

  it('leaves out disabled stages', () => {
    const compression = new PipelineStage('squash', StageType.Compression, new StageConfiguration('zstd', { level: '1' }), 1);
    compression.setEnabled(false);
    const pipeline = new Pipeline('p', [new PipelineStage('sum', StageType.Checksum, new StageConfiguration('sha256'), 0), compression]);
    expect(formatStageSpec(pipeline)).toBe('checksum:sha256');
  });
});

describe('defaultStageNames', () => {
  it('keeps given names and avoids them when naming the others', () => {
    expect(
      defaultStageNames([
        { type: StageType.Compression },
        { type: StageType.Compression, name: 'compression-2' },
        { type: StageType.Compression },
        { type: StageType.Checksum, name: 'input-checksum' },
        { type: StageType.Checksum },
      ]),
    ).toEqual(['compression', 'compression-2', 'compression-3', 'input-checksum', 'output-checksum']);
  });
});
