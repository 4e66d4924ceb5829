/**
 * Imported before anything else: zod compiles fast parsers with `new Function` unless told not to,
 * and its probe for that is reported as a violation of the page's CSP (no 'unsafe-eval').
 */
import { z } from 'zod';

z.config({ jitless: true });
