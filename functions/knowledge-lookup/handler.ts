import { stepHandler } from '../../shared/runtime/lambda.js';
import { knowledgeLookupStep } from '../../shared/steps/knowledge-lookup.js';

export const handler = await stepHandler(knowledgeLookupStep);
