import { describe, expect, it } from 'vitest';
import { initialExamState, type UploadStatus } from '../stores/exam-store';
import { backlogIsNotable } from '../session/delivery';
import { QUIET_BACKLOG_BYTES, megabytes, uploadState } from './UploadIndicator';

const idle: UploadStatus = initialExamState.uploads;

describe('upload indicator state', () => {
  it('names the one thing the candidate should know, most important first', () => {
    expect(uploadState(idle, 'online')).toBe('saved');
    expect(uploadState({ ...idle, items: 1, chunks: 1, bytes: 120_000 }, 'online')).toBe('saved'); // a chunk in flight is normal
    expect(uploadState({ ...idle, items: 2, answers: 1 }, 'online')).toBe('answers');
    expect(uploadState({ ...idle, items: 20, chunks: 20, bytes: QUIET_BACKLOG_BYTES + 1 }, 'online')).toBe('uploading');
    expect(uploadState({ ...idle, items: 3, answers: 3 }, 'reconnecting')).toBe('offline');
    expect(uploadState({ ...idle, storageError: 'quota' }, 'reconnecting')).toBe('storage');
  });

  it('shows sizes in MB with one decimal', () => {
    expect(megabytes(2_621_440)).toBe('2.5');
  });
});

describe('the backlog reported to the proctor', () => {
  it('leaves out the chunk or two a recording always has in flight', () => {
    expect(backlogIsNotable({ items: 2, bytes: 200_000, storageFull: false })).toBe(false);
    expect(backlogIsNotable({ items: 4, bytes: 200_000, storageFull: false })).toBe(true);
    expect(backlogIsNotable({ items: 1, bytes: 2_000_000, storageFull: false })).toBe(true);
    expect(backlogIsNotable({ items: 0, bytes: 0, storageFull: true })).toBe(true);
  });
});
