/**
 * Appendix 2: the public check of a document on recognition, what its QR code points to
 * (`GET /verify/<serial number>`, no log-in). It says valid, revoked or unknown, with the profession,
 * the NQF level, the centre, the date of issue and the holder's name; never the IIN. A small HTML
 * page in Kazakh or Russian (?lang=, else Accept-Language, else Kazakh), or JSON with
 * `Accept: application/json`. Rate-limited per address, like the log-ins: it is an oracle of names.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseDocumentNumber } from '../shared/document-number';
import type { ExamLanguage } from '../shared/languages';
import type { VerificationResult } from '../shared/procedure-api';
import type { Clock } from './clock';
import { centreDate } from '../shared/working-days';
import { KeyedBuckets, type BucketRate } from './rate-limit';
import { fullName, type Store } from './store/store';

/** Checks per address: a burst of 30, then one every 2 s. */
export const DEFAULT_VERIFY_RATE: BucketRate = { perSecond: 0.5, burst: 30 };

const queryShape = z.object({ lang: z.enum(['kk', 'ru']).optional() }).passthrough();

/** The number as the URL has it (at most the length of a number, with room for a bare "0" level or spaces). */
const MAX_NUMBER_CHARS = 60;

export async function verifyNumber(store: Store, text: string): Promise<VerificationResult> {
  const number = text.slice(0, MAX_NUMBER_CHARS);
  const parsed = parseDocumentNumber(number);
  if (!parsed.ok) return { status: 'unknown', number };
  const doc = await store.findDocumentBySerial(parsed.canonical);
  if (!doc) return { status: 'unknown', number: parsed.canonical };
  const session = await store.getSession(doc.sessionId);
  const [candidate, programme, centre] = await Promise.all([
    session ? store.getCandidate(session.candidateId) : null,
    session ? store.getProgramme(session.programmeId) : null,
    store.getCentreSettings(),
  ]);
  if (!candidate || !programme || !centre) return { status: 'unknown', number: parsed.canonical };
  const revokedOn = doc.revokedAt === null ? null : centreDate(doc.revokedAt, centre.timeZone);
  return {
    status: doc.revokedAt === null ? 'valid' : 'revoked',
    number: parsed.canonical,
    holder: fullName(candidate),
    profession: { kk: programme.profession.kk, ru: programme.profession.ru },
    nqfLevel: programme.nqfLevel,
    centre: { kk: centre.name.kk, ru: centre.name.ru },
    issuedOn: doc.issuedOn,
    revokedOn,
  };
}

/** kk or ru: ?lang=, else the first of them in Accept-Language by its weight, else kk. */
export function pageLanguage(query: string | undefined, acceptLanguage: string | undefined): ExamLanguage {
  if (query === 'kk' || query === 'ru') return query;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^q=([0-9.]+)$/.exec(p.trim())?.[1]).find(Boolean);
      return { lang: tag.split('-')[0], q: q === undefined ? 1 : Number(q), i };
    })
    .filter((x): x is { lang: ExamLanguage; q: number; i: number } => (x.lang === 'kk' || x.lang === 'ru') && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return ranked[0]?.lang ?? 'kk';
}

const TEXT = {
  kk: {
    title: 'Кәсіби біліктілікті тану туралы құжатты тексеру',
    valid: 'Құжат жарамды',
    revoked: 'Құжат кері қайтарылып алынған',
    unknown: 'Мұндай нөмірлі құжат табылмады',
    number: 'Сериялық нөмірі',
    holder: 'Кімге берілді',
    profession: 'Кәсібі',
    level: 'Ұлттық біліктілік шеңберінің деңгейі',
    centre: 'Тану орталығы',
    issued: 'Берілген күні',
    revokedOn: 'Кері қайтарылған күні',
    unknownHint: 'Нөмірді құжаттағымен салыстырыңыз немесе құжатты берген орталыққа хабарласыңыз.',
    other: 'На русском',
  },
  ru: {
    title: 'Проверка документа о признании профессиональной квалификации',
    valid: 'Документ действителен',
    revoked: 'Документ отозван',
    unknown: 'Документ с таким номером не найден',
    number: 'Серийный номер',
    holder: 'Кому выдан',
    profession: 'Профессия',
    level: 'Уровень национальной рамки квалификаций',
    centre: 'Центр признания',
    issued: 'Дата выдачи',
    revokedOn: 'Дата отзыва',
    unknownHint: 'Сверьте номер с документом или обратитесь в центр, выдавший документ.',
    other: 'Қазақша',
  },
} as const;

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function verificationPage(r: VerificationResult, language: ExamLanguage): string {
  const t = TEXT[language];
  const other: ExamLanguage = language === 'kk' ? 'ru' : 'kk';
  const rows: Array<[string, string]> = [[t.number, r.number]];
  if (r.status !== 'unknown') {
    rows.push(
      [t.holder, r.holder],
      [t.profession, r.profession[language]],
      [t.level, String(r.nqfLevel)],
      [t.centre, r.centre[language]],
      [t.issued, r.issuedOn],
    );
    if (r.revokedOn) rows.push([t.revokedOn, r.revokedOn]);
  }
  return `<!doctype html>
<html lang="${language}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escape(t.title)}</title></head>
<body>
<main>
<h1>${escape(t.title)}</h1>
<p><strong data-status="${r.status}">${escape(t[r.status])}</strong></p>
<dl>
${rows.map(([k, v]) => `<dt>${escape(k)}</dt><dd>${escape(v)}</dd>`).join('\n')}
</dl>
${r.status === 'unknown' ? `<p>${escape(t.unknownHint)}</p>` : ''}
<p><a href="?lang=${other}" lang="${other}">${escape(t.other)}</a></p>
</main>
</body>
</html>
`;
}

export function registerVerifyRoutes(app: FastifyInstance, deps: { store: Store; clock: Clock; rate?: BucketRate }): void {
  const buckets = new KeyedBuckets(() => deps.rate ?? DEFAULT_VERIFY_RATE);
  const wantsJson = (req: FastifyRequest) => /application\/json/i.test(String(req.headers.accept ?? ''));

  app.get('/verify/:number', async (req: FastifyRequest, reply: FastifyReply) => {
    const wait = buckets.take(req.ip, deps.clock.now());
    if (wait > 0) {
      reply.header('Retry-After', String(Math.max(1, Math.ceil(wait / 1000))));
      return reply.code(429).send({
        error: {
          code: 'too_many',
          message: `too many checks from this address: try again in ${Math.ceil(wait / 1000)} s`,
          retryAfterMs: wait,
        },
      });
    }
    const query = queryShape.safeParse(req.query);
    const number = String((req.params as { number?: unknown }).number ?? '');
    const result = await verifyNumber(deps.store, number);
    reply
      .code(result.status === 'unknown' ? 404 : 200)
      .header('Cache-Control', 'no-store')
      .header('Vary', 'Accept, Accept-Language');
    if (wantsJson(req)) return reply.send({ data: result });
    const language = pageLanguage(query.success ? query.data.lang : undefined, req.headers['accept-language']);
    return reply.type('text/html; charset=utf-8').header('Content-Language', language).send(verificationPage(result, language));
  });
}
