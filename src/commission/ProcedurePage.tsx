/**
 * One procedure (GET /api/procedures/:id): the theory result, a violation, the practical
 * assessment against the technological map (rule 16), the protocol drawn up and signed (rule 17), and
 * the documents (rules 14, 18, 19) with their PDFs in kk and ru. A refusal is said in words; a 409
 * (someone else changed the procedure meanwhile) reloads the page and says so.
 */
import { useCallback, useEffect, useState } from 'react';
import type { ProcedureDetail } from '../shared/procedure-api';
import { centreDateTime } from '../ui/centre-time-format';
import { useCentreZone } from '../stores/centre-zone';
import { useT, useUiLanguage, type MessageKey } from '../ui/i18n/i18n';
import { formatPercent } from '../ui/number-format';
import { ProcedureCallError, procedureApi } from './commission-api';
import { allowedActions, isStale, signatureRows, type Me } from './commission-view';
import { DeadlineText, StageBadge } from './ProceduresDashboard';
import { procedureHref } from './procedure-route';
import { DocumentRow, PdfButtons } from './DocumentRow';
import { PracticalForm } from './PracticalForm';
import { refusalText } from './refusal-text';

type Message = { kind: 'ok' | 'error'; text: string } | null;

export function ProcedurePage(props: { sessionId: string; token: string; me: Me }) {
  const t = useT();
  const language = useUiLanguage();
  const zone = useCentreZone();
  const [detail, setDetail] = useState<ProcedureDetail | null>(null);
  const [loadError, setLoadError] = useState<{ code: string; reason?: string } | null>(null);
  const [message, setMessage] = useState<Message>(null);
  const [busy, setBusy] = useState(false);
  const [pdfBusy, setPdfBusy] = useState(0);
  const [chosen, setChosen] = useState<string[]>([]);
  const at = (ms: number) => centreDateTime(ms, language, zone);

  const load = useCallback(
    () =>
      procedureApi.detail(props.token, props.sessionId).then(
        (d) => {
          setDetail(d);
          setLoadError(null);
          setChosen((c) =>
            c.length
              ? c
              : (d.protocolFull?.members.map((m) => m.userId) ??
                (d.commissionMembers.length === 1 ? [d.commissionMembers[0]!.userId] : [])),
          );
          return d;
        },
        (e: unknown) => {
          setLoadError(e instanceof ProcedureCallError ? { code: e.code, reason: e.reason } : { code: 'internal' });
          return null;
        },
      ),
    [props.token, props.sessionId],
  ); // not `t`: a new function each render, it would reload forever
  useEffect(() => {
    void load();
  }, [load]);

  const fail = (e: unknown) => {
    if (e instanceof ProcedureCallError && isStale(e)) {
      // Someone else changed the procedure: show it as it is now, and why the action was refused.
      void load();
      setMessage({ kind: 'error', text: `${refusalText(t, e)} ${t('cm.reloaded')}` });
    } else setMessage({ kind: 'error', text: e instanceof ProcedureCallError ? refusalText(t, e) : t('cm.error.internal') });
  };
  const act = (run: () => Promise<ProcedureDetail | unknown>, done: MessageKey) => {
    setBusy(true);
    setMessage(null);
    run()
      .then(async (d) => {
        const fresh = await load();
        const issueError = (d as { issueError?: { code: string; reason?: string } | null }).issueError;
        if (issueError) setMessage({ kind: 'error', text: t('cm.issueFailed', { reason: refusalText(t, issueError) }) });
        else if (fresh) setMessage({ kind: 'ok', text: t(done) });
      }, fail)
      .finally(() => setBusy(false));
  };
  const pdfBusyChange = (b: boolean) => setPdfBusy((n) => n + (b ? 1 : -1));
  const pdfFail = (e: unknown) =>
    setMessage({ kind: 'error', text: e instanceof ProcedureCallError ? refusalText(t, e) : t('cm.error.internal') });

  if (loadError)
    return (
      <section className="cm-page">
        <a href={procedureHref(null)}>{t('cm.back')}</a>
        <p role="alert" className="error">
          {refusalText(t, loadError)}
        </p>
      </section>
    );
  if (!detail) return <p role="status">{t('cm.loading')}</p>;
  const may = allowedActions(detail, props.me);
  const violation = detail.decision.kind === 'decided' && detail.decision.reason === 'violation';
  const p = detail.protocolFull;
  const outcome =
    detail.decision.kind === 'decided'
      ? detail.decision.outcome === 'passed'
        ? t('cm.outcome.passed')
        : t(`cm.outcome.failed.${detail.decision.reason}`)
      : null;
  const rows = signatureRows(detail);
  return (
    <section className="cm-page cm-procedure" aria-labelledby="cm-proc-title" data-testid="cm-procedure" data-stage={detail.stage}>
      <a href={procedureHref(null)} data-testid="cm-back">
        {t('cm.back')}
      </a>
      <h1 id="cm-proc-title">{detail.candidateName}</h1>
      <p>
        {detail.programme.code} · {detail.programme.profession[language]} · {detail.finishedAt !== null ? at(detail.finishedAt) : null}
      </p>
      <p>
        <StageBadge stage={detail.stage} /> {outcome ? <strong data-testid="cm-outcome">{outcome}</strong> : null}
      </p>
      <p>
        <DeadlineText row={detail} />
      </p>
      <div aria-live="polite">
        {message ? (
          <p
            role={message.kind === 'error' ? 'alert' : 'status'}
            className={message.kind === 'error' ? 'error' : 'ok'}
            data-testid="cm-message"
          >
            {message.text}
          </p>
        ) : null}
        {pdfBusy > 0 ? (
          <p role="status" data-testid="cm-pdf-busy">
            {t('cm.pdf.making')}
          </p>
        ) : null}
      </div>

      <section className="cm-card" aria-labelledby="cm-theory">
        <h2 id="cm-theory">{t('cm.theory')}</h2>
        {detail.theory ? (
          <>
            <p>
              {t('cm.theoryResult', {
                correct: detail.theory.correct,
                total: detail.theory.total,
                percent: formatPercent(detail.theory.percent, language),
              })}
            </p>
            <p className={detail.theory.admitted ? 'ok' : 'error'}>{detail.theory.admitted ? t('cm.admitted') : t('cm.notAdmitted')}</p>
          </>
        ) : (
          <p>{t('cm.noTheory')}</p>
        )}
      </section>

      {violation ? (
        <section className="cm-card" aria-labelledby="cm-violation">
          <h2 id="cm-violation">{t('cm.violation')}</h2>
          {detail.verdict?.kind === 'violation_confirmed' ? (
            <p>{t('cm.violation.confirmed', { by: detail.verdict.by, at: at(detail.verdict.at), comment: detail.verdict.comment })}</p>
          ) : (
            <p>{t('cm.violation.terminated')}</p>
          )}
          <p>
            {t('cm.violation.act')}:{' '}
            {p ? (
              <PdfButtons
                path={`/api/sessions/${detail.sessionId}/violation-act`}
                name={`violation-act-${p.violationActNumber ?? ''}`}
                label={t('cm.violation.act')}
                token={props.token}
                onBusy={pdfBusyChange}
                onError={pdfFail}
                testId="cm-pdf-act"
              />
            ) : (
              t('cm.violation.actAfterProtocol')
            )}
          </p>
        </section>
      ) : null}

      <section className="cm-card" aria-labelledby="cm-practical">
        <h2 id="cm-practical">{t('cm.practical')}</h2>
        {!detail.theory?.admitted || violation ? <p>{t('cm.practical.notDue')}</p> : null}
        {detail.practical ? <p>{t('cm.practical.by', { name: detail.practical.by.name, at: at(detail.practical.at) })}</p> : null}
        {may.assess ? (
          <PracticalForm
            key={detail.practical?.at ?? 0}
            detail={detail}
            busy={busy}
            onSave={(items, decision) =>
              act(() => procedureApi.practical(props.token, detail.sessionId, { items, decision }), 'cm.practical.saved')
            }
          />
        ) : detail.practical ? (
          <table className="cm-table" data-testid="cm-practical-recorded">
            <thead>
              <tr>
                <th scope="col">{t('cm.practical.item')}</th>
                <th scope="col">{t('cm.practical.decision')}</th>
                <th scope="col">{t('cm.practical.comment')}</th>
              </tr>
            </thead>
            <tbody>
              {detail.practical.items.map((i) => (
                <tr key={i.itemId}>
                  <th scope="row">{i.text[language]}</th>
                  <td className={i.passed ? 'ok' : 'error'}>{i.passed ? t('cm.practical.passed') : t('cm.practical.failed')}</td>
                  <td>{i.comment ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : detail.theory?.admitted && !violation ? (
          <p>{t('cm.practical.none')}</p>
        ) : null}
      </section>

      <section className="cm-card" aria-labelledby="cm-protocol">
        <h2 id="cm-protocol">{t('cm.protocol')}</h2>
        {p ? (
          <p data-testid="cm-protocol-number">{t('cm.protocol.number', { number: p.number, at: at(p.drawnAt) })}</p>
        ) : (
          <p>{t('cm.protocol.notYet')}</p>
        )}
        {detail.protocol?.stale ? (
          <p className="warning" role="status">
            {t('cm.protocol.stale')}
          </p>
        ) : null}
        {rows.length ? (
          <table className="cm-table" data-testid="cm-signatures">
            <caption>{t('cm.sig.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('cm.sig.who')}</th>
                <th scope="col">{t('cm.sig.when')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.userId} data-testid="cm-signature" data-signed={r.signedAt !== null}>
                  <th scope="row">{r.chair ? t('cm.sig.chair', { name: r.name }) : r.name}</th>
                  <td className={r.signedAt !== null ? 'ok' : 'warning'}>{r.signedAt !== null ? at(r.signedAt) : t('cm.sig.toSign')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {may.sign && p ? (
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={() => act(() => procedureApi.sign(props.token, detail.sessionId, p.number), 'cm.signed')}
            data-testid="cm-sign"
          >
            {t('cm.sign')}
          </button>
        ) : null}
        {/* Once issued, the protocol is under the documents; before that the draft shows the signatures so far. */}
        {p && !detail.documents.some((d) => d.kind === 'protocol') ? (
          <p>
            {t('cm.pdf.draft')}:{' '}
            <PdfButtons
              path={`/api/procedures/${detail.sessionId}/protocol.pdf`}
              name={`protocol-${p.number}`}
              label={t('cm.pdf.draft')}
              token={props.token}
              onBusy={pdfBusyChange}
              onError={pdfFail}
              testId="cm-pdf-protocol-draft"
            />
          </p>
        ) : null}
        {may.draw ? (
          <fieldset className="cm-members" data-testid="cm-draw">
            <legend>{t('cm.protocol.members')}</legend>
            {detail.commissionMembers.length === 0 ? (
              <p>{t('cm.protocol.noMembers')}</p>
            ) : (
              detail.commissionMembers.map((m) => (
                <label key={m.userId}>
                  <input
                    type="checkbox"
                    checked={chosen.includes(m.userId)}
                    onChange={(e) => setChosen(e.target.checked ? [...chosen, m.userId] : chosen.filter((x) => x !== m.userId))}
                    data-testid="cm-member"
                  />{' '}
                  {m.name}
                </label>
              ))
            )}
            <button
              type="button"
              className="primary"
              disabled={busy || detail.commissionMembers.length === 0}
              data-testid="cm-draw-button"
              onClick={() =>
                chosen.length === 0
                  ? setMessage({ kind: 'error', text: t('cm.protocol.chooseMember') })
                  : act(() => procedureApi.draw(props.token, detail.sessionId, chosen), 'cm.protocol.drawn')
              }
            >
              {p ? t('cm.protocol.redraw') : t('cm.protocol.draw')}
            </button>
          </fieldset>
        ) : !p && detail.stage === 'protocol_to_draw' ? (
          <p>{t('cm.protocol.chairOnly')}</p>
        ) : null}
      </section>

      <section className="cm-card" aria-labelledby="cm-docs">
        <h2 id="cm-docs">{t('cm.docs')}</h2>
        {detail.documents.length === 0 ? (
          <p>{t('cm.docs.none')}</p>
        ) : (
          <ul className="cm-documents">
            {detail.documents.map((d) => (
              <DocumentRow key={d.id} doc={d} token={props.token} onBusy={pdfBusyChange} onError={pdfFail} />
            ))}
          </ul>
        )}
        {may.issue ? (
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={() => act(() => procedureApi.issue(props.token, detail.sessionId), 'cm.issued')}
            data-testid="cm-issue"
          >
            {t('cm.issue')}
          </button>
        ) : null}
      </section>
    </section>
  );
}
