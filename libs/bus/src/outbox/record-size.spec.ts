import {
  REQUEST_OVERHEAD_BYTES,
  SEND_HEADERS_RESERVE_BYTES,
  recordBytes,
  requestBytesAlone,
  splitBySize,
} from './record-size';

describe(recordBytes.name, () => {
  it('counts key, value and headers in UTF-8 bytes, with framing', () => {
    const plain = recordBytes('k', 'v', { ce_id: '1' });
    expect(plain).toBeGreaterThanOrEqual(1 + 1 + 5 + 1);
    expect(recordBytes('k', '莱西', { ce_id: '1' })).toBe(plain - 1 + Buffer.byteLength('莱西'));
  });
});

describe(splitBySize.name, () => {
  const limit = REQUEST_OVERHEAD_BYTES + 100;

  it('keeps the order and never lets a run exceed the request budget', () => {
    const sizes = [40, 40, 30, 60, 10, 100, 5];
    const runs = splitBySize(sizes, (size) => size, limit);
    expect(runs).toEqual([[40, 40], [30, 60, 10], [100], [5]]);
    expect(runs.flat()).toEqual(sizes);
    for (const run of runs) expect(run.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(100);
  });

  it('sends a record larger than the budget alone rather than never', () => {
    expect(splitBySize([10, 500, 10], (size) => size, limit)).toEqual([[10], [500], [10]]);
  });

  it('gives nothing for nothing', () => {
    expect(splitBySize([], (size: number) => size, limit)).toEqual([]);
  });
});

describe(requestBytesAlone.name, () => {
  it('counts the request framing and the headers the relay adds at send time', () => {
    expect(requestBytesAlone('k', 'v', {})).toBe(
      REQUEST_OVERHEAD_BYTES + recordBytes('k', 'v', {}) + SEND_HEADERS_RESERVE_BYTES,
    );
  });
});
