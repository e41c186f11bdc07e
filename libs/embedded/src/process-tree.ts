import { readFileSync, readdirSync } from 'node:fs';

/** Every process below `pid` (children, grandchildren, …), read from /proc (Linux). */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name, in parentheses, may hold spaces: the fields after it start at its closing one.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  const walk = (parent: number) =>
    (children.get(parent) ?? []).forEach((child) => {
      found.push(child);
      walk(child);
    });
  walk(pid);
  return found;
}

/** Resident memory of a process and everything below it, in MiB (0 for processes gone meanwhile). */
export function treeRssMib(pid: number): number {
  let kib = 0;
  for (const member of [pid, ...descendants(pid)]) {
    try {
      const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${member}/status`, 'utf8'));
      kib += match ? Number(match[1]) : 0;
    } catch {
      // gone meanwhile
    }
  }
  return kib / 1024;
}
