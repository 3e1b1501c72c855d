import type { CommandDefinition } from '../src/core/index.js';
import kick from './kick.js';
import kickbot from './kickbot.js';
import leave from './leave.js';
import offboard from './offboard.js';
import removeArea from './remove-area.js';

/** Every command kickbot has, in the order help, the Slack manifest and the Discord payload list them. */
export const commands: readonly CommandDefinition[] = [
  kick as CommandDefinition,
  removeArea as CommandDefinition,
  leave as CommandDefinition,
  offboard as CommandDefinition,
  kickbot as CommandDefinition,
];
