import { canonicalJson } from './canonical-json';

describe(canonicalJson.name, () => {
  it('sorts keys, drops undefined members and spaces, so equal entries give equal bytes', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x'], c: undefined }, é: true, Z: null })).toBe(
      '{"Z":null,"a":{"d":[1,"x"]},"b":1,"é":true}',
    );
    expect(canonicalJson({ kind: 'k', at: 't' })).toBe(canonicalJson({ at: 't', kind: 'k' }));
  });

  it('refuses what an entry must not hold: fractions, unsafe integers, functions', () => {
    expect(() => canonicalJson({ amount: 1.5 })).toThrow(RangeError);
    expect(() => canonicalJson({ amount: 2 ** 60 })).toThrow(RangeError);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(TypeError);
  });
});
