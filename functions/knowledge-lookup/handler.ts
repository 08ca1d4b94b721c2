import { createKnowledgeLookupDeps } from '../../shared/runtime/deps.js';
import { stepHandler } from '../../shared/runtime/lambda.js';
import { knowledgeLookupStep } from '../../shared/steps/knowledge-lookup.js';

export const handler = await stepHandler(knowledgeLookupStep, createKnowledgeLookupDeps);
