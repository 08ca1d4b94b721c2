import { createNotifyDeps } from '../../shared/runtime/deps.js';
import { stepHandler } from '../../shared/runtime/lambda.js';
import { notifyStep } from '../../shared/steps/notify.js';

export const handler = await stepHandler(notifyStep, createNotifyDeps);
