// CPU time a process has used (user + system, all its threads), from Linux's /proc: the work a
// process did itself, apart from the time it waited for a core on a loaded machine.
import * as fs from 'fs';

/** Linux reports CPU time in clock ticks of 1/100 s (USER_HZ). */
const TICK_MS = 10;

/** Fields of /proc/PID/stat after the command name (which may hold spaces): state first. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Milliseconds of CPU the process has used so far (10 ms resolution), or undefined off Linux. */
export function processCpuMs(pid: number): number | undefined {
  const fields = statFields(pid);
  return fields ? (Number(fields[11]) + Number(fields[12])) * TICK_MS : undefined;
}

/** The child of `parent` whose command line contains `needle`, if any (Linux only). */
export function childProcess(parent: number, needle: string): number | undefined {
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  return pids.map(Number).find((pid) => {
    if (Number(statFields(pid)?.[1]) !== parent) return false;
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle);
    } catch {
      return false;
    }
  });
}
