/** Routes by path: /exam for candidates, /staff for centre staff. The only place features meet. */
import { lazy, Suspense } from 'react';
import type { CandidateRuntime } from '../exam/candidate-runtime';
import { ExamApp } from '../exam/ExamApp';
import { CandidateRuntimeContext } from '../exam/runtime-context';
import { useT } from '../ui/i18n/i18n';

const StaffApp = lazy(() => import('./StaffApp').then((m) => ({ default: m.StaffApp })));

function Home() {
  const t = useT();
  return (
    <main className="page">
      <section className="card">
        <h1>{t('app.name')}</h1>
        <p>{t('app.tagline')}</p>
        <p>
          <a href="/staff">{t('staff.title')}</a>
        </p>
      </section>
    </main>
  );
}

/** `candidate`: the candidate runtime, built by main.tsx on /exam pages only. */
export function App(props: { candidate: CandidateRuntime | null }) {
  const t = useT();
  const path = window.location.pathname;
  if (path.startsWith('/exam') && props.candidate)
    return (
      <CandidateRuntimeContext value={props.candidate}>
        <ExamApp />
      </CandidateRuntimeContext>
    );
  if (path.startsWith('/staff'))
    return (
      <Suspense fallback={<p role="status">{t('common.loading')}</p>}>
        <StaffApp />
      </Suspense>
    );
  return <Home />;
}
