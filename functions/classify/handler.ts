import { createClassifyDeps } from '../../shared/runtime/deps.js';
import { stepHandler } from '../../shared/runtime/lambda.js';
import { classifyStep } from '../../shared/steps/classify.js';

export const handler = await stepHandler(classifyStep, createClassifyDeps);
