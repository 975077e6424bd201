import { main } from './main.js';

/**
 * Runs the CLI on this process's arguments and streams; sets the exit code. `importModule`: how
 * plugins are imported (see Io.importModule).
 */
export function runCli(importModule?: (specifier: string) => Promise<unknown>): Promise<void> {
  return main(process.argv.slice(2), {
    cwd: process.cwd(),
    env: process.env,
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    isTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    ...(importModule ? { importModule } : {}),
  }).then((code) => {
    process.exitCode = code;
  });
}
