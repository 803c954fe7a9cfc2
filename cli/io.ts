/** Output sinks for CLI commands, so tests can capture what a command prints. */
export interface CommandIO {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const defaultIO: CommandIO = {
  stdout: (t) => { process.stdout.write(t); },
  stderr: (t) => { process.stderr.write(t); },
};

/** Captures output in memory (tests). */
export function memoryIO(): CommandIO & { out: string; err: string } {
  const io = { out: '', err: '', stdout(t: string) { io.out += t; }, stderr(t: string) { io.err += t; } };
  return io;
}
