#!/usr/bin/env node
/**
 * The command line's entry, and the one file that touches the process: it hands the commands its
 * environment, output, input and signals, and ends the process with their exit status.
 */
import type { CliIo } from './cli/io.js';
import { runCli } from './cli/run.js';

/** Set when `serve` started listening for shutdown signals. */
let isServing = false;

const io: CliIo = {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  async readStdin() {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin as AsyncIterable<Buffer>) chunks.push(chunk);
    return Buffer.concat(chunks).toString('utf8');
  },
  onShutdownSignal(handler) {
    isServing = true;
    process.on('SIGTERM', () => handler('SIGTERM'));
    process.on('SIGINT', () => handler('SIGINT'));
  },
};

void runCli(process.argv.slice(2), io).then((code) => {
  process.exitCode = code;
  // After a failure, or once a server stopped, what is still open (a pool after a failed start,
  // idle connections) must not keep the process alive. Otherwise it ends when its output is out.
  if (code !== 0 || isServing) process.exit();
});
