import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeStoreConformance } from '../../src/store/conformance/store-conformance.js';
import { openPGliteStore } from '../../src/store/pglite/open-pglite-store.js';

describeStoreConformance('pglite', {
  open: () =>
    openPGliteStore({ directory: mkdtempSync(join(tmpdir(), 'store-pglite-')), vectorDimensions: 8 }),
});
