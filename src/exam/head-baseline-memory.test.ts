import { describe, expect, it } from 'vitest';
import { recalledBaseline, rememberBaseline } from './head-baseline-memory';

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (k) => items.get(k) ?? null,
    setItem: (k, v) => void items.set(k, v),
    removeItem: (k) => void items.delete(k),
  };
}

describe('the neutral head pose over a reload', () => {
  it('is recalled for the same session only', () => {
    const storage = memoryStorage();
    rememberBaseline(storage, 'session-a', { yawDeg: -8.5, pitchDeg: 12 });
    expect(recalledBaseline(storage, 'session-a')).toEqual({ yawDeg: -8.5, pitchDeg: 12 });
    expect(recalledBaseline(storage, 'session-b')).toBeNull();
    rememberBaseline(storage, 'session-a', null);
    expect(recalledBaseline(storage, 'session-a')).toBeNull();
  });

  it('is no baseline when what is stored cannot be an angle, or storage refuses', () => {
    const storage = memoryStorage();
    for (const stored of ['not json', '{"yawDeg":"5","pitchDeg":0}', '{"yawDeg":500,"pitchDeg":0}', '{"yawDeg":1}', 'null', '[1,2]']) {
      storage.items.set('tanu.headBaseline.s', stored);
      expect(recalledBaseline(storage, 's'), stored).toBeNull();
    }
    const refusing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => undefined,
    };
    expect(() => rememberBaseline(refusing, 's', { yawDeg: 1, pitchDeg: 2 })).not.toThrow();
    expect(recalledBaseline(refusing, 's')).toBeNull();
    expect(recalledBaseline(null, 's')).toBeNull();
  });
});
