/** Times as people read them: a countdown ("39:58", "1:00:00") and a wall-clock time of an event. */
export function formatClock(ms: number): string {
  const total = Math.ceil(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

export function clockTime(ms: number): string {
  return new Date(ms).toLocaleTimeString('ru-RU', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** Milliseconds left on the server's clock; never negative. */
export function timeLeftMs(deadlineAt: number | null, clientNow: number, clockOffsetMs: number): number | null {
  if (deadlineAt === null) return null;
  return Math.max(0, deadlineAt - (clientNow + clockOffsetMs));
}

/** "09:00": a time of day on this computer, 24-hour, as the interface language writes it (the exam's opening, a break's end). */
export function hourMinute(ms: number, language: string): string {
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'ru-RU', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    ms,
  );
}
