/**
 * Where the candidate turns when the exam ends or locks (rule 20: complaints and appeals go to the
 * centre): the session's short reference to quote, and the centre's name (in the UI language),
 * phone and email as links. Without contact details it still says whom to contact.
 */
import { useId } from 'react';
import type { CentreContact as Contact } from '../../shared/protocol';
import { useT, useUiLanguage } from '../i18n/i18n';

export function CentreContact(props: { reference?: string | null; contact?: Contact | null }) {
  const t = useT();
  const lang = useUiLanguage();
  const titleId = useId();
  const { reference, contact } = props;
  const name = contact?.centre?.[lang] ?? null;
  const phone = contact?.phone ?? null;
  const email = contact?.email ?? null;
  return (
    <section className="centre-contact" aria-labelledby={titleId} data-testid="centre-contact">
      <h2 id={titleId}>{t('contact.title')}</h2>
      {reference ? (
        <p>
          {t('contact.reference')}:{' '}
          <strong className="reference" data-testid="session-reference">
            {reference}
          </strong>
          <br />
          <span className="hint">{t('contact.referenceHint')}</span>
        </p>
      ) : null}
      {name ? <p className="centre-name">{name}</p> : null}
      {phone || email ? (
        <dl>
          {phone ? (
            <>
              <dt>{t('contact.phone')}</dt>
              <dd>
                <a href={`tel:${phone.replace(/[^\d+]/g, '')}`} data-testid="centre-phone">
                  {phone}
                </a>
              </dd>
            </>
          ) : null}
          {email ? (
            <>
              <dt>{t('contact.email')}</dt>
              <dd>
                <a href={`mailto:${email}`} data-testid="centre-email">
                  {email}
                </a>
              </dd>
            </>
          ) : null}
        </dl>
      ) : null}
      {name || phone || email ? null : <p>{t('contact.unknown')}</p>}
    </section>
  );
}
