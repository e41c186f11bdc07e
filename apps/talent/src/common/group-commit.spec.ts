import { GroupCommit } from './group-commit';

describe(GroupCommit.name, () => {
  it('runs what arrives during a run together in the next run, and answers each caller with its own output', async () => {
    const runs: number[][] = [];
    const group = new GroupCommit<number, number>(async (inputs) => {
      runs.push(inputs);
      await new Promise((resolve) => setTimeout(resolve, 10));
      return inputs.map((input) => input * 2);
    });
    const first = group.submit(1);
    const rest = [2, 3, 4].map((n) => group.submit(n));
    await expect(Promise.all([first, ...rest])).resolves.toEqual([2, 4, 6, 8]);
    expect(runs).toEqual([[1], [2, 3, 4]]);
  });

  it('fails every caller of a failed run, and goes on with the next', async () => {
    let calls = 0;
    const group = new GroupCommit<number, number>((inputs) => {
      calls++;
      return calls === 1 ? Promise.reject(new Error('database down')) : Promise.resolve(inputs);
    });
    await expect(group.submit(1)).rejects.toThrow('database down');
    await expect(group.submit(2)).resolves.toBe(2);
  });

  it('caps the size of a run', async () => {
    const sizes: number[] = [];
    const group = new GroupCommit<number, number>(async (inputs) => {
      sizes.push(inputs.length);
      await Promise.resolve();
      return inputs;
    }, 2);
    await Promise.all([1, 2, 3, 4, 5].map((n) => group.submit(n)));
    expect(sizes).toEqual([1, 2, 2]);
  });
});
