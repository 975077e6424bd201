/** Entry point of the bundled action (dist/action/index.js): see main.ts. */
import { runAction } from './main.js';

process.exitCode = await runAction({
  env: process.env,
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
});
