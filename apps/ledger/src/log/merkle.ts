import { createHash } from 'node:crypto';

/**
 * The Merkle tree of RFC 9162 (Certificate Transparency 2.0), section 2.1: leaf hash SHA-256(0x00 ‖ entry), node
 * hash SHA-256(0x01 ‖ left ‖ right), the split of n leaves at the largest power of two below n, inclusion and
 * consistency proofs, and their verification exactly as the RFC's algorithms state it.
 */
export function leafHash(entry: Buffer | string): Buffer {
  return createHash('sha256')
    .update(Buffer.from([0]))
    .update(entry)
    .digest();
}

export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256')
    .update(Buffer.from([1]))
    .update(left)
    .update(right)
    .digest();
}

/** SHA-256 of the empty string: the root of the empty tree. */
export const EMPTY_ROOT = createHash('sha256').digest();

/** The largest power of two smaller than n (n > 1). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[start:end]) over leaf hashes. */
export function treeRoot(leaves: readonly Buffer[], start = 0, end = leaves.length): Buffer {
  const n = end - start;
  if (n === 0) return EMPTY_ROOT;
  if (n === 1) return leaves[start];
  const k = split(n);
  return nodeHash(treeRoot(leaves, start, start + k), treeRoot(leaves, start + k, end));
}

/** PATH(index, D[0:size]): the audit path of the leaf at `index` in the tree of the first `size` leaves. */
export function inclusionProof(leaves: readonly Buffer[], index: number, size = leaves.length): Buffer[] {
  if (!(index >= 0 && index < size && size <= leaves.length))
    throw new RangeError(`no leaf ${index} in a tree of ${size}`);
  const path = (m: number, start: number, end: number): Buffer[] => {
    const n = end - start;
    if (n === 1) return [];
    const k = split(n);
    return m < k
      ? [...path(m, start, start + k), treeRoot(leaves, start + k, end)]
      : [...path(m - k, start + k, end), treeRoot(leaves, start, start + k)];
  };
  return path(index, 0, size);
}

/** PROOF(first, D[0:second]): that the tree of `first` leaves is a prefix of the tree of `second` leaves. */
export function consistencyProof(leaves: readonly Buffer[], first: number, second = leaves.length): Buffer[] {
  if (!(first >= 0 && first <= second && second <= leaves.length)) {
    throw new RangeError(`no consistency proof from ${first} to ${second} (of ${leaves.length} leaves)`);
  }
  if (first === 0 || first === second) return [];
  const subproof = (m: number, start: number, end: number, complete: boolean): Buffer[] => {
    const n = end - start;
    if (m === n) return complete ? [] : [treeRoot(leaves, start, end)];
    const k = split(n);
    return m <= k
      ? [...subproof(m, start, start + k, complete), treeRoot(leaves, start + k, end)]
      : [...subproof(m - k, start + k, end, false), treeRoot(leaves, start, start + k)];
  };
  return subproof(first, 0, second, true);
}

const lsb = (n: number) => n % 2 === 1;

/** RFC 9162 section 2.1.3.2. */
export function verifyInclusion(
  leaf: Buffer,
  index: number,
  size: number,
  path: readonly Buffer[],
  root: Buffer,
): boolean {
  if (!(index >= 0 && index < size)) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return false;
    if (lsb(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 section 2.1.4.2; a tree is consistent with itself (empty proof, same root) and the empty tree with any. */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Buffer,
  secondRoot: Buffer,
  proof: readonly Buffer[],
): boolean {
  if (!(first >= 0 && first <= second)) return false;
  if (first === 0) return proof.length === 0;
  if (first === second) return proof.length === 0 && firstRoot.equals(secondRoot);
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (lsb(fn)) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (lsb(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return fr.equals(firstRoot) && sr.equals(secondRoot) && sn === 0;
}

function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}

/**
 * The right edge of a growing tree (the roots of its perfect subtrees, largest first): appending a leaf and
 * taking the root cost O(log n), so a log signs its root after every entry without rereading it.
 */
export class CompactRange {
  private constructor(
    private size: number,
    private readonly hashes: Buffer[],
  ) {}

  static empty(): CompactRange {
    return new CompactRange(0, []);
  }

  static of(size: number, hashes: readonly Buffer[]): CompactRange {
    if (hashes.length !== popcount(size))
      throw new RangeError(`a range of ${size} leaves has ${popcount(size)} hashes`);
    return new CompactRange(size, [...hashes]);
  }

  get length(): number {
    return this.size;
  }

  get frontier(): readonly Buffer[] {
    return this.hashes;
  }

  append(leaf: Buffer): void {
    let hash = leaf;
    // Merge while the new leaf completes a perfect subtree: one merge per trailing 1 bit of the old size.
    for (let s = this.size; s % 2 === 1; s = Math.floor(s / 2)) hash = nodeHash(this.hashes.pop()!, hash);
    this.hashes.push(hash);
    this.size += 1;
  }

  root(): Buffer {
    if (this.hashes.length === 0) return EMPTY_ROOT;
    let root = this.hashes[this.hashes.length - 1];
    for (let i = this.hashes.length - 2; i >= 0; i--) root = nodeHash(this.hashes[i], root);
    return root;
  }
}

function popcount(n: number): number {
  let count = 0;
  for (let v = n; v > 0; v = Math.floor(v / 2)) count += v % 2;
  return count;
}
