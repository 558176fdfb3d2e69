import { classifyFailure } from '../../shared/failures/classify-failure.js';
import type { Failure } from '../../shared/failures/failure.js';

/** The classified failure `work` rejects with, as the SQS record runner would see it; fails when it resolves. */
export const failureOf = async (work: Promise<unknown>): Promise<Failure> => {
  try {
    await work;
  } catch (error) {
    return classifyFailure(error);
  }
  throw new Error('expected the work to fail');
};
