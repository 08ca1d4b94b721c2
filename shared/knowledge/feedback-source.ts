/**
 * Where a vote came from: a `/guard feedback` command (its comment written at `writtenAt`, as the signed delivery
 * says; absent, when it arrived), or a 👍/👎 on the guard's comment (made at `reactedAt`).
 */
export type FeedbackSource = { via: 'command'; writtenAt?: string | null } | { via: 'reaction'; commentId: number; reactedAt: string };

/**
 * The comment stored with a vote read from a reaction, which also tells such votes apart among those stored before
 * their source was kept.
 */
export const REACTION_FEEDBACK_COMMENT = '(reaction on the Pipeline Guard comment)';
