/**
 * Which exam sessions have a candidate connected, on this node or any other. This node's own
 * connections are known at once; the other nodes' are asked through the adapter (fetchSockets) once a sweep and
 * kept until the next answer, so a question never waits on the network. On one node the second set stays empty.
 */
export interface RemoteSockets {
  /** Every candidate socket in the cluster, with the session it belongs to. */
  fetchSockets(): Promise<Array<{ data: { sessionId?: string } }>>;
}

export class Presence {
  private everywhere = new Set<string>();

  constructor(
    private readonly local: ReadonlyMap<string, unknown>,
    private readonly cluster: RemoteSockets | null,
  ) {}

  /** Connected here: this node answers for the session (its commands, its watched incidents). */
  isLocal(sessionId: string): boolean {
    return this.local.has(sessionId);
  }

  /** Connected on some node, as of the last refresh (or here, now). */
  isOnline(sessionId: string): boolean {
    return this.local.has(sessionId) || this.everywhere.has(sessionId);
  }

  /** Asks every node; keeps the last answer if one fails (a node that just died is waited out by the adapter). */
  async refresh(): Promise<void> {
    if (!this.cluster) return;
    const sockets = await this.cluster.fetchSockets();
    this.everywhere = new Set(sockets.map((s) => s.data.sessionId).filter((id): id is string => typeof id === 'string'));
  }
}
