/**
 * Packages one folder with our deterministic packager and exits: the process the packaging
 * benchmark profiles (`node --cpu-prof --import tsx bench/lib/package-driver.ts <folder> <zip>`).
 */
import { packageDirectory } from '../../src/tools/github/package-zip.js';

const [root, zipPath] = process.argv.slice(2);
if (!root || !zipPath) throw new Error('usage: package-driver.ts <folder> <zip>');
await packageDirectory(root, zipPath, { mode: 'all', signal: new AbortController().signal });
