#!/usr/bin/env -S node --optimize-for-size
// --optimize-for-size: V8 grows the heap conservatively. kickbot is I/O-bound, so it spends a little CPU on more
// frequent collections to keep its memory near its idle size (an offboarding of 20,000 rooms: npm run bench).
import { main } from '../dist/src/cli/main.js';

const code = await main(process.argv.slice(2));
process.exitCode = code;
// Everything kickbot opened is closed by now; if a library still holds a connection open, do not hang on it.
setTimeout(() => process.exit(code), 3_000).unref();
