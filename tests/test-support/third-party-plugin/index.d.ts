import type { ContainerModule } from 'inversify';

/** The plugin's DI module. */
declare const plugin: ContainerModule;
export default plugin;
