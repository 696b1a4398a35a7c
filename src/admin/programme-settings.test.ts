import { describe, expect, it } from 'vitest';
import { DEFAULT_PROCTORING, resolveProctoring } from '../shared/proctoring-config';
import { getPath, invalidPaths, overridesFrom, setPath, settingsDiff } from './programme-settings';

describe('programme settings form', () => {
  it('the defaults store nothing; a change stores only itself and resolves back to the same settings', () => {
    expect(overridesFrom(DEFAULT_PROCTORING)).toEqual({});
    let edited = setPath(DEFAULT_PROCTORING, 'steps.roomScan', false);
    edited = setPath(edited, 'head.maxYawDeg', 40);
    edited = setPath(edited, 'incidents.audio.noise.violation', true);
    edited = { ...edited, objects: { ...edited.objects, allow: ['object.book'] } };
    const overrides = overridesFrom(edited);
    expect(overrides).toEqual({
      steps: { roomScan: false },
      head: { maxYawDeg: 40 },
      incidents: { 'audio.noise': { violation: true } },
      objects: { allow: ['object.book'] },
    });
    expect(resolveProctoring(overrides)).toEqual(edited);
    expect(DEFAULT_PROCTORING.steps.roomScan).toBe(true); // setPath copies
  });

  it('reads an incident setting through the dot in its type', () => {
    expect(getPath(DEFAULT_PROCTORING, 'incidents.face.absent.afterSec')).toBe(3);
    expect(getPath(DEFAULT_PROCTORING, 'head.maxYawDeg')).toBe(30);
  });

  it('lists each changed setting with its old and new value', () => {
    const edited = setPath(setPath(DEFAULT_PROCTORING, 'warningGraceSec', 20), 'incidents.face.absent.afterSec', 4);
    expect(settingsDiff(DEFAULT_PROCTORING, edited)).toEqual([
      { path: 'warningGraceSec', from: 15, to: 20 },
      { path: 'incidents.face.absent.afterSec', from: 3, to: 4 },
    ]);
  });

  it('refuses out-of-range values with the centre schema, naming the setting', () => {
    expect(invalidPaths(setPath(DEFAULT_PROCTORING, 'head.maxYawDeg', 200))).toEqual(['head.maxYawDeg']);
    expect(invalidPaths(setPath(DEFAULT_PROCTORING, 'incidents.face.absent.afterSec', -1))).toEqual(['incidents.face.absent.afterSec']);
    expect(invalidPaths(DEFAULT_PROCTORING)).toEqual([]);
  });
});
