/**
 * REST for exam recordings (rule 14: the recording is evidence): reviewers and admins download
 * the whole recording as one seekable WebM, with HTTP ranges so a <video> can seek, and list
 * its chunks. Proctors watch live and do not get recordings.
 *
 * A <video src> cannot send the bearer token, so a reviewer first asks for a player link
 * (POST …/recording/link): a random token in the URL, good for RECORDING_LINK_TTL_MS while
 * the reviewer's log-in lasts, pinned to the file as it was then (chunks that arrive later make
 * a new file, so a player reading ranges never sees the bytes move under it).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { invalid, type StaffRole } from '../shared/protocol';
import { hashToken, newToken } from './auth';
import type { Clock } from './clock';
import { bearer, requireStaffRole } from './http-routes';
import type { RecordingService, SeekableFile } from './recording-service';
import { UnplayableRecording } from './recordings/webm-seekable';
import type { Store } from './store/store';

const REVIEW_ROLES: readonly StaffRole[] = ['reviewer', 'admin'];
const sessionParams = z.object({ id: z.string().uuid() });
const linkQuery = z.object({
  link: z
    .string()
    .regex(/^[A-Za-z0-9_-]{20,100}$/)
    .optional(),
});

/** A single `bytes=` range of a file of `size` bytes: null to send it whole, 'bad' for 416. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'bad' {
  if (header === undefined) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return 'bad';
  const [, from = '', to = ''] = m;
  if (from === '') {
    const suffix = Number(to);
    if (to === '' || suffix === 0) return 'bad';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  if (start >= size || (to !== '' && Number(to) < start)) return 'bad';
  return { start, end };
}

export function registerRecordingRoutes(app: FastifyInstance, deps: { store: Store; clock: Clock; recordings: RecordingService }): void {
  const { store, recordings } = deps;
  const notFound = (reply: FastifyReply, message: string) => reply.code(404).send({ error: { code: 'not_found', message } });

  /** The session of the route, answered 400 / 404 otherwise. */
  async function session(req: FastifyRequest, reply: FastifyReply): Promise<string | null> {
    const params = sessionParams.safeParse(req.params);
    if (!params.success) {
      await reply.code(400).send(invalid(params.error));
      return null;
    }
    if (!(await store.getSession(params.data.id))) {
      await notFound(reply, 'no such session');
      return null;
    }
    if (!recordings.enabled) {
      await notFound(reply, 'this centre does not keep recordings');
      return null;
    }
    return params.data.id;
  }

  async function unplayable<T>(reply: FastifyReply, work: () => Promise<T>): Promise<T | null> {
    try {
      return await work();
    } catch (err) {
      if (!(err instanceof UnplayableRecording)) throw err;
      await reply.code(409).send({ error: { code: 'conflict', message: err.message } });
      return null;
    }
  }

  app.get('/api/sessions/:id/recording/chunks', async (req, reply) => {
    if (!(await requireStaffRole(deps, req, reply, REVIEW_ROLES))) return reply;
    const id = await session(req, reply);
    if (!id) return reply;
    return { data: await recordings.chunkList(id) };
  });

  app.post('/api/sessions/:id/recording/link', async (req, reply) => {
    if (!(await requireStaffRole(deps, req, reply, REVIEW_ROLES))) return reply;
    const id = await session(req, reply);
    if (!id) return reply;
    const token = newToken();
    const made = await unplayable(reply, () => recordings.createLink(id, hashToken(token), hashToken(bearer(req)!)));
    if (made === null) return reply.sent ? reply : notFound(reply, 'nothing recorded yet');
    return { data: { url: `/api/sessions/${id}/recording?link=${token}`, expiresAt: made.expiresAt, bytes: made.file.bytes } };
  });

  app.get('/api/sessions/:id/recording', async (req, reply) => {
    const query = linkQuery.safeParse(req.query);
    if (!query.success) return reply.code(400).send(invalid(query.error));
    let file: SeekableFile | null;
    if (query.data.link) {
      const link = recordings.link(hashToken(query.data.link));
      const staff = link ? await store.findStaffSession(link.staffTokenHash, deps.clock.now()) : null;
      if (!link || !staff || !REVIEW_ROLES.includes(staff.role) || link.sessionId !== (req.params as { id?: string }).id) {
        return reply.code(401).send({ error: { code: 'unauthorised', message: 'this player link is not valid (any more)' } });
      }
      file = await recordings.seekableByName(link.sessionId, link.name);
      if (!file)
        return reply.code(410).send({ error: { code: 'not_found', message: 'this version of the recording is gone: ask for a new link' } });
      return send(req, reply, link.sessionId, file);
    }
    if (!(await requireStaffRole(deps, req, reply, REVIEW_ROLES))) return reply;
    const id = await session(req, reply);
    if (!id) return reply;
    file = await unplayable(reply, () => recordings.seekable(id));
    if (reply.sent) return reply;
    if (!file) return notFound(reply, 'nothing recorded yet');
    return send(req, reply, id, file);
  });

  function send(req: FastifyRequest, reply: FastifyReply, sessionId: string, file: SeekableFile) {
    reply
      .header('Accept-Ranges', 'bytes')
      .header('ETag', file.etag)
      .header('Cache-Control', 'private, no-cache')
      .header('Content-Disposition', `inline; filename="recording-${sessionId}.webm"`)
      .type('video/webm');
    // If-Range with another version: the client's earlier bytes are of another file, so send this one whole.
    const ifRange = req.headers['if-range'];
    const range = ifRange !== undefined && ifRange !== file.etag ? null : parseRange(req.headers.range, file.bytes);
    if (range === 'bad') {
      return reply
        .code(416)
        .header('Content-Range', `bytes */${file.bytes}`)
        .type('application/json')
        .send({ error: { code: 'invalid', message: 'range not satisfiable' } });
    }
    if (range === null) return reply.header('Content-Length', file.bytes).send(recordings.readSeekable(sessionId, file.name));
    return reply
      .code(206)
      .header('Content-Range', `bytes ${range.start}-${range.end}/${file.bytes}`)
      .header('Content-Length', range.end - range.start + 1)
      .send(recordings.readSeekable(sessionId, file.name, range));
  }
}
