/**
 * V8 flags for the API process, set before any other module is evaluated (main.ts imports this
 * first).
 *
 * --liftoff-only: Prisma 7's query compiler is a 3.4 MB WebAssembly module. By default V8 also
 * compiles it with its optimising tier (TurboFan) on background threads at start-up; that
 * compilation's working memory stays resident in a malloc arena after it is freed (measured:
 * ~38 MB of one thread arena, API RSS at rest 221 MB with it, 173 MB without). The API serves
 * every Prisma query from the client's cache of compiled query plans, so the optimised code buys
 * nothing measurable: 2,000 iterations of a findUnique + findMany took 1.14–1.20 ms each either
 * way (1.11–1.18 with Liftoff only), and the first 20 took 2.7 ms instead of 5.8–6.0 ms because
 * nothing competes with background compilation. The ingest benchmark's peak-RSS target (300 MB,
 * start-up included) is what made this matter.
 */
import v8 from 'node:v8';

v8.setFlagsFromString('--liftoff-only');
