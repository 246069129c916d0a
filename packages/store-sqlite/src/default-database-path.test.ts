import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDatabasePath } from './default-database-path.js';

const linux = { platform: 'linux', homeDir: '/home/ada' } as const;

describe('defaultDatabasePath', () => {
  it('prefers $ADAPIPE_DB, as given', () => {
    expect(defaultDatabasePath({ ADAPIPE_DB: '/srv/p.db', XDG_DATA_HOME: '/data' }, linux)).toBe('/srv/p.db');
    expect(defaultDatabasePath({ ADAPIPE_DB: ':memory:' }, linux)).toBe(':memory:');
    expect(defaultDatabasePath({ ADAPIPE_DB: 'C:\\db\\p.db', APPDATA: 'C:\\Roaming' }, { platform: 'win32' })).toBe('C:\\db\\p.db');
  });

  it('then $XDG_DATA_HOME/adapipe/pipelines.db on any platform', () => {
    expect(defaultDatabasePath({ XDG_DATA_HOME: '/data' }, linux)).toBe('/data/adapipe/pipelines.db');
    expect(defaultDatabasePath({ XDG_DATA_HOME: '/data' }, { platform: 'darwin', homeDir: '/Users/ada' })).toBe(
      '/data/adapipe/pipelines.db',
    );
    expect(defaultDatabasePath({ XDG_DATA_HOME: 'D:\\xdg', APPDATA: 'C:\\Roaming' }, { platform: 'win32' })).toBe(
      'D:\\xdg\\adapipe\\pipelines.db',
    );
  });

  it('ignores empty variables and a relative $XDG_DATA_HOME, as the XDG spec asks', () => {
    expect(defaultDatabasePath({ ADAPIPE_DB: '', XDG_DATA_HOME: '  ' }, linux)).toBe('/home/ada/.local/share/adapipe/pipelines.db');
    expect(defaultDatabasePath({ XDG_DATA_HOME: 'relative/data' }, linux)).toBe('/home/ada/.local/share/adapipe/pipelines.db');
  });

  it('falls back to the platform folder for user data', () => {
    expect(defaultDatabasePath({}, linux)).toBe('/home/ada/.local/share/adapipe/pipelines.db');
    expect(defaultDatabasePath({}, { platform: 'freebsd', homeDir: '/usr/home/ada' })).toBe(
      '/usr/home/ada/.local/share/adapipe/pipelines.db',
    );
    expect(defaultDatabasePath({}, { platform: 'darwin', homeDir: '/Users/ada' })).toBe(
      '/Users/ada/Library/Application Support/adapipe/pipelines.db',
    );
    expect(defaultDatabasePath({ APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, { platform: 'win32', homeDir: 'C:\\Users\\ada' })).toBe(
      'C:\\Users\\ada\\AppData\\Roaming\\adapipe\\pipelines.db',
    );
    expect(defaultDatabasePath({}, { platform: 'win32', homeDir: 'C:\\Users\\ada' })).toBe(
      'C:\\Users\\ada\\AppData\\Roaming\\adapipe\\pipelines.db',
    );
  });

  it('reads process.env, process.platform and the home folder by default', () => {
    const saved = { ADAPIPE_DB: process.env.ADAPIPE_DB, XDG_DATA_HOME: process.env.XDG_DATA_HOME };
    try {
      delete process.env.ADAPIPE_DB;
      delete process.env.XDG_DATA_HOME;
      expect(defaultDatabasePath()).toBe(
        defaultDatabasePath({ APPDATA: process.env.APPDATA }, { platform: process.platform, homeDir: homedir() }),
      );
      if (process.platform === 'linux') expect(defaultDatabasePath()).toBe(join(homedir(), '.local', 'share', 'adapipe', 'pipelines.db'));
      process.env.ADAPIPE_DB = '/from/env.db';
      expect(defaultDatabasePath()).toBe('/from/env.db');
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});
