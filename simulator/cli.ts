// Runs the simulator until Ctrl-C: `npx tsx simulator/cli.ts [--port N]` (or SIM_PORT=N).
import { PAGES } from './fixtures.ts';
import { startSimulator } from './server.ts';

function parsePort(argv: readonly string[], env: NodeJS.ProcessEnv): number {
  const flag = argv.indexOf('--port');
  const raw = flag >= 0 ? argv[flag + 1] : env.SIM_PORT;
  if (raw === undefined || raw === '') return 0;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`invalid port "${raw}"`);
  }
  return port;
}

const sim = await startSimulator({ port: parsePort(process.argv.slice(2), process.env) });
console.log(`Simulator listening on ${sim.origin}`);
for (const page of PAGES) console.log(`  ${sim.origin}${page.path}  ${page.title}`);

let closing = false;
const stop = (): void => {
  if (closing) return;
  closing = true;
  sim.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
