/** One issued document of a procedure, with its number and date and its PDF in Kazakh and in Russian. */
import type { ExamLanguage } from '../shared/languages';
import type { IssuedDocumentView } from '../shared/procedure-api';
import { formatDay } from '../ui/day-format';
import { useT, useUiLanguage } from '../ui/i18n/i18n';
import { fetchPdf } from './commission-api';

export function PdfButtons(props: {
  path: string;
  name: string;
  label: string;
  token: string;
  onBusy: (busy: boolean) => void;
  onError: (e: unknown) => void;
  testId: string;
}) {
  const t = useT();
  const get = (lang: ExamLanguage) => {
    props.onBusy(true);
    fetchPdf(`${props.path}${props.path.includes('?') ? '&' : '?'}lang=${lang}`, props.token)
      .then((blob) => {
        const url = URL.createObjectURL(blob);
        const a = document.createElement('a');
        a.href = url;
        a.download = `${props.name}-${lang}.pdf`;
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      }, props.onError)
      .finally(() => props.onBusy(false));
  };
  return (
    <span className="cm-pdf">
      <button type="button" onClick={() => get('kk')} aria-label={`${props.label}: ${t('cm.pdf.kk')}`} data-testid={`${props.testId}-kk`}>
        {t('cm.pdf.kk')}
      </button>
      <button type="button" onClick={() => get('ru')} aria-label={`${props.label}: ${t('cm.pdf.ru')}`} data-testid={`${props.testId}-ru`}>
        {t('cm.pdf.ru')}
      </button>
    </span>
  );
}

export function DocumentRow(props: {
  doc: IssuedDocumentView;
  token: string;
  onBusy: (b: boolean) => void;
  onError: (e: unknown) => void;
}) {
  const t = useT();
  const language = useUiLanguage();
  const d = props.doc;
  return (
    <li data-testid="cm-document" data-kind={d.kind}>
      <strong>{t(`cm.docs.kind.${d.kind}`)}</strong>{' '}
      {d.kind === 'recognition' ? (
        <span>
          {t('cm.docs.serial')}: <code data-testid="cm-serial">{d.number}</code>, {formatDay(d.issuedOn, language)}
        </span>
      ) : (
        <span>{t('cm.docs.number', { number: d.number, date: formatDay(d.issuedOn, language) })}</span>
      )}
      {d.revokedAt !== null ? <span className="error"> · {t('cm.docs.revoked')}</span> : null}{' '}
      <PdfButtons
        path={`/api/documents/${d.id}`}
        name={`${d.kind}-${d.number}`}
        label={t(`cm.docs.kind.${d.kind}`)}
        token={props.token}
        onBusy={props.onBusy}
        onError={props.onError}
        testId={`cm-pdf-${d.kind}`}
      />
    </li>
  );
}
