/**
 * Figures candidates read, in plain words: no decibels (dBFS), no internal ids.
 */

/** A microphone's loudest sound (dBFS, 0 = the loudest it can take, -60 ≈ silence) as a level 0–100. */
export function soundLevel(peakDbfs: number): number {
  if (!Number.isFinite(peakDbfs)) return 0;
  return Math.max(0, Math.min(100, Math.round(((peakDbfs + 60) / 60) * 100)));
}

/** The edition of the consent text (Appendix 1) from its internal version id: 'appendix1-2023.1' → '2023.1'. */
export function consentEdition(version: string): string {
  return version.replace(/^appendix\d*-/i, '');
}
