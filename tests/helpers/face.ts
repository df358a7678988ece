import type { ApiResponse, TestBackend } from './backend';
import { facePhotos } from './face-photos';
import { learnerBinds, NEW_PASSWORD } from './journeys';

/** Sends a photo as the mini-program does (multipart/form-data, the file in `file`, text fields beside it). */
export async function sendPhoto(api: TestBackend, method: 'PUT' | 'POST', path: string, token: string, photo: Buffer, fields: Record<string, string> = {}): Promise<ApiResponse> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), 'photo.jpg');
  return api.call(method, path, { token, form });
}

/** The learner accepts the consent text policy asks for (read first, as the consent page does). */
export async function giveFaceConsent(api: TestBackend, token: string): Promise<void> {
  const consent = await api.call('GET', '/api/learner/face/consent', { token });
  const given = await api.call('PUT', '/api/learner/face/consent', { token, body: { textVersion: consent.body.textVersion } });
  if (given.status !== 200) throw new Error(`consent failed: ${JSON.stringify(given.body)}`);
}

/**
 * Takes a bound learner (password already changed) through consent, the avatar (Grace Hopper's portrait) and a
 * passed face check (her portrait again, changed), so study is open; returns the face status.
 */
export async function learnerReadyForStudy(api: TestBackend, token: string): Promise<ApiResponse> {
  const photos = await facePhotos();
  await giveFaceConsent(api, token);
  const avatar = await sendPhoto(api, 'PUT', '/api/learner/face/avatar', token, photos.hopper);
  if (avatar.status !== 200 || !avatar.body.check.accepted) throw new Error(`avatar refused: ${JSON.stringify(avatar.body)}`);
  const check = await sendPhoto(api, 'POST', '/api/learner/face/verifications', token, photos.hopperAgain);
  if (check.status !== 200 || !check.body.passed) throw new Error(`face check failed: ${JSON.stringify(check.body)}`);
  return api.call('GET', '/api/learner/face', { token });
}

/** A learner bound with the initial password and past the forced change (PROVISIONAL): their token. */
export async function boundLearner(api: TestBackend, deviceId: string, idNumber: string): Promise<string> {
  const bound = await learnerBinds(api, deviceId, idNumber, '12345678');
  if (bound.status !== 200) throw new Error(`bind failed: ${JSON.stringify(bound.body)}`);
  const changed = await api.call('POST', '/api/auth/password', { token: bound.body.token, body: { currentPassword: '12345678', newPassword: NEW_PASSWORD } });
  if (changed.status !== 200) throw new Error(`password change failed: ${JSON.stringify(changed.body)}`);
  return bound.body.token;
}

/** Puts a person's "national record" photo into the run's Tencent Cloud simulator (as its dev endpoint does). */
export async function registerNationalPhoto(person: { idNumber: string; name: string }, photo: Buffer): Promise<void> {
  const res = await fetch(`${process.env.TEST_TENCENTCLOUD_URL}/sim/references`, {
    method: 'POST',
    body: JSON.stringify({ idNumber: person.idNumber, name: person.name, photoBase64: photo.toString('base64') }),
  });
  if (res.status !== 200) throw new Error(`reference photo refused: ${await res.text()}`);
}
