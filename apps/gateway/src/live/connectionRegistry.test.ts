import { describe, expect, it } from 'vitest';
import { ConnectionRegistry, type LiveConnection } from './connectionRegistry.js';

function socketOf(userId: string) {
  const socket = { userId, role: 'driver' as const, sent: [] as string[], closedWith: undefined as number | undefined };
  const connection: LiveConnection = {
    userId,
    role: socket.role,
    sendText: (text) => socket.sent.push(text),
    close: (code) => (socket.closedWith = code),
  };
  return { socket, connection };
}

describe('ConnectionRegistry', () => {
  it('delivers to every socket of the user only, serialised once; removal is idempotent', () => {
    const registry = new ConnectionRegistry();
    const a1 = socketOf('a');
    const a2 = socketOf('a');
    const b = socketOf('b');
    const removeA1 = registry.add(a1.connection);
    registry.add(a2.connection);
    registry.add(b.connection);
    expect(registry.size).toBe(3);
    expect(registry.sendTo('a', { type: 'pong' })).toBe(2);
    expect([a1.socket.sent, a2.socket.sent, b.socket.sent]).toEqual([['{"type":"pong"}'], ['{"type":"pong"}'], []]);
    removeA1();
    removeA1();
    expect(registry.size).toBe(2);
    registry.sendTo('a', { type: 'offer_expired', tripId: 't' });
    expect(a1.socket.sent).toHaveLength(1);
    expect(a2.socket.sent.at(-1)).toBe('{"type":"offer_expired","tripId":"t"}');
    expect(registry.sendTo('nobody', { type: 'pong' })).toBe(0);
    expect(registry.isConnected('a')).toBe(true);
  });

  it('closeAll closes every socket', () => {
    const registry = new ConnectionRegistry();
    const sockets = ['a', 'b', 'b'].map(socketOf);
    sockets.forEach((s) => registry.add(s.connection));
    registry.closeAll(1001, 'bye');
    expect(sockets.map((s) => s.socket.closedWith)).toEqual([1001, 1001, 1001]);
  });
});
