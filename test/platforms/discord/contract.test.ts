import { REST } from '@discordjs/rest';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { silentLogger } from '../../../src/core/index.js';
import { discordConnector } from '../../../src/platforms/discord/connector.js';
import { discordId, guildId, splitDiscordId } from '../../../src/platforms/discord/ids.js';
import { DISCORD_DEFAULTS as D, FakeDiscord } from '../../fakes/discord/FakeDiscord.js';
import { DISCORD_CONFIG } from '../../helpers/discord-rig.js';
import { directoryContract, removerContract } from '../contract.js';

/** Discord's directory and remover against the fake Discord REST API (the default guild, plus erin, in no role). */

const ERIN = '1300000000000000209';
const id = (local: string) => discordId(D.guildId, local);

async function discordOn() {
  const fake = await FakeDiscord.start();
  fake.addMember(D.guildId, { user: { id: ERIN, username: 'erin' }, roles: [] });
  const rest = new REST({ version: '10', api: fake.apiUrl }).setToken(fake.token);
  const connector = discordConnector({ rest, config: DISCORD_CONFIG, logger: silentLogger });
  const close = async () => {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
    await fake.close();
  };
  return { fake, close, ...connector };
}

removerContract('discord', async () => {
  const { fake, close, remover } = await discordOn();
  return {
    remover,
    room: id(D.channels.private),
    member: id(D.users.alice),
    member2: id(D.users.bob),
    outsider: id(ERIN),
    unknownRoom: id('1300000000000000499'),
    listed: { room: guildId(D.guildId), outsider: id('1300000000000000299') },
    isMember: (room, user) =>
      room === guildId(D.guildId)
        ? fake.member(D.guildId, splitDiscordId(user).local) !== undefined
        : (fake.channelPermissions(splitDiscordId(room).local, splitDiscordId(user).local) &
            PermissionFlagsBits.ViewChannel) !==
          0n,
    quirks: {
      removesOutsiders:
        'a member overwrite denying View Channel is written whether or not they can see the channel now',
      restoresOnce:
        "undo puts the overwrite back as it was: deleting it a second time is Discord's 10009 Unknown Overwrite",
    },
    close,
  };
});

directoryContract('discord', async () => {
  const { close, directory } = await discordOn();
  return {
    directory,
    scope: { workspace: `discord:${D.guildId}` },
    user: { typed: `<@${D.users.bob}>`, id: id(D.users.bob) },
    room: { typed: `<#${D.channels.private}>`, id: id(D.channels.private) },
    unknownUser: { typed: '@nobody', id: id('1300000000000000299') },
    area: { name: 'payments', room: id(D.channels.private) },
    close,
  };
});
