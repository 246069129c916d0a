import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';

/** The environment variable that names the pipeline database outright. */
export const DATABASE_PATH_ENV = 'ADAPIPE_DB';

/** Where the platform's user data lives, for tests and for callers that know better. */
export interface DatabasePathPlatform {
  /** Default: `process.platform`. */
  readonly platform?: NodeJS.Platform;
  /** Default: `os.homedir()`. */
  readonly homeDir?: string;
}

/**
 * Where the CLI keeps its pipeline database, by the first rule that applies:
 *
 * 1. `$ADAPIPE_DB`, as given (`':memory:'` included);
 * 2. `$XDG_DATA_HOME/adapipe/pipelines.db` when `XDG_DATA_HOME` is an absolute path;
 * 3. Windows: `%APPDATA%\adapipe\pipelines.db` (`~\AppData\Roaming` when `APPDATA` is unset);
 * 4. macOS: `~/Library/Application Support/adapipe/pipelines.db`;
 * 5. elsewhere: `~/.local/share/adapipe/pipelines.db`.
 *
 * Empty variables count as unset. Nothing is created on disk.
 *
 * @example
 * ```ts
 * defaultDatabasePath({ XDG_DATA_HOME: '/data' }, { platform: 'linux' }); // '/data/adapipe/pipelines.db'
 * ```
 */
export function defaultDatabasePath(
  env: NodeJS.ProcessEnv = process.env,
  { platform = process.platform, homeDir }: DatabasePathPlatform = {},
): string {
  const explicit = nonEmpty(env[DATABASE_PATH_ENV]);
  if (explicit !== undefined) return explicit;
  const path = platform === 'win32' ? win32 : posix;
  const xdgDataHome = nonEmpty(env.XDG_DATA_HOME);
  if (xdgDataHome !== undefined && path.isAbsolute(xdgDataHome)) {
    return path.join(xdgDataHome, 'adapipe', 'pipelines.db');
  }
  const home = homeDir ?? homedir();
  if (platform === 'win32') {
    const appData = nonEmpty(env.APPDATA) ?? path.join(home, 'AppData', 'Roaming');
    return path.join(appData, 'adapipe', 'pipelines.db');
  }
  if (platform === 'darwin') {
    return path.join(home, 'Library', 'Application Support', 'adapipe', 'pipelines.db');
  }
  return path.join(home, '.local', 'share', 'adapipe', 'pipelines.db');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
