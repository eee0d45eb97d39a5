#!/usr/bin/env node
// `talk-inspector` (package.json "bin"; `npx talk-inspector check …` in this repository). The
// command is TypeScript (tools/check/) and imports the extension's own diagnosis from src/: tsx
// runs it as it is, so the command always diagnoses with the code of the extension beside it.
import { register } from 'tsx/esm/api';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  process.stderr.write(`talk-inspector: needs Node.js 20.19 or newer (this is ${process.versions.node}).\n`);
  process.exit(2);
}
register();
const { main } = await import('../tools/check/cli.ts');
process.exitCode = await main(process.argv.slice(2));
