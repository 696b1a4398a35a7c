/**
 * First-start seed of the embedded default: a demo recognition centre, one qualification
 * programme with its bilingual question bank, staff accounts and a demo candidate.
 * Passwords are random per installation and kept in the data folder (owner-only).
 */
import { randomUUID, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { programmeSeedSchema } from '../shared/programme';
import type { StaffRole } from '../shared/protocol';
import { hashPassword } from './auth';
import { demoProgramme } from './seed/demo-programme';
import type { Store } from './store/store';

export interface DemoCredentials {
  username: string;
  password: string;
  role: StaffRole;
}

const STAFF: ReadonlyArray<{ username: string; displayName: string; role: StaffRole }> = [
  { username: 'proctor', displayName: 'Proctor Demo', role: 'proctor' },
  { username: 'reviewer', displayName: 'Reviewer Demo', role: 'reviewer' },
  { username: 'admin', displayName: 'Admin Demo', role: 'admin' },
  // The exam commission (rules 9, 16-19) and the appeal commission (rules 20-23).
  { username: 'chair', displayName: 'Commission Chair Demo', role: 'commission_chair' },
  { username: 'member', displayName: 'Commission Member Demo', role: 'commission_member' },
  { username: 'appeal', displayName: 'Appeal Commission Demo', role: 'appeal_commission' },
];

export const DEMO_CANDIDATE = {
  surname: 'Сейтқали',
  givenName: 'Айгерім',
  patronymic: 'Нұрланқызы',
  iin: '950315450012',
  email: 'candidate@example.kz',
} as const;

/** Seeds an empty database; returns false (and changes nothing) when a centre already exists. */
export async function seedDemo(store: Store, dataDir: string, fixedPassword?: string): Promise<boolean> {
  if (await store.getCentre()) return false;
  const programme = programmeSeedSchema.parse(demoProgramme);
  const centreId = randomUUID();
  await store.createCentre({
    id: centreId,
    name: { kk: '«Тану» демо тану орталығы', ru: 'Демонстрационный центр признания «Тану»', en: 'Tanu demo recognition centre' },
    accreditationNo: 'KZ-ACC-0001',
    contact: { phone: '+7 717 200 00 00', email: 'centre@example.kz' },
    headName: 'Әлиев Ерлан Серікұлы',
  });
  await store.createProgramme(
    {
      id: programme.code,
      centreId,
      code: programme.code,
      profession: programme.profession,
      oked: programme.oked,
      occupationCode: programme.occupationCode,
      nqfLevel: programme.nqfLevel,
      durationMinutes: programme.durationMinutes,
      questionsPerExam: programme.questionsPerExam,
      proctoring: programme.proctoring,
      technologicalMap: programme.technologicalMap,
    },
    programme.questions,
  );
  const credentials: DemoCredentials[] = [];
  // A fixed password (tests, TANU_DEMO_PASSWORD) is hashed once for every account: scrypt is slow on purpose.
  const fixedHash = fixedPassword === undefined ? null : await hashPassword(fixedPassword);
  for (const s of STAFF) {
    const password = fixedPassword ?? randomBytes(9).toString('base64url');
    const passwordHash = fixedHash ?? (await hashPassword(password));
    await store.createStaffUser({ id: randomUUID(), username: s.username, displayName: s.displayName, role: s.role, passwordHash });
    credentials.push({ username: s.username, password, role: s.role });
  }
  await store.createCandidate({ id: randomUUID(), centreId, ...DEMO_CANDIDATE });
  writeFileSync(credentialsFile(dataDir), JSON.stringify(credentials, null, 2), { mode: 0o600 });
  return true;
}

export function credentialsFile(dataDir: string): string {
  return path.join(dataDir, 'demo-credentials.json');
}

export function readDemoCredentials(dataDir: string): DemoCredentials[] {
  const file = credentialsFile(dataDir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DemoCredentials[]) : [];
}
