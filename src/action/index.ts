/** Entry point of the bundled action (dist/action/index.js): see main.ts. */
import { runAction } from './main.js';

// The bundle is one file: the parser's worker thread (dist/src/parse/worker.js) is not in it, so
// large inputs are parsed on the main thread.
process.env.SCRAPELINT_WORKERS ??= '0';

process.exitCode = await runAction({
  env: process.env,
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
});
