#!/usr/bin/env node
// The `memalot` executable (package.json "bin").
import { main } from './program.js';

// A reader that goes away (`memalot list | head -1`) ends the output, not with a stack trace;
// any other failure to write says so in one line.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  process.stderr.write(`memalot: cannot write the output: ${error.message}\n`);
  process.exit(1);
});

process.exitCode = await main(process.argv.slice(2));
