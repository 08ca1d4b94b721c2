import { createAnalyzeDeps } from '../../shared/runtime/deps.js';
import { stepHandler } from '../../shared/runtime/lambda.js';
import { analyzeStep } from '../../shared/steps/analyze.js';

export const handler = await stepHandler(analyzeStep, createAnalyzeDeps);
