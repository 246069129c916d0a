import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coreContainerModule, DispatchingStageExecutor, PipelineError, PipelineRepository } from '@adapipe/core';
import { Container } from 'inversify';
import { afterAll, describe, expect, it } from 'vitest';
import { SqlitePipelineRepository } from './sqlite-pipeline-repository.js';
import { sqliteStoreContainerModule } from './sqlite-store-container-module.js';
import { richPipeline } from './test-support/pipeline-fixtures.js';

const folder = mkdtempSync(join(tmpdir(), 'adapipe-store-di-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('sqliteStoreContainerModule', () => {
  it('binds core’s PipelineRepository token to one SQLite repository at the given path', async () => {
    const path = join(folder, 'di', 'pipelines.db');
    const container = new Container();
    container.load(coreContainerModule(), sqliteStoreContainerModule({ path, busyTimeoutMs: 1234 }));
    const repository = container.get<PipelineRepository>(PipelineRepository);
    expect(repository).toBeInstanceOf(SqlitePipelineRepository);
    expect(container.get<PipelineRepository>(PipelineRepository)).toBe(repository);
    expect(container.get(SqlitePipelineRepository)).toBe(repository);
    expect(repository).toMatchObject({ path, busyTimeoutMs: 1234 });
    expect(container.get(DispatchingStageExecutor)).toBeDefined();

    const pipeline = richPipeline();
    await repository.create(pipeline);
    expect((await repository.findByName(pipeline.name))!.toJSON()).toEqual(pipeline.toJSON());
    container.unbindAll();
  });

  it('closes the database when the module is unloaded', async () => {
    const path = join(folder, 'unload', 'pipelines.db');
    const module = sqliteStoreContainerModule({ path });
    const container = new Container();
    container.load(coreContainerModule(), module);
    const repository = container.get(SqlitePipelineRepository);
    expect(await repository.seedDefaults([richPipeline()])).toEqual(['secure-backup']);
    await container.unload(module);
    const error = await repository.list().catch((reason: unknown) => reason);
    expect(PipelineError.is(error, 'IoError')).toBe(true);
    expect(String(error)).toContain('closed');
    expect(container.isBound(PipelineRepository)).toBe(false);
  });

  it('validates its options before building the module', () => {
    expect(() => sqliteStoreContainerModule({ path: '' })).toThrow(RangeError);
    expect(() => sqliteStoreContainerModule({ path: 7 as never })).toThrow(TypeError);
    expect(() => sqliteStoreContainerModule({ busyTimeoutMs: -5 })).toThrow(/option 'busyTimeoutMs'/);
    expect(() => sqliteStoreContainerModule({ pth: 'x.db' } as never)).toThrow(/option 'pth' is unknown; did you mean 'path'\?/);
  });
});
