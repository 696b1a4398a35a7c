/** The candidate runtime, handed to the exam's screens through React context (a test hands them a fake). */
import { createContext, use } from 'react';
import type { CandidateRuntime } from './candidate-runtime';

export const CandidateRuntimeContext = createContext<CandidateRuntime | null>(null);

export function useCandidateRuntime(): CandidateRuntime {
  const runtime = use(CandidateRuntimeContext);
  if (!runtime) throw new Error('the exam screens need a candidate runtime: render them inside CandidateRuntimeContext');
  return runtime;
}
