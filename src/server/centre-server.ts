/**
 * createCentreServer(deps): the whole centre in one factory of its dependencies (store,
 * clock, config), so tests start it on port 0 with a real SQLite file and real sockets.
 * HTTP (static app, models, REST) and socket.io share one port.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { WebSocketServer, type ServerOptions } from 'ws';
import { Server as SocketServer } from 'socket.io';
import type { LiveClosedReason } from '../shared/control-room';
import { MAX_HTTP_BODY_BYTES, MAX_SOCKET_PAYLOAD_BYTES } from '../shared/protocol';
import { registerAdminRoutes } from './admin-routes';
import { registerAdminStaffRoutes } from './admin-staff-routes';
import { LoginThrottle } from './login-throttle';
import { registerControlRoomRoutes } from './control-room-routes';
import { ControlRoomService } from './control-room-service';
import { LiveWatch } from './live-watch';
import { hashToken, newToken } from './auth';
import { attachCandidateNamespace, type CandidateNamespace, type CandidateSocket } from './candidate-namespace';
import type { Clock } from './clock';
import { ExamService } from './exam-service';
import { FaceModels } from './face-models';
import { IdentityService, registerIdentityRoutes } from './identity-service';
import { PROJECT_ROOT } from './config';
import { PrestartService } from './prestart-service';
import { registerNqsExportRoutes } from './nqs-export-routes';
import { registerAdminRescheduleRoutes, registerRescheduleRoutes } from './reschedule-routes';
import { registerReviewRoutes } from './review-routes';
import { ProctoringService } from './proctoring-service';
import { RecordingService } from './recording-service';
import { registerRecordingRoutes } from './recording-routes';
import { DiskRecordingStore } from './recordings/disk-recording-store';
import { registerRoutes } from './http-routes';
import { registerSessionListRoutes } from './session-list-routes';
import { candidateBuckets, candidateRateLimit } from './rate-limit';
import { DocumentIssuer, type RenderDocument } from './document-issuer';
import { DocumentWorker } from './document-renderer';
import { ProcedureService } from './procedure-service';
import { registerProcedureRoutes } from './procedure-routes';
import { AppealService } from './appeal-service';
import { BreakService } from './break-service';
import { registerAccommodationRoutes } from './accommodation-routes';
import { registerAppealRoutes } from './appeal-routes';
import { registerVerifyRoutes } from './verify-routes';
import { CONTENT_SECURITY_POLICY, verificationUrl, type CentreConfig } from './centre-config';
import { LIVE_ROOM, LiveFeed } from './live-feed';
import { HEARTBEAT_MS, SINGLE_NODE, type CentreCluster } from './cluster/cluster';
import { Presence } from './cluster/presence';
import { attachStaffNamespace, disconnectStaff, type StaffNamespace } from './staff-namespace';
import type { LogAnchor } from './log-anchor';
import type { Logger } from './socket-command';
import type { Store } from './store/store';

export interface CentreServer {
  http: FastifyInstance;
  io: SocketServer;
  exams: ExamService;
  proctoring: ProctoringService;
  recordings: RecordingService;
  listen(port: number, host?: string): Promise<{ port: number; url: string }>;
  close(): Promise<void>;
  issueExamLink(candidateId: string, programmeId: string): Promise<{ sessionId: string; token: string; url: string; expiresAt: number }>;
}

const quietLog: Logger = (level, message, detail) => {
  if (level === 'error') console.error(`[tanu] ${message}`, detail ?? '');
};

/**
 * The WebSocket server under socket.io, with each incoming message delivered in a turn of the event
 * loop of its own (ws's allowSynchronousEvents: false). One client's flood (2,000 commands
 * in one write) arrives in a single read; delivered synchronously, its parsing, rate-limit checks and
 * 'too_many' answers held every other request for up to 200 ms. Paced, others are served between them.
 */
class PacedWebSocketServer extends WebSocketServer {
  constructor(options: ServerOptions, callback?: () => void) {
    super({ ...options, allowSynchronousEvents: false }, callback);
  }
}

/** anchor: the log's secret and checkpoint file, loaded by the caller from outside the database. */
/** render: the documents' PDF renderer (default: src/server/documents in a worker thread, document-renderer.ts). */
/** cluster: the other nodes of the centre and who runs its timers (cluster/cluster.ts); default one node. */
export function createCentreServer(deps: {
  store: Store;
  clock: Clock;
  config: CentreConfig;
  anchor: LogAnchor;
  log?: Logger;
  render?: RenderDocument;
  cluster?: CentreCluster;
  /** The face models' worker, when one is shared by several centres in one process (tests); the centre closes only its own. */
  faces?: FaceModels;
}): CentreServer {
  const { store, clock, config, anchor } = deps;
  const cluster = deps.cluster ?? SINGLE_NODE;
  const log = deps.log ?? quietLog;
  const timeouts = config.httpTimeouts;
  const http = Fastify({
    bodyLimit: MAX_HTTP_BODY_BYTES,
    logger: false,
    // A stalled request body used to stay open past 150 s.
    requestTimeout: timeouts.requestMs,
    connectionTimeout: timeouts.connectionMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    http: { connectionsCheckingInterval: timeouts.checkIntervalMs },
    trustProxy: config.trustProxy,
  });
  const io = new SocketServer(http.server, {
    maxHttpBufferSize: MAX_SOCKET_PAYLOAD_BYTES,
    serveClient: false,
    connectTimeout: 10_000,
    wsEngine: PacedWebSocketServer,
    ...(cluster.adapter ? { adapter: cluster.adapter } : {}),
  });
  const candidateNsp = io.of('/candidate') as CandidateNamespace;
  const staffNsp = io.of('/staff') as StaffNamespace;
  /** The live connection of each exam session (at most one: a newer one replaces it). */
  const connections = new Map<string, CandidateSocket>();
  /** Connected here or on another node. */
  const presence = new Presence(connections, cluster.adapter ? candidateNsp : null);

  const feed = new LiveFeed(
    store,
    clock,
    (id) => presence.isOnline(id),
    {
      session: (s) => staffNsp.to(LIVE_ROOM).emit('session:update', s),
      event: (e) => staffNsp.to(LIVE_ROOM).emit('feed:event', e),
      queue: (item) => staffNsp.to(LIVE_ROOM).emit('queue:item', item),
    },
    (programmeId) => exams.proctoringConfig(programmeId),
    (s) => exams.accommodationsOf(s),
  );
  const publish = (p: Promise<void>) => p.catch((err) => log('error', 'live feed publish failed', err));
  const pushState = (id: string) =>
    exams.snapshot(id).then(
      (s) => candidateNsp.to(`session:${id}`).emit('exam:state', s),
      (err) => log('error', 'push state', err),
    );
  const exams = new ExamService(store, clock, {
    sessionChanged: (id) => void publish(feed.publishSession(id)),
    eventAppended: (e) => {
      try {
        anchor.observe(e);
      } catch (err) {
        log('error', 'log checkpoint failed', err); // the entry is committed; the timer retries the checkpoint
      }
      void publish(feed.publishEvent(e));
    },
    sessionFinishedByServer: (id) => {
      void pushState(id);
      endLive(id);
    },
    proctoringConfigChanged: (id) => {
      if (cluster.adapter) staffNsp.serverSideEmit('programme', id);
    },
  });
  staffNsp.on('programme', (id) => exams.forgetProctoringConfig(id, false));
  // Every photo (reference, identity, evidence) is decoded and analysed in one worker thread, started on the first.
  const faces = deps.faces ?? new FaceModels(config.modelsDir ?? path.join(PROJECT_ROOT, 'models', 'files'));
  const proctoring = new ProctoringService(
    store,
    clock,
    exams,
    {
      policyChanged: (id) => {
        void pushState(id);
        void publish(feed.publishSession(id)); // the dashboard marks a warned candidate
      },
    },
    faces,
  );
  const recordingStore = config.recordingsDir ? new DiskRecordingStore(config.recordingsDir, { nodeId: config.nodeId }) : null;
  const recordings = new RecordingService(
    store,
    clock,
    exams,
    recordingStore,
    { recordingChanged: (id) => void publish(feed.publishSession(id)) },
    log,
    (session, bytes) => proctoring.checkQuota(session, bytes, true),
  );

  const prestart = new PrestartService(store, clock, exams);

  // Who watches whom (thumbnails, signals, the live camera) and the proctor's decisions and actions.
  // Every node keeps a replica; the node the candidate is connected to tells their browser.
  const watch = new LiveWatch(
    { request: (id, request) => void connections.get(id)?.emit('thumbs:set', request) },
    cluster.adapter ? (change) => staffNsp.serverSideEmit('watch', change) : null,
  );
  staffNsp.on('watch', (change) => watch.apply(change));
  staffNsp.on('watch-sync', (reply) => reply(watch.changesOf(new Set(staffNsp.sockets.keys()))));
  /** The other nodes' watchers, asked of them (a node that joined late or missed a change catches up). */
  const syncWatchers = async () => {
    for (const changes of await staffNsp.serverSideEmitWithAck('watch-sync')) for (const change of changes) watch.apply(change);
  };
  /** Logs who watched the live camera and for how long; resolves once the entry is stored (never rejects). */
  const liveClosed = (
    sessionId: string,
    view: { by: { userId: string; name: string; role: string }; openedAt: number },
    reason: string,
  ): Promise<void> =>
    exams.logServerEvent(sessionId, 'live.closed', { by: view.by, reason, seconds: Math.round((clock.now() - view.openedAt) / 1000) }).then(
      () => undefined,
      (e: unknown) => log('error', 'log live close', e),
    );
  /**
   * Closes the live camera of a session, if open, for a reason the proctor's page and the log get: the exam
   * ended, or the candidate's link dropped or was replaced (the candidate's browser drops its peer on a new
   * link, so a view left open would show a frozen picture as if live; the proctor opens it again).
   */
  const endLive = (sessionId: string, reason: LiveClosedReason = 'the exam ended') => {
    const view = watch.closeLive(sessionId);
    if (!view) return;
    candidateNsp.to(`session:${sessionId}`).emit('live:stop');
    staffNsp.to(view.staffSocketId).emit('live:closed', { sessionId, reason });
    void liveClosed(sessionId, view, reason);
  };
  const controlRoom = new ControlRoomService(
    store,
    clock,
    exams,
    proctoring,
    feed,
    {
      examChanged: (id) => {
        void pushState(id);
        void publish(feed.publishSession(id));
      },
      queueChanged: (id, incidentId) => void publish(feed.publishQueueItem(id, incidentId)),
      examEnded: (id) => endLive(id),
    },
    (id) => watch.recentSignals(id),
  );
  // Photos are described with the verified model files the browsers get (loaded on the first photo).
  const identity = new IdentityService(store, clock, exams, faces, proctoring);
  // The candidate's own breaks (accommodations); ended by the sweep when their time is up.
  const breaks = new BreakService(store, clock, exams, proctoring, (id) => (void pushState(id), void publish(feed.publishSession(id))));

  attachCandidateNamespace(candidateNsp, {
    store,
    clock,
    exams,
    proctoring,
    recordings,
    prestart,
    identity,
    controlRoom,
    breaks,
    log,
    connections,
    onPresence: (id) => void publish(feed.publishSession(id)),
    live: {
      request: (id) => watch.candidateConnected(id),
      linkChanged: (id, reason) => endLive(id, reason),
      frame: (id, jpeg, samples) => {
        if (!watch.acceptFrame(id, clock.now())) return 0;
        const to = watch.thumbWatchers(id);
        for (const staffId of to) staffNsp.to(staffId).volatile.emit('thumb', { sessionId: id, jpeg, at: clock.now() });
        if (samples.length > 0) {
          watch.addSignals(id, samples);
          for (const staffId of watch.detailWatchers(id)) staffNsp.to(staffId).emit('signals', { sessionId: id, samples });
        }
        return to.length;
      },
      signal: (id, signal) => {
        const view = watch.liveViewer(id);
        if (!view) return false;
        staffNsp.to(view.staffSocketId).emit('live:signal', { sessionId: id, signal });
        return true;
      },
    },
  });
  // Every candidate command counts against its session's bucket (src/server/rate-limit.ts).
  const buckets = candidateBuckets(config.candidateRateLimits);
  candidateNsp.on('connection', (socket: CandidateSocket) => socket.use(candidateRateLimit(buckets, socket.data.sessionId, clock.now)));
  // Nothing is served on the root namespace; unauthenticated sockets there were only held open.
  io.of('/').use((_socket, next) => next(new Error('not_found: connect to /candidate or /staff')));
  // The candidate may be connected to another node; their session's room reaches them there.
  const toCandidate = (id: string) => (presence.isOnline(id) ? candidateNsp.to(`session:${id}`) : null);
  attachStaffNamespace(staffNsp, {
    store,
    clock,
    feed,
    exams,
    controlRoom,
    watch,
    log,
    iceServers: config.iceServers,
    liveClosed,
    toCandidate: {
      liveStart: (id, iceServers) => Boolean(toCandidate(id)?.emit('live:start', { iceServers }) ?? false),
      liveSignal: (id, signal) => Boolean(toCandidate(id)?.emit('live:signal', signal as never) ?? false),
      liveStop: (id) => void toCandidate(id)?.emit('live:stop'),
    },
  });

  async function issueExamLink(candidateId: string, programmeId: string) {
    const token = newToken();
    const sessionId = randomUUID();
    const expiresAt = clock.now() + config.examTokenTtlMs;
    await store.createExamSession({
      id: sessionId,
      candidateId,
      programmeId,
      tokenHash: hashToken(token),
      tokenExpiresAt: expiresAt,
      createdAt: clock.now(),
    });
    void publish(feed.publishSession(sessionId));
    // The token travels in the fragment: browsers never send it to the server in a request line or a Referer.
    return { sessionId, token, url: `${config.publicUrl}/exam#t=${token}`, expiresAt };
  }

  const throttle = new LoginThrottle();
  registerRoutes(http, {
    store,
    clock,
    feed,
    exams,
    anchor,
    staffSessionTtlMs: config.staffSessionTtlMs,
    issueExamLink,
    loginLimits: config.loginLimits,
    throttle,
    node: async () => ({ id: config.nodeId, leader: leading, nodes: await staffNsp.adapter.serverCount() }),
    loggedOut: (tokenHash) =>
      void disconnectStaff(staffNsp, (d) => d.tokenHash === tokenHash).catch((e) => log('error', 'staff log-out', e)),
  });
  registerControlRoomRoutes(http, {
    store,
    clock,
    feed,
    exams,
    proctorLimit: config.proctorLimit,
    assigned: (ids) => ids.forEach((id) => void publish(feed.publishSession(id))),
  });
  registerRecordingRoutes(http, { store, clock, recordings });
  registerAdminRoutes(http, { store, clock, issueExamLink });
  registerAdminStaffRoutes(http, {
    store,
    clock,
    throttle,
    loggedOut: (userId) => void disconnectStaff(staffNsp, (d) => d.userId === userId).catch((e) => log('error', 'staff log-out', e)),
  });
  registerSessionListRoutes(http, { store, clock });
  registerRescheduleRoutes(http, { store, clock });
  registerAdminRescheduleRoutes(http, { store, clock, exams, issueExamLink });
  // Accommodations, set by an admin; the candidate's briefing and the proctor's card show them at once.
  registerAccommodationRoutes(http, { store, clock, exams, changed: (id) => (void pushState(id), void publish(feed.publishSession(id))) });
  registerReviewRoutes(http, { store, clock, exams, changed: (id) => void publish(feed.publishSession(id)) });
  registerIdentityRoutes(http, { store, clock, identity });
  // The procedure after the exam (practical stage, protocol, documents) and the documents' public check.
  const procedures = new ProcedureService(store, clock, exams);
  const documentWorker = deps.render ? null : new DocumentWorker();
  const issuer = new DocumentIssuer(
    store,
    clock,
    exams,
    procedures,
    anchor,
    (serial) => verificationUrl(config, serial),
    deps.render ?? documentWorker!.render,
  );
  registerProcedureRoutes(http, { store, clock, procedures, issuer });
  // Appeals (rules 20-23): the candidate with the exam link, the appeal commission.
  const appeals = new AppealService(store, clock, exams, procedures, issuer, deps.render ?? documentWorker!.render, log);
  registerAppealRoutes(http, { store, clock, appeals, issuer });
  registerVerifyRoutes(http, { store, clock, rate: config.verifyRate });
  registerNqsExportRoutes(http, { store, clock });

  // Node's own requestTimeout does not cut off a body that stalls after the headers (measured: still open), so a
  // request whose body has not all arrived within requestMs is answered 408 and its connection closed.
  http.addHook('onRequest', async (req, reply) => {
    if (req.raw.complete) return;
    const timer = setTimeout(() => {
      if (req.raw.complete || reply.sent) return;
      reply.raw.writeHead(408, { 'content-type': 'application/json', connection: 'close' });
      reply.raw.end(JSON.stringify({ error: { code: 'invalid', message: 'the request body did not arrive in time' } }));
      req.raw.socket.destroy();
    }, timeouts.requestMs);
    timer.unref();
    req.raw.once('end', () => clearTimeout(timer));
    req.raw.once('close', () => clearTimeout(timer));
  });
  http.addHook('onSend', async (req, reply) => {
    // API answers carry personal data (IINs, photos, evidence, recordings): no browser or proxy keeps them.
    if (req.url.startsWith('/api/')) reply.header('Cache-Control', 'no-store');
    reply.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Permissions-Policy', 'camera=(self), microphone=(self), display-capture=(self)');
  });

  if (config.modelsDir) {
    http.register(fastifyStatic, {
      root: path.resolve(config.modelsDir),
      prefix: '/models/',
      decorateReply: false,
      maxAge: 365 * 24 * 3600_000,
      immutable: true,
    });
  }
  const indexHtml = config.staticDir ? path.join(config.staticDir, 'index.html') : null;
  if (config.staticDir && indexHtml && existsSync(indexHtml)) {
    http.register(fastifyStatic, {
      root: path.resolve(config.staticDir),
      prefix: '/',
      wildcard: true,
      setHeaders: (res, file) => {
        // Vite names assets by content hash: cache forever; index.html must always be fresh.
        res.header('Cache-Control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  http.setNotFoundHandler(async (req, reply) => {
    const url = req.url.split('?')[0] ?? '';
    const isAppRoute = (req.method === 'GET' || req.method === 'HEAD') && (url === '/' || url === '/exam' || url.startsWith('/staff'));
    if (isAppRoute && indexHtml && existsSync(indexHtml)) {
      return reply.header('Cache-Control', 'no-cache').type('text/html').sendFile('index.html', path.resolve(config.staticDir!));
    }
    return reply.code(404).send({ error: { code: 'not_found', message: `nothing at ${req.method} ${url}` } });
  });
  http.setErrorHandler(async (err: { statusCode?: number; message: string }, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) log('error', 'request failed', err);
    return reply.code(status).send({
      error: {
        code: status === 413 ? 'too_large' : status === 500 ? 'internal' : 'invalid',
        message: status === 500 ? 'internal error' : err.message,
      },
    });
  });

  let sweeper: NodeJS.Timeout | null = null;
  let sweeps = 0;
  /**
   * The centre's timers. With several nodes, a session's own timers (watched incidents, a break's end) run on the node its
   * candidate is connected to, which serialises them with the candidate's commands; the leader runs them for
   * sessions connected nowhere, and alone runs the time-outs and rule 11's outage limit.
   */
  let sweeping = false;
  let leading = false;
  const sweepTimers = async () => {
    if (sweeping) return; // the last sweep is still running (a slow database): never two at once
    sweeping = true;
    try {
      await presence.refresh().catch((err) => log('warn', 'presence: another node did not answer', err));
      const leader = await cluster.leadership.isLeader();
      leading = leader;
      const owns = (id: string) => presence.isLocal(id) || (leader && !presence.isOnline(id));
      const jobs = [breaks.sweep(owns), proctoring.sweepWatched(owns)];
      if (leader)
        jobs.push(
          exams.sweepExpired(),
          proctoring.sweepOffline((id) => presence.isOnline(id)),
        );
      for (const result of await Promise.allSettled(jobs)) if (result.status === 'rejected') log('error', 'sweep failed', result.reason);
    } finally {
      sweeping = false;
    }
  };
  const expireStaffSockets = async () => {
    const now = clock.now();
    // Each node its own sockets; the watchers of staff sockets that no node has any more go, and those
    // of the other nodes are asked again (the replica mends itself within a minute).
    if (cluster.adapter) {
      watch.prune(new Set((await staffNsp.fetchSockets()).map((s) => s.id)));
      await syncWatchers();
    }
    for (const socket of await staffNsp.local.fetchSockets()) {
      if (!(await store.findStaffSession(socket.data.tokenHash, now))) {
        socket.emit('staff:logged-out');
        socket.disconnect(true);
      }
    }
  };
  return {
    http,
    io,
    exams,
    proctoring,
    recordings,
    issueExamLink,
    async listen(port, host = '127.0.0.1') {
      const torn = (await recordingStore?.init()) ?? 0;
      if (torn > 0) log('warn', `recordings: removed ${torn} half-written file(s) left by a crash`);
      const anchored = await anchor.anchorLegacy(store);
      if (anchored > 0)
        log('warn', `log: anchored the unkeyed logs (written before the log was keyed) of ${anchored} session(s) in the checkpoint file`);
      await http.listen({ port, host });
      const address = http.server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      // A node that joins learns who watches whom once the others hear it (a few heartbeats).
      if (cluster.adapter)
        setTimeout(
          () => void syncWatchers().catch((err) => log('warn', 'watchers: another node did not answer', err)),
          3 * HEARTBEAT_MS,
        ).unref();
      sweeper = setInterval(() => {
        void sweepTimers().catch((err) => log('error', 'sweep failed', err));
        // A staff log-in that expired stops receiving at once (the control room stays open all day).
        if (++sweeps % 30 === 0) void expireStaffSockets().catch((err) => log('error', 'staff expiry sweep failed', err));
        // Heads that moved since their last checkpoint, every 10 sweeps.
        if (sweeps % 10 === 0) {
          try {
            anchor.flush();
          } catch (err) {
            log('error', 'log checkpoint failed', err);
          }
        }
      }, config.sweepIntervalMs);
      sweeper.unref();
      return { port: actual, url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${actual}` };
    },
    async close() {
      if (sweeper) clearInterval(sweeper);
      try {
        anchor.flush();
      } catch (err) {
        log('error', 'log checkpoint failed on close', err); // the entries are committed and keyed; only this checkpoint is missing
      }
      recordings.close();
      io.disconnectSockets(true);
      // Closing ends idle keep-alive connections only; one whose response was still streaming (a recording)
      // would hold the close until its keep-alive timeout, so after a grace every connection is ended.
      const force = setTimeout(() => http.server.closeAllConnections(), 1_000);
      await io.close();
      clearTimeout(force);
      // Shutting down: a server that is already closed is fine.
      await http.close().catch(() => undefined);
      if (!deps.faces) await faces.close();
      await documentWorker?.close();
    },
  };
}
