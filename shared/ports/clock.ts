/** Port: the current time, injectable so tests can move it. */
export type Clock = () => Date;

/** The system clock. */
export const systemClock: Clock = () => new Date();
