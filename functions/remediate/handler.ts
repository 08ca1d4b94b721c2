import { createRemediateDeps } from '../../shared/runtime/deps.js';
import { stepHandler } from '../../shared/runtime/lambda.js';
import { remediateStep } from '../../shared/steps/remediate.js';

export const handler = await stepHandler(remediateStep, createRemediateDeps);
