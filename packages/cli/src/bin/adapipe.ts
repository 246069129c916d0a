#!/usr/bin/env node
import 'reflect-metadata';
import { runCli } from '../cli.js';

const code = await runCli(process.argv.slice(2));
if (process.stdout.destroyed || process.stdout.writableEnded) process.exit(code);
process.stdout.write('', () => process.exit(code));
