import { describe, expect, it } from 'vitest';
import { isStageType, parseStageType, StageType, stageTypes } from './stage-type.js';

describe('StageType', () => {
  it('has five lowercase values', () => {
    expect(stageTypes).toEqual(['compression', 'encryption', 'transform', 'checksum', 'passthrough']);
    expect(StageType.Compression).toBe('compression');
  });

  it('parses any case and surrounding space', () => {
    expect(parseStageType('  PassThrough ')).toBe(StageType.PassThrough);
    expect(parseStageType('Checksum')).toBe(StageType.Checksum);
  });

  it('lists the valid types when parsing fails', () => {
    expect(() => parseStageType('zip')).toThrow(
      expect.objectContaining({
        kind: 'InvalidConfiguration',
        message: "Unknown stage type 'zip': expected one of compression, encryption, transform, checksum, passthrough",
      }),
    );
  });

  it('recognises exact values only', () => {
    expect(isStageType('checksum')).toBe(true);
    expect(isStageType('CHECKSUM')).toBe(false);
    expect(isStageType(3)).toBe(false);
  });
});
