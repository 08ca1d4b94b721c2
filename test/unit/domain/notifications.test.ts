import { describe, expect, it } from 'vitest';
import type { NotificationRecord } from '../../../shared/domain/incident.js';
import { escalationPublished, commentShown, reachedSomeone } from '../../../shared/domain/notifications.js';

const OUTCOMES: NotificationRecord['outcome'][] = ['created', 'updated', 'unchanged', 'published', 'skipped', 'failed', 'pending'];

describe('who heard of an incident, from its notification records', () => {
  it('a record reached someone when it delivered a message then: an unchanged comment delivered nothing new', () => {
    expect(OUTCOMES.filter((outcome) => reachedSomeone({ outcome }))).toEqual(['created', 'updated', 'published']);
  });

  it('the pull request has the comment when any round posted it, an unchanged one included; skipped, failed or pending is none', () => {
    const has = (outcome: NotificationRecord['outcome']) => commentShown([{ channel: 'github_comment', outcome }]);

    expect(OUTCOMES.filter(has)).toEqual(['created', 'updated', 'unchanged']);
    expect(commentShown([{ channel: 'sns', outcome: 'published' }, { channel: 'github_comment', outcome: 'failed' }])).toBe(false);
    expect(commentShown([{ channel: 'github_comment', outcome: 'pending' }, { channel: 'github_comment', outcome: 'unchanged' }])).toBe(true);
  });

  it('an escalation went out only when SNS published it', () => {
    expect(OUTCOMES.filter((outcome) => escalationPublished({ channel: 'sns', outcome }))).toEqual(['published']);
    expect(escalationPublished({ channel: 'github_comment', outcome: 'created' })).toBe(false);
  });
});
