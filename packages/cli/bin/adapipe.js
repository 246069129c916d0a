#!/usr/bin/env node
// The installed `adapipe` command: runs the built CLI (dist/, made by `pnpm build`). It is committed,
// not built, so package managers can link it before the first build.
import '../dist/bin/adapipe.js';
