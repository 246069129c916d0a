import { StageType } from './stage-type.js';

/**
 * The seed's compatibility matrix: whether a stage of type `from` may feed a stage of type `to`.
 * "Rare" and "depends" cells of the seed (compression → transform, transform → transform) are allowed.
 *
 * | from \ to    | compression | encryption | checksum | passthrough | transform |
 * |--------------|-------------|------------|----------|-------------|-----------|
 * | compression  | no          | yes        | yes      | yes         | yes       |
 * | encryption   | no          | no         | yes      | yes         | no        |
 * | checksum     | yes         | yes        | yes      | yes         | yes       |
 * | passthrough  | yes         | yes        | yes      | yes         | yes       |
 * | transform    | yes         | yes        | yes      | yes         | yes       |
 */
export const stageCompatibility: Readonly<Record<StageType, Readonly<Record<StageType, boolean>>>> = Object.freeze({
  [StageType.Compression]: row({ compression: false }),
  [StageType.Encryption]: row({ compression: false, encryption: false, transform: false }),
  [StageType.Checksum]: row({}),
  [StageType.PassThrough]: row({}),
  [StageType.Transform]: row({}),
});

/** Whether data produced by a `from` stage may be fed to a `to` stage. */
export function areStageTypesCompatible(from: StageType, to: StageType): boolean {
  return stageCompatibility[from][to];
}

/** The reason a `from` → `to` pair is rejected, for error messages. */
export function incompatibilityReason(from: StageType, to: StageType): string {
  if (from === to) {
    return `double ${from} is not allowed`;
  }
  if (from === StageType.Encryption) {
    return `cannot ${to === StageType.Compression ? 'compress' : 'transform'} encrypted data; compress or transform before encrypting`;
  }
  return `${from} cannot be followed by ${to}`;
}

function row(denied: Partial<Record<StageType, false>>): Readonly<Record<StageType, boolean>> {
  return Object.freeze({
    [StageType.Compression]: denied.compression ?? true,
    [StageType.Encryption]: denied.encryption ?? true,
    [StageType.Transform]: denied.transform ?? true,
    [StageType.Checksum]: denied.checksum ?? true,
    [StageType.PassThrough]: denied.passthrough ?? true,
  });
}
