import { localOf, makeId } from '../../../src/core/index.js';
import { ConsoleConnector } from '../../../src/platforms/console/ConsoleConnector.js';
import { parseWorkspace } from '../../../src/platforms/console/workspace-file.js';
import { MemoryWorkspace } from '../../../src/platforms/console/workspace-state.js';
import { SMALL_WORKSPACE } from '../../helpers/console.js';
import { directoryContract, removerContract } from '../contract.js';

/** The console's directory and remover against its workspace state (the memory one; Redis shares its contract). */

const id = (local: string) => makeId('console', local);

function consoleOn() {
  const data = parseWorkspace(SMALL_WORKSPACE, 'test.yaml');
  const state = new MemoryWorkspace(data);
  return { connector: new ConsoleConnector({ data, state }), state };
}

removerContract('console', async () => {
  const { connector, state } = consoleOn();
  // The state answers asynchronously; the contract asks synchronously, so it reads a copy kept after each change.
  const members = new Map<string, Set<string>>();
  const refresh = async () => {
    for (const room of await state.rooms())
      members.set(room.id, new Set((await state.allMembers(room.id)).keys()));
  };
  await refresh();
  const remove = connector.remove.bind(connector);
  const restore = connector.restore.bind(connector);
  connector.remove = async (target) => remove(target).finally(refresh);
  connector.restore = async (target, roles) => restore(target, roles).finally(refresh);
  return {
    remover: connector,
    room: id('secret'),
    member: id('bob'),
    member2: id('olga'),
    outsider: id('carol'),
    unknownRoom: id('nowhere'),
    isMember: (room, user) => members.get(localOf(room))?.has(localOf(user)) ?? false,
    close: async () => {},
  };
});

directoryContract('console', async () => ({
  directory: consoleOn().connector,
  scope: { workspace: id('small') },
  user: { typed: '@bob', id: id('bob') },
  room: { typed: '#secret', id: id('secret') },
  unknownUser: { typed: '@nobody', id: id('nobody') },
  area: { name: 'payments', room: id('general') },
  close: async () => {},
}));
