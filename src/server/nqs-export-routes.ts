/**
 * Rule 18: GET /api/exports/nqs?from=&to=&format=json|csv — the results a centre enters in the National
 * Qualification System, for the outcome documents issued on the centre's dates from..to (both included;
 * a document's issue date is its date in the centre's time zone, fixed when it was issued). Holds the
 * IIN, so only NQS_EXPORT_ROLES get it, and each export is written in the centre's audit log (who,
 * when, which range, how many rows). Columns: docs/nqs-export.md.
 */
import type { FastifyInstance } from 'fastify';
import { nqsCsv, nqsQuerySchema, nqsRangeReason, NQS_COLUMNS, NQS_EXPORT_ROLES, type NqsExport, type NqsRow } from '../shared/nqs-export';
import { fullySignedAt } from '../shared/procedure';
import { invalid } from '../shared/protocol';
import { centreDate } from '../shared/working-days';
import { actorOf } from './admin-routes';
import type { Clock } from './clock';
import { requireStaffRole } from './http-routes';
import type { IssuedDocumentRow, ProcedureRow } from './store/procedure-store';
import type { CandidateRow, ExamSessionRow, ProgrammeRow, Store } from './store/store';

/** One row from what the centre holds (pure; exported for its test). */
export function nqsRow(
  d: IssuedDocumentRow,
  s: {
    session: ExamSessionRow;
    candidate: CandidateRow;
    programme: ProgrammeRow;
    procedure: ProcedureRow | null;
    accreditationNo: string;
    timeZone: string;
  },
): NqsRow {
  const protocol = s.procedure?.protocol ?? null;
  const basis = protocol?.basis ?? null;
  const signedAt = protocol ? fullySignedAt(protocol, s.procedure!.signatures) : null;
  const theory = basis?.theory ?? null;
  const examAt = s.session.startedAt ?? s.session.finishedAt;
  return {
    result: d.kind === 'recognition' ? 'passed' : 'failed',
    failureReason: d.kind === 'recognition' ? '' : (basis?.reason ?? ''),
    documentKind: d.kind === 'recognition' ? 'recognition' : 'failure-notice',
    documentNumber: d.number,
    issuedOn: d.issuedOn,
    revokedOn: d.revokedAt === null ? '' : centreDate(d.revokedAt, s.timeZone),
    iin: s.candidate.iin,
    surname: s.candidate.surname,
    givenName: s.candidate.givenName,
    patronymic: s.candidate.patronymic ?? '',
    programmeCode: s.programme.code,
    oked: s.programme.oked,
    occupationCode: s.programme.occupationCode,
    nqfLevel: s.programme.nqfLevel,
    professionKk: s.programme.profession.kk,
    professionRu: s.programme.profession.ru,
    examDate: examAt === null ? '' : centreDate(examAt, s.timeZone),
    examLanguage: s.session.language ?? '',
    theoryCorrect: theory?.correct ?? null,
    theoryTotal: theory?.total ?? null,
    theoryPercent: theory?.percent ?? null,
    practicalDecision: basis?.practical?.decision ?? '',
    protocolNumber: protocol?.number ?? '',
    protocolDate: signedAt === null ? '' : centreDate(signedAt, s.timeZone),
    centreAccreditationNo: s.accreditationNo,
  };
}

export function registerNqsExportRoutes(app: FastifyInstance, deps: { store: Store; clock: Clock }): void {
  const { store, clock } = deps;
  app.get('/api/exports/nqs', async (req, reply) => {
    const user = await requireStaffRole(deps, req, reply, NQS_EXPORT_ROLES);
    if (!user) return reply;
    const query = nqsQuerySchema.safeParse(req.query);
    if (!query.success) {
      const reason = nqsRangeReason(query.error);
      return reply.code(400).send(reason ? { error: { code: 'invalid', reason, message: `bad range: ${reason}` } } : invalid(query.error));
    }
    const { from, to, format } = query.data;
    const [centre, settings] = await Promise.all([store.getCentre(), store.getCentreSettings()]);
    if (!centre || !settings) return reply.code(409).send({ error: { code: 'conflict', message: 'the centre is not set up' } });
    const documents = await store.listDocumentsIssuedBetween(from, to, ['recognition', 'failure-notice']);
    const [procedures, programmes] = await Promise.all([
      store.listProceduresFor(documents.map((d) => d.sessionId)),
      store.listProgrammes(),
    ]);
    const programmeById = new Map(programmes.map((p) => [p.id, p]));
    const rows: NqsRow[] = [];
    for (const d of documents) {
      const session = await store.getSession(d.sessionId);
      const candidate = session && (await store.getCandidate(session.candidateId));
      const programme = session && programmeById.get(session.programmeId);
      if (!session || !candidate || !programme) continue; // a document always has its session; nothing to report otherwise
      rows.push(
        nqsRow(d, {
          session,
          candidate,
          programme,
          procedure: procedures.get(d.sessionId) ?? null,
          accreditationNo: centre.accreditationNo,
          timeZone: settings.timeZone,
        }),
      );
    }
    const now = clock.now();
    // The export carries IINs out of Tanu: who took it, when, and which range, in the centre's audit log.
    await store.appendAudit({
      at: now,
      actor: actorOf(user),
      action: 'nqs.exported',
      subject: 'centre',
      changes: { from, to, format, rows: rows.length },
    });
    if (format === 'csv') {
      return reply
        .type('text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="nqs-${from}-${to}.csv"`)
        .send(nqsCsv(rows));
    }
    return { data: { from, to, timeZone: settings.timeZone, generatedAt: now, columns: NQS_COLUMNS, rows } satisfies NqsExport };
  });
}
