import { stepHandler } from '../../shared/runtime/lambda.js';
import { notifyStep } from '../../shared/steps/notify.js';

export const handler = await stepHandler(notifyStep, { publishesEscalations: true });
