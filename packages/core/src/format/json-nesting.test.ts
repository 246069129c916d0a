import { describe, expect, it } from 'vitest';
import { nestsDeeperThan } from './json-nesting.js';

describe('nestsDeeperThan', () => {
  it('counts arrays and objects, not brackets inside strings', () => {
    expect(nestsDeeperThan('{"a":[{"b":{}}]}', 4)).toBe(false);
    expect(nestsDeeperThan('{"a":[{"b":{}}]}', 3)).toBe(true);
    expect(nestsDeeperThan('{"a":"[[[[[[\\"[[[["}', 1)).toBe(false);
    expect(nestsDeeperThan('[1,[2],[3,[4]]]', 3)).toBe(false);
  });

  it('stops at the first level past the limit', () => {
    expect(nestsDeeperThan(`${'['.repeat(500_000)}${']'.repeat(500_000)}`, 16)).toBe(true);
  });
});
