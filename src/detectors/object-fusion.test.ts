/** Rule-12 objects from two models (object-fusion.ts): pure, no model. */
import { describe, expect, it } from 'vitest';
import { AGREEMENT, agreements, fuseObjects, fuseScores, toObjectSignals, type RawObject } from './object-fusion';
import { classIndexOfCocoId } from './ssd-detector';

const PERSON = 0;
const CELL_PHONE = 67;
const BOOK = 73;
const options = { minScore: 0.4, allow: [] };
const at = (cocoClass: number, score: number, x = 0.4, y = 0.6, w = 0.2, h = 0.2): RawObject => ({ cocoClass, score, box: { x, y, w, h } });

describe('toObjectSignals', () => {
  it('maps rule-12 COCO classes to incidents and drops the rest', () => {
    const found = toObjectSignals(
      [at(PERSON, 0.9), at(CELL_PHONE, 0.5, 0.1), at(BOOK, 0.6, 0.5), at(63, 0.45), at(66, 0.41, 0.8)],
      options,
    );
    expect(found.map((o) => o.type)).toEqual(['object.book', 'object.phone', 'object.laptop', 'object.keyboard']);
    expect(found[1]!.box).toEqual({ x: 0.1, y: 0.6, w: 0.2, h: 0.2 });
  });

  it('keeps one of overlapping boxes of the same object', () => {
    const found = toObjectSignals([at(CELL_PHONE, 0.5, 0.1), at(CELL_PHONE, 0.7, 0.11), at(CELL_PHONE, 0.45, 0.6)], options);
    expect(found.map((o) => [o.score, o.box.x])).toEqual([
      [0.7, 0.11],
      [0.45, 0.6],
    ]);
  });

  it('applies the score floor and the programme allow-list', () => {
    expect(toObjectSignals([at(CELL_PHONE, 0.39)], options)).toEqual([]);
    expect(
      toObjectSignals([at(CELL_PHONE, 0.9), at(66, 0.9, 0.1)], { minScore: 0.4, allow: ['object.keyboard'] }).map((o) => o.type),
    ).toEqual(['object.phone']);
  });
});

describe('two models agreeing (rule 12)', () => {
  it('adds the two scores in log-odds against the prior', () => {
    // A model at the prior says nothing new: the other's score is the answer.
    expect(fuseScores(0.3, AGREEMENT.prior)).toBeCloseTo(0.3, 10);
    // The held phone of phone-5s at its weakest measured pair, and a typical one.
    expect(fuseScores(0.18, 0.14)).toBeCloseTo(0.4044, 3);
    expect(fuseScores(0.2, 0.2)).toBeCloseTo(0.5429, 3);
    // Symmetric, and rising in each score.
    expect(fuseScores(0.14, 0.18)).toBeCloseTo(fuseScores(0.18, 0.14), 12);
    expect(fuseScores(0.2, 0.21)).toBeGreaterThan(fuseScores(0.2, 0.2));
    // Certainties stay finite.
    expect(fuseScores(1, 0)).toBeGreaterThan(0);
    expect(fuseScores(1, 1)).toBeLessThanOrEqual(1);
  });

  it('fuses a phone both models put in the same place, each at least minEach', () => {
    const first = [at(CELL_PHONE, 0.2)];
    expect(agreements(first, [at(CELL_PHONE, 0.2, 0.42, 0.61)])).toEqual([
      { cocoClass: CELL_PHONE, score: fuseScores(0.2, 0.2), box: first[0]!.box },
    ]);
    // Elsewhere in the frame (IoU under minIou), too weak, or another class: no agreement.
    expect(agreements(first, [at(CELL_PHONE, 0.2, 0.7, 0.1)])).toEqual([]);
    expect(agreements(first, [at(CELL_PHONE, AGREEMENT.minEach - 0.01)])).toEqual([]);
    expect(agreements([at(CELL_PHONE, AGREEMENT.minEach - 0.01)], [at(CELL_PHONE, 0.3)])).toEqual([]);
    expect(agreements(first, [at(BOOK, 0.3)])).toEqual([]);
    // The best of several overlapping second-model boxes is the one heard.
    expect(agreements(first, [at(CELL_PHONE, 0.15), at(CELL_PHONE, 0.3, 0.41)])[0]!.score).toBeCloseTo(fuseScores(0.2, 0.3), 12);
  });

  it('fuses only the phone: two weak books at one place stay unreported', () => {
    expect(fuseObjects([at(BOOK, 0.3)], [at(BOOK, 0.3)], options)).toEqual([]);
  });

  it('reports what either model finds alone at minScore, and what the two find together', () => {
    const found = fuseObjects(
      [at(CELL_PHONE, 0.2), at(BOOK, 0.1, 0.1, 0.1)],
      [at(CELL_PHONE, 0.22, 0.41), at(BOOK, 0.55, 0.1, 0.1)],
      options,
    );
    expect(found.map((o) => o.type)).toEqual(['object.phone', 'object.book']); // best first: 0.56, then 0.55
    expect(found.find((o) => o.type === 'object.phone')!.score).toBeCloseTo(fuseScores(0.2, 0.22), 12);
    // Neither alone, nor both together, reach it: nothing.
    expect(fuseObjects([at(CELL_PHONE, 0.12)], [at(CELL_PHONE, 0.12)], options)).toEqual([]);
    // The programme's allow-list holds for fused findings too.
    expect(fuseObjects([at(CELL_PHONE, 0.3)], [at(CELL_PHONE, 0.3)], { minScore: 0.4, allow: ['object.phone'] })).toEqual([]);
  });
});

describe('SSDLite classes in CenterNet numbering', () => {
  it('maps COCO category ids (1..90, with gaps) to the 80 classes, 0-based', () => {
    expect(classIndexOfCocoId(1)).toBe(PERSON);
    expect(classIndexOfCocoId(77)).toBe(CELL_PHONE); // cell phone
    expect(classIndexOfCocoId(84)).toBe(BOOK);
    expect(classIndexOfCocoId(73)).toBe(63); // laptop
    expect(classIndexOfCocoId(90)).toBe(79); // toothbrush, the last
    for (const unused of [12, 26, 83, 0, 91, 1.5]) expect(classIndexOfCocoId(unused)).toBeNull();
  });
});
