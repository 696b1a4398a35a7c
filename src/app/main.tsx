import '@fontsource/noto-sans/400.css';
import '@fontsource/noto-sans/700.css';
import '../ui/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { browserCandidateRuntime } from '../exam/browser-runtime';
import { languageStore } from '../ui/i18n/i18n';
import { App } from './App';

document.documentElement.lang = languageStore.getState().language;
// The composition root of the candidate's page: its devices, link and storage are built here, once (not on staff pages).
const candidate = window.location.pathname.startsWith('/exam') ? browserCandidateRuntime() : null;
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App candidate={candidate} />
  </StrictMode>,
);
