/**
 * socket.io /staff: proctors (and admins) subscribe to the live dashboard. A staff
 * session token is required; a candidate's exam token is not one and is refused.
 */
import type { Namespace, Socket } from 'socket.io';
import { emptySchema, type StaffClientToServer, type StaffRole, type StaffServerToClient } from '../shared/protocol';
import { hashToken } from './auth';
import type { Clock } from './clock';
import { ExamError } from './exam-service';
import { LIVE_ROOM, type LiveFeed } from './live-feed';
import { command, tokenAuth, type Logger } from './socket-command';
import type { Store } from './store/store';

interface StaffData {
  userId: string;
  role: StaffRole;
}
type StaffSocket = Socket<StaffClientToServer, StaffServerToClient, Record<string, never>, StaffData>;
export type StaffNamespace = Namespace<StaffClientToServer, StaffServerToClient, Record<string, never>, StaffData>;

export const LIVE_DASHBOARD_ROLES: readonly StaffRole[] = ['proctor', 'admin'];

export function attachStaffNamespace(nsp: StaffNamespace, deps: { store: Store; clock: Clock; feed: LiveFeed; log: Logger }): void {
  const { store, clock, feed, log } = deps;

  nsp.use(
    tokenAuth<StaffSocket>(log, 'staff log-in', 1, async (token, socket) => {
      const user = await store.findStaffSession(hashToken(token), clock.now());
      if (!user) return 'unauthorised: staff log-in required';
      socket.data.userId = user.id;
      socket.data.role = user.role;
      return null;
    }),
  );

  nsp.on('connection', (socket: StaffSocket) => {
    socket.on(
      'dashboard:subscribe',
      command(emptySchema, log, async () => {
        if (!LIVE_DASHBOARD_ROLES.includes(socket.data.role)) throw new ExamError('forbidden', 'the live dashboard is for proctors');
        // Join first: an update racing the snapshot then arrives twice (the client keys by id) rather than never.
        await socket.join(LIVE_ROOM);
        return feed.snapshot();
      }),
    );
  });
}
