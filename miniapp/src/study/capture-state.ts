/**
 * The capture page tells the player, which stays open under it, that a study photo was accepted (pages of one
 * subpackage share this module). Kept in memory only: a photo's acceptance is the server's record anyway.
 */
const accepted = new Set<string>();

export function markCaptureAccepted(captureId: string): void {
  accepted.add(captureId);
}

export function takeCaptureAccepted(captureId: string): boolean {
  return accepted.delete(captureId);
}
