import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The pipeline definition; resolved from the module so synth and tests work from any directory. A module of its own,
 * apart from the stack's: the tests that run the definition in the interpreter read it without loading aws-cdk-lib,
 * which was ~0.5 s of CPU of each of their test processes.
 */
export const ASL_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', 'statemachines', 'incident-pipeline.asl.json');
