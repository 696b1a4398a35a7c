/**
 * The admin console, reached from the staff header: a row of pages (the control room stays the
 * first, then the sessions list of src/review/), each a page of its own in src/admin/. Admins only; the centre checks the role on every
 * route.
 */
import { useState } from 'react';
import { CommissionApp } from '../commission/CommissionApp';
import { ReviewSessions } from '../review/ReviewSessions';
import { useT, type MessageKey } from '../ui/i18n/i18n';
import './admin.css';
import { CandidatesPage } from './CandidatesPage';
import { ExamsPage } from './ExamsPage';
import { CentrePage } from './CentrePage';
import { ProgrammesPage } from './ProgrammesPage';
import { ReschedulePage } from './ReschedulePage';
import { StaffPage } from './StaffPage';

export const ADMIN_PAGES = [
  'control',
  'sessions',
  'candidates',
  'exams',
  'reschedule',
  'programmes',
  'staff',
  'centre',
  'procedures',
] as const;
export type AdminPage = (typeof ADMIN_PAGES)[number];

/** The page tabs; 'control' shows the staff app's own control room. */
export function AdminTabs(props: { page: AdminPage; onChange: (page: AdminPage) => void }) {
  const t = useT();
  return (
    <nav className="admin-tabs" aria-label={t('admin.nav')}>
      {ADMIN_PAGES.map((p) => (
        <button
          key={p}
          type="button"
          aria-current={props.page === p ? 'page' : undefined}
          onClick={() => props.onChange(p)}
          data-testid={`admin-tab-${p}`}
        >
          {t(`admin.tab.${p}` as MessageKey)}
        </button>
      ))}
    </nav>
  );
}

export function AdminPageView(props: { page: Exclude<AdminPage, 'control'>; token: string }) {
  switch (props.page) {
    case 'sessions':
      return <ReviewSessions />;
    case 'candidates':
      return <CandidatesPage token={props.token} />;
    case 'exams':
      return <ExamsPage token={props.token} />;
    case 'reschedule':
      return <ReschedulePage token={props.token} />;
    case 'programmes':
      return <ProgrammesPage token={props.token} />;
    case 'staff':
      return <StaffPage token={props.token} />;
    case 'centre':
      return <CentrePage token={props.token} />;
    case 'procedures':
      // The commission's screens, read by admins (who may also issue a document a refusal held back).
      return <CommissionApp token={props.token} role="admin" />;
  }
}

export function useAdminPage(): [AdminPage, (p: AdminPage) => void] {
  return useState<AdminPage>('control');
}
