import 'dotenv/config';
import { runCli } from './run.ts';

function write(stream: NodeJS.WriteStream, text: string | undefined): Promise<void> {
  return new Promise((resolve) => (text === undefined ? resolve() : stream.write(`${text}\n`, () => resolve())));
}

// A reader that goes away early (`| head`) must not turn into an unhandled EPIPE.
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});

const outcome = await runCli(process.argv.slice(2));
process.exitCode = outcome.code;
// The write callbacks fire once the OS has the bytes, so a pipe gets the whole output (a bare process.exit()
// after write() cut it at the pipe's 64 KB); exiting then keeps a handle some library left open from
// holding the CLI.
await Promise.all([write(process.stdout, outcome.stdout), write(process.stderr, outcome.stderr)]);
process.exit(outcome.code);
