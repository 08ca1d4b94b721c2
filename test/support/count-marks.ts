/**
 * The count marks a stored counter item carries, whatever their hour's set (`countMarks#<hour>`, see
 * shared/stores/count-marks.ts): what the tests and the crash points read to say that no mark was left behind.
 */
export function countMarksOn(item: Record<string, unknown>): string[] {
  return Object.entries(item)
    .filter(([name]) => name.startsWith('countMarks#'))
    .flatMap(([, set]) => [...(set as Set<string>)]);
}
