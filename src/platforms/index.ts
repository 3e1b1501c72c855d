import type { Env } from '../cli/env.js';
import { consolePlatform } from './console/platform.js';
import { discordPlatform } from './discord/platform.js';
import type { Platform } from './front.js';
import { slackPlatform } from './slack/platform.js';

/** Every platform kickbot runs on, in the order the runtime builds them (and `serve` starts them). */
export const platforms: readonly Platform[] = [consolePlatform, slackPlatform, discordPlatform];

/** The platforms the environment configures (a half-set one is a UsageError). */
export function configuredPlatforms(env: Env): Platform[] {
  return platforms.filter((p) => p.configured(env));
}
