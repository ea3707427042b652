/**
 * Process entry of `npm run sim` (see main.ts and `npm run sim -- --help`).
 * stdout carries only the output; everything for people goes to stderr. The exit code is set, never
 * thrown: the tfjs wasm module installs process handlers that rethrow, so this entry catches first.
 */
import { main } from './main';

function fatal(e: unknown): void {
  process.stderr.write(`sim: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
// Registered before the wasm backend starts, so these run before its rethrowing handlers.
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);
// A reader that stops early (`| head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' ? process.exit(process.exitCode ?? 0) : fatal(e)));
// Libraries that log would corrupt the machine-readable stdout.
console.log = console.info = console.debug = (...args: unknown[]) => console.error(...args);
// tfjs's cpu backend advises installing tfjs-node (native binaries), which this project does not use.
const warn = console.warn;
console.warn = (...args: unknown[]) => {
  if (!String(args[0]).includes('install our node backend')) warn(...args);
};

main(process.argv.slice(2), {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
}).then((code) => {
  process.exitCode = code;
  // Exit even if a backend left a handle open; normally the process has ended before this fires.
  setTimeout(() => process.exit(code), 2000).unref();
}, fatal);
