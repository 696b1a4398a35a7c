import '@fontsource/noto-sans/400.css';
import '@fontsource/noto-sans/700.css';
import '../ui/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { languageStore } from '../ui/i18n/i18n';
import { App } from './App';

document.documentElement.lang = languageStore.getState().language;
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
