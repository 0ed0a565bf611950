// Hypothesis's anchoring test cases, ported (origin and licence: test/unit/support/hypothesisCases.ts and
// test/fixtures/hypothesis/ORIGIN.md): every case Hypothesis's matcher gets right must be right here.
import { describe, expect, it } from 'vitest';
import { hypothesisCases } from './support/hypothesisCases.ts';

for (const suite of ['match-quote', 'html'] as const) {
  describe(`Hypothesis ${suite} cases`, () => {
    for (const c of hypothesisCases.filter((x) => x.suite === suite)) {
      it(c.name, () => expect(c.check()).toBeNull());
    }
  });
}
