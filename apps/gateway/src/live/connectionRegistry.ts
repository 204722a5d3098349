import type { Role, ServerFrame } from '@uitgo/contracts';

/** One authenticated WebSocket, as the registry sees it. */
export interface LiveConnection {
  readonly userId: string;
  readonly role: Role;
  /** The sign-in session whose token opened it: logout closes it. */
  readonly sessionId?: string | undefined;
  /** Sends an already serialised frame. */
  sendText(text: string): void;
  close(code: number, reason: string): void;
}

/**
 * The sockets open on this gateway process, by user (a user may have several devices). Each
 * replica holds only its own; every replica reads every event (TripLiveFanout) and pushes to
 * the users connected to it.
 */
export class ConnectionRegistry {
  private readonly byUser = new Map<string, Set<LiveConnection>>();
  private readonly bySession = new Map<string, Set<LiveConnection>>();
  private count = 0;

  /** Returns the function that removes the connection again. */
  add(connection: LiveConnection): () => void {
    let sockets = this.byUser.get(connection.userId);
    if (!sockets) this.byUser.set(connection.userId, (sockets = new Set()));
    sockets.add(connection);
    const { sessionId } = connection;
    let ofSession: Set<LiveConnection> | undefined;
    if (sessionId) {
      ofSession = this.bySession.get(sessionId);
      if (!ofSession) this.bySession.set(sessionId, (ofSession = new Set()));
      ofSession.add(connection);
    }
    this.count++;
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      this.count--;
      sockets.delete(connection);
      if (sockets.size === 0 && this.byUser.get(connection.userId) === sockets) this.byUser.delete(connection.userId);
      ofSession?.delete(connection);
      if (sessionId && ofSession?.size === 0 && this.bySession.get(sessionId) === ofSession) this.bySession.delete(sessionId);
    };
  }

  /** Sends a frame to every socket of the user here; answers how many got it (0: not connected to this process). */
  sendTo(userId: string, frame: ServerFrame): number {
    const sockets = this.byUser.get(userId);
    if (!sockets) return 0;
    const text = JSON.stringify(frame);
    for (const socket of sockets) socket.sendText(text);
    return sockets.size;
  }

  /** Whether the connection is still open here. */
  isOpen(connection: LiveConnection): boolean {
    return this.byUser.get(connection.userId)?.has(connection) ?? false;
  }

  isConnected(userId: string): boolean {
    return this.byUser.has(userId);
  }

  get size(): number {
    return this.count;
  }

  /** Closes the sockets here that were opened with the session; answers how many. */
  closeSession(sessionId: string, code: number, reason: string): number {
    const sockets = [...(this.bySession.get(sessionId) ?? [])];
    for (const socket of sockets) socket.close(code, reason);
    return sockets.length;
  }

  closeAll(code: number, reason: string): void {
    for (const sockets of [...this.byUser.values()]) for (const socket of [...sockets]) socket.close(code, reason);
  }
}
