/** The centre's time zone for staff screens: from the log-in, kept current by /api/staff/me and the admin's centre settings. */
import { useStore } from 'zustand';
import { usableTimeZone } from '../shared/centre-time';
import { staffStore } from './staff-store';

export function useCentreZone(): string {
  return useStore(staffStore, (s) => usableTimeZone(s.auth?.timeZone));
}
