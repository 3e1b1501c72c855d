#!/usr/bin/env node
import { main } from '../dist/src/cli/main.js';

const code = await main(process.argv.slice(2));
process.exitCode = code;
// Everything kickbot opened is closed by now; if a library still holds a connection open, do not hang on it.
setTimeout(() => process.exit(code), 3_000).unref();
