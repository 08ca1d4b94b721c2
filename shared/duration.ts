/**
 * A duration as people read it in a comment, an e-mail or a report: seconds, minutes, hours, and days from two days
 * on (a recovery measured in weeks read "after 66104.6 h"). Null or not finite: "an unknown time".
 */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return 'an unknown time';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}
