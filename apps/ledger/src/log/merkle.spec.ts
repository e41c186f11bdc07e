import { createHash } from 'node:crypto';
import {
  CompactRange,
  EMPTY_ROOT,
  consistencyProof,
  inclusionProof,
  leafHash,
  nodeHash,
  treeRoot,
  verifyConsistency,
  verifyInclusion,
} from './merkle';

const leaves = (n: number) => Array.from({ length: n }, (_, i) => leafHash(`entry ${i}`));
const flip = (hash: Buffer) => Buffer.from(hash.map((byte, i) => (i === 0 ? byte ^ 1 : byte)));
const hex = (hashes: Buffer[]) => hashes.map((h) => h.toString('hex'));

describe('RFC 9162 Merkle tree', () => {
  it('hashes leaves and nodes with the 0x00 and 0x01 prefixes, and the empty tree as SHA-256 of nothing', () => {
    expect(leafHash('')).toEqual(
      createHash('sha256')
        .update(Buffer.from([0]))
        .digest(),
    );
    expect(EMPTY_ROOT.toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    const [a, b, c] = leaves(3);
    expect(treeRoot([a])).toEqual(a);
    expect(treeRoot([a, b])).toEqual(nodeHash(a, b));
    // Three leaves split at 2: the left subtree is the perfect one.
    expect(treeRoot([a, b, c])).toEqual(nodeHash(nodeHash(a, b), c));
  });

  it("matches the Certificate Transparency test vectors (RFC 6962's reference tree of 8 leaves)", () => {
    // Leaves and roots of certificate-transparency-go's merkle tests (testonly/hashers, RFC 6962 inputs).
    const inputs = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
    const hashes = inputs.map((input) => leafHash(Buffer.from(input, 'hex')));
    const roots = [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
      'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
      '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
      '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
      'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
      '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
    ];
    for (let n = 1; n <= 8; n++) expect(treeRoot(hashes, 0, n).toString('hex')).toBe(roots[n - 1]);
  });

  it('proves and verifies the inclusion of every leaf in trees of every size up to 40', () => {
    const all = leaves(40);
    for (let size = 1; size <= 40; size++) {
      const root = treeRoot(all, 0, size);
      for (let index = 0; index < size; index++) {
        const proof = inclusionProof(all, index, size);
        expect(verifyInclusion(all[index], index, size, proof, root)).toBe(true);
        expect(verifyInclusion(all[(index + 1) % size], index, size, proof, root)).toBe(size === 1);
        if (proof.length > 0) {
          expect(verifyInclusion(all[index], index, size, [flip(proof[0]), ...proof.slice(1)], root)).toBe(false);
          expect(verifyInclusion(all[index], index, size, proof.slice(1), root)).toBe(false);
        }
      }
    }
  });

  it('verifies the consistency proof between every pair of sizes up to 20, and refuses tampered ones', () => {
    const all = leaves(20);
    const forked = [...all.slice(0, 7), leafHash('forged'), ...all.slice(8)];
    for (let second = 1; second <= 20; second++) {
      const secondRoot = treeRoot(all, 0, second);
      for (let first = 0; first <= second; first++) {
        const firstRoot = treeRoot(all, 0, first);
        const proof = consistencyProof(all, first, second);
        expect(verifyConsistency(first, second, firstRoot, secondRoot, proof)).toBe(true);
        if (first === 0 || first === second) {
          expect(proof).toEqual([]);
          continue;
        }
        // Every hash matters, and the proof proves nothing about other sizes or roots.
        for (let i = 0; i < proof.length; i++) {
          const tampered = proof.map((hash, j) => (i === j ? flip(hash) : hash));
          expect(verifyConsistency(first, second, firstRoot, secondRoot, tampered)).toBe(false);
        }
        expect(verifyConsistency(first, second, firstRoot, secondRoot, proof.slice(0, -1))).toBe(false);
        expect(verifyConsistency(first, second, firstRoot, secondRoot, [...proof, secondRoot])).toBe(false);
        expect(verifyConsistency(first, second, flip(firstRoot), secondRoot, proof)).toBe(false);
        expect(verifyConsistency(first, second, firstRoot, flip(secondRoot), proof)).toBe(false);
        // A log that rewrote entry 7 cannot prove its new tree extends the old one.
        if (first > 7) {
          const forkedProof = consistencyProof(forked, first, second);
          expect(verifyConsistency(first, second, firstRoot, treeRoot(forked, 0, second), forkedProof)).toBe(false);
        }
      }
    }
  });

  it('gives proofs of the sizes the RFC bounds: inclusion ceil(log2 n) hashes, consistency at most that plus one', () => {
    const all = leaves(64);
    expect(inclusionProof(all, 0, 64)).toHaveLength(6);
    expect(inclusionProof(all, 5, 7)).toHaveLength(3);
    expect(consistencyProof(all, 32, 64)).toHaveLength(1);
    expect(consistencyProof(all, 3, 7).length).toBeLessThanOrEqual(4);
    // RFC 9162's example tree of 7 leaves: the audit path of d0 is [b, h, l] = [leaf 1, node(2,3), node(node(4,5),6)].
    expect(hex(inclusionProof(all, 0, 7))).toEqual(
      hex([all[1], nodeHash(all[2], all[3]), nodeHash(nodeHash(all[4], all[5]), all[6])]),
    );
    // ... and the consistency proof between the trees of 3 and 7 leaves is [c, d, g, l].
    expect(hex(consistencyProof(all, 3, 7))).toEqual(
      hex([all[2], all[3], nodeHash(all[0], all[1]), nodeHash(nodeHash(all[4], all[5]), all[6])]),
    );
  });

  it('keeps the root of a growing tree in a compact range, equal to the full computation at every size', () => {
    const all = leaves(300);
    let range = CompactRange.empty();
    expect(range.root()).toEqual(EMPTY_ROOT);
    for (let n = 1; n <= 300; n++) {
      range.append(all[n - 1]);
      expect(range.root()).toEqual(treeRoot(all, 0, n));
      if (n % 37 === 0) range = CompactRange.of(range.length, range.frontier);
    }
    expect(() => CompactRange.of(3, [all[0]])).toThrow(RangeError);
  });
});
