// `node --import ./test/helpers/load-log.mjs …`: every module URL the ESM loader resolves is appended, one a line,
// to the file named by KICKBOT_LOAD_LOG (test/cli/start.test.ts reads it).
import { register } from 'node:module';

register(new URL('./load-log-hooks.mjs', import.meta.url), { data: { file: process.env.KICKBOT_LOAD_LOG } });
