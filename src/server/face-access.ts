/**
 * One rule for who sees a candidate's face photos (the reasoning in identity-service.ts):
 * admins and reviewers always; a proctor only for a session that is live (issued or in progress)
 * and that is theirs or not yet assigned. It covers the reference photo (file or enrolled: an
 * enrolled reference IS an identity photo) and a session's identity photos (evidence identity-*).
 */
import type { StaffRole } from '../shared/protocol';
import type { ExamSessionRow } from './store/store';

/** Evidence ids the centre gives identity photos (identity-N before the exam, identity-check-N for a mismatch during it). */
export const isFacePhotoEvidence = (incidentId: string): boolean => incidentId.startsWith('identity-');

export function maySeeFacePhotos(user: { id: string; role: StaffRole }, session: Pick<ExamSessionRow, 'status' | 'assignedTo'>): boolean {
  if (user.role === 'admin' || user.role === 'reviewer') return true;
  if (user.role !== 'proctor') return false; // A role added later sees no face until it is named here
  return (
    (session.status === 'issued' || session.status === 'in_progress') && (session.assignedTo === null || session.assignedTo === user.id)
  );
}
