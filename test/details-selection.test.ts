// Unit tests of the choice of objects to detail: the most common types first, at least one object
// each, the rest in proportion to the counts, within the samples there are.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseObjectsForDetails, type LeakedTypeSample } from '../lib/monitor/details-selection.js';

/** A type with `samples` sample IDs: base + 1, base + 2, ... */
function leaked(objectType: string, count: number, samples: number, base = 0): LeakedTypeSample {
  return { objectType, count, sampleIds: Array.from({ length: samples }, (_, i) => base + i + 1) };
}

/** How many objects each type got, in the order of the result. */
function perType(chosen: readonly { objectType: string }[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const { objectType } of chosen) counts.set(objectType, (counts.get(objectType) ?? 0) + 1);
  return [...counts];
}

describe('chooseObjectsForDetails', () => {
  it('chooses nothing when maxObjectDetails is 0', () => {
    assert.deepEqual(chooseObjectsForDetails([leaked('Map', 10, 5)], 0), []);
  });

  it('chooses nothing when there are no types', () => {
    assert.deepEqual(chooseObjectsForDetails([], 30), []);
  });

  it('gives each type one object and shares the rest in proportion to the counts', () => {
    // 5 objects: 1 each, then 3 shared 90:10 = 2.7 and 0.3; the larger remainder gets the last.
    const chosen = chooseObjectsForDetails([leaked('B', 10, 10, 100), leaked('A', 90, 10, 200)], 5);
    assert.deepEqual(chosen, [
      { objectType: 'A', objectId: 201 },
      { objectType: 'A', objectId: 202 },
      { objectType: 'A', objectId: 203 },
      { objectType: 'A', objectId: 204 },
      { objectType: 'B', objectId: 101 },
    ]);
  });

  it('details only the maxObjectDetails most common types, ties by name', () => {
    const types = [leaked('c', 5, 3), leaked('b', 7, 3), leaked('a', 5, 3), leaked('d', 1, 3)];
    assert.deepEqual(perType(chooseObjectsForDetails(types, 2)), [['b', 1], ['a', 1]]);
    assert.deepEqual(perType(chooseObjectsForDetails(types, 3)), [['b', 1], ['a', 1], ['c', 1]]);
  });

  it('never takes more than the sample IDs of a type, and gives its share to the others', () => {
    // 6 objects: 1 each, then 4 shared 100:1; A can take only 1 more, B takes the other 3.
    const chosen = chooseObjectsForDetails([leaked('A', 100, 2), leaked('B', 1, 10)], 6);
    assert.deepEqual(perType(chosen), [['A', 2], ['B', 4]]);
  });

  it('passes a full share on until every share fits', () => {
    // Rest 10 shared 60:30:10 = 6, 3, 1; A has room for 1, then 9 shared 30:10 = 6.75, 2.25:
    // B has room for 4, and C takes the remaining 5.
    const chosen = chooseObjectsForDetails([leaked('A', 60, 2), leaked('B', 30, 5), leaked('C', 10, 50)], 13);
    assert.deepEqual(perType(chosen), [['A', 2], ['B', 5], ['C', 6]]);
  });

  it('chooses every sample when the budget is larger than the samples', () => {
    const chosen = chooseObjectsForDetails([leaked('A', 1000, 2), leaked('B', 3, 3)], 30);
    assert.equal(chosen.length, 5);
    assert.deepEqual(perType(chosen), [['A', 2], ['B', 3]]);
  });

  it('keeps the order of each type’s sample IDs and drops duplicates', () => {
    const chosen = chooseObjectsForDetails([{ objectType: 'Map', count: 9, sampleIds: [30, 10, 30, 20, 10] }], 10);
    assert.deepEqual(chosen.map((c) => c.objectId), [30, 10, 20]);
  });

  it('passes over types without sample IDs', () => {
    const chosen = chooseObjectsForDetails([{ objectType: 'string', count: 500, sampleIds: [] }, leaked('Map', 3, 3)], 1);
    assert.deepEqual(chosen, [{ objectType: 'Map', objectId: 1 }]);
  });

  it('gives tied remainders to the more common type', () => {
    // Rest 1 shared 2:2:1 = 0.4, 0.4, 0.2: the first of the two ties (by name) gets it.
    const chosen = chooseObjectsForDetails([leaked('Z', 1, 5), leaked('Y', 2, 5), leaked('X', 2, 5)], 4);
    assert.deepEqual(perType(chosen), [['X', 2], ['Y', 1], ['Z', 1]]);
  });

  it('is exact with counts beyond 2^53 / budget', () => {
    const huge = Number.MAX_SAFE_INTEGER;
    const chosen = chooseObjectsForDetails([leaked('A', huge, 1000), leaked('B', huge - 1, 1000), leaked('C', 1, 1000)], 1000);
    assert.equal(chosen.length, 1000);
    assert.deepEqual(perType(chosen), [['A', 500], ['B', 499], ['C', 1]]);
  });

  it('does not change its input', () => {
    const types = [leaked('b', 1, 2), leaked('a', 5, 3)];
    const copy = structuredClone(types);
    chooseObjectsForDetails(types, 4);
    assert.deepEqual(types, copy);
  });

  it('keeps its promises for many random inputs', () => {
    // A fixed-seed generator, so that a failure can be replayed.
    let seed = 12345;
    const random = (below: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % below;
    };
    for (let round = 0; round < 500; round++) {
      const types = Array.from({ length: random(8) }, (_, i) => leaked(`T${i}`, 1 + random(random(2) ? 10 : 100_000), random(12), i * 100));
      const budget = random(40);
      const chosen = chooseObjectsForDetails(types, budget);
      const order = types.filter((t) => t.sampleIds.length > 0).sort((a, b) => b.count - a.count || (a.objectType < b.objectType ? -1 : 1));
      const eligible = order.slice(0, budget);
      const given = new Map(perType(chosen));
      const context = JSON.stringify({ types, budget, given: [...given] });
      // The total: the budget, or every sample of the chosen types.
      assert.equal(chosen.length, Math.min(budget, eligible.reduce((sum, t) => sum + t.sampleIds.length, 0)), context);
      // Each of the most common types gets one at least, no more than its samples, in order.
      assert.deepEqual([...given.keys()], eligible.map((t) => t.objectType), context);
      for (const t of eligible) {
        const n = given.get(t.objectType) ?? 0;
        assert.ok(n >= 1 && n <= t.sampleIds.length, context);
        assert.deepEqual(chosen.filter((c) => c.objectType === t.objectType).map((c) => c.objectId), t.sampleIds.slice(0, n), context);
      }
      // A more common type never gets fewer than a less common one, unless it got all its samples.
      for (let i = 0; i < eligible.length; i++) {
        for (let j = i + 1; j < eligible.length; j++) {
          const [a, b] = [eligible[i]!, eligible[j]!];
          const [na, nb] = [given.get(a.objectType)!, given.get(b.objectType)!];
          assert.ok(na >= nb || na === a.sampleIds.length, context);
        }
      }
    }
  });
});

describe('chooseObjectsForDetails: holders first', () => {
  it("gives the rest of the budget to the program's classes, then objects, then strings and numbers", () => {
    const types = [leaked('number', 181, 30, 100), leaked('Function', 60, 30, 200), leaked('server.js:Connection', 60, 30, 300), leaked('string', 60, 30, 400)];
    const chosen = chooseObjectsForDetails(types, 10);
    assert.deepEqual(perType(chosen), [['server.js:Connection', 7], ['Function', 1], ['number', 1], ['string', 1]]);
    assert.deepEqual(chosen.slice(0, 7).map((c) => c.objectType), Array<string>(7).fill('server.js:Connection'));
  });

  it("counts Node's own classes as objects, not as the program's", () => {
    const chosen = chooseObjectsForDetails([leaked('node:internal/timers:Timeout', 100, 10), leaked('app.js:Job', 5, 10, 100)], 6);
    assert.deepEqual(perType(chosen), [['app.js:Job', 5], ['node:internal/timers:Timeout', 1]]);
  });

  it('passes what the holders have no samples for on to the next rank', () => {
    const chosen = chooseObjectsForDetails([leaked('a.js:A', 50, 2), leaked('Map', 10, 10, 100), leaked('string', 100, 10, 200)], 8);
    assert.deepEqual(perType(chosen), [['a.js:A', 2], ['Map', 5], ['string', 1]]);
  });
});
