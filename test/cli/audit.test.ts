import { describe, expect, it } from 'vitest';
import { auditLine } from '../../src/cli/audit.js';

describe('kickbot audit lines', () => {
  it('GIVEN a record whose reason holds ESC, NUL and a newline THEN the line carries escapes, never the raw characters', () => {
    const line = auditLine({
      caseId: 3,
      workspace: 'console:demo',
      action: 'remove',
      actor: 'console:mo',
      target: 'console:bob',
      room: 'console:general',
      reason: 'spam\u001b[2J\u0000\nfake line',
      outcome: 'removed',
      invocation: 'api:k#0',
      at: Date.UTC(2026, 0, 2, 3, 4, 5),
    });
    expect(line).toBe(
      '2026-01-02 03:04:05 console:demo case 3 · mo remove bob @ general: removed · reason: spam\\u{1B}[2J\\u{0}\\u{A}fake line',
    );
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for control characters
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });
});
