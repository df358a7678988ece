import { View } from '@tarojs/components';
import { useEffect } from 'react';
import type { CameraPermission, LiveCameraProps, Photo, UploadRequest } from './types';
import { CAMERA_BROWSER_REFUSED, CAMERA_FAILED } from './camera-words';

/** The <video> of the camera shown on the current page: takePhoto draws its picture. */
let liveVideo: HTMLVideoElement | undefined;

function stopStream(video: HTMLVideoElement): void {
  const stream = video.srcObject as MediaStream | null;
  stream?.getTracks().forEach((t) => t.stop());
  video.srcObject = null;
}

/** getUserMedia into a <video> placed inside the component's box (Taro's H5 has no <Camera>). */
export function BrowserLiveCamera({ id, onError }: LiveCameraProps) {
  useEffect(() => {
    const box = document.getElementById(id);
    if (!box || typeof navigator.mediaDevices?.getUserMedia !== 'function') {
      onError(CAMERA_FAILED);
      return undefined;
    }
    const video = document.createElement('video');
    video.autoplay = true;
    video.muted = true;
    video.playsInline = true;
    video.className = 'live-camera__video';
    box.appendChild(video);
    liveVideo = video;
    let gone = false;
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'user', width: { ideal: 640 }, height: { ideal: 480 } }, audio: false })
      .then((stream) => {
        if (gone) stream.getTracks().forEach((t) => t.stop());
        else video.srcObject = stream;
      })
      .catch((e: unknown) => {
        if (!gone) onError(e instanceof DOMException && e.name === 'NotAllowedError' ? CAMERA_BROWSER_REFUSED : CAMERA_FAILED);
      });
    return () => {
      gone = true;
      stopStream(video);
      video.remove();
      if (liveVideo === video) liveVideo = undefined;
    };
  }, [id]);
  return <View id={id} className='live-camera' />;
}

export async function browserCameraPermission(): Promise<CameraPermission> {
  return typeof navigator.mediaDevices?.getUserMedia === 'function' ? { granted: true } : { granted: false, message: CAMERA_FAILED, canOpenSettings: false };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The live picture as a JPEG, at the camera's own size (waits briefly for the first frame). */
export async function browserTakePhoto(): Promise<Photo> {
  for (let i = 0; i < 50 && (!liveVideo || liveVideo.readyState < 2 || !liveVideo.videoWidth); i++) await sleep(100);
  const video = liveVideo;
  if (!video || !video.videoWidth) throw new Error(CAMERA_FAILED);
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext('2d')?.drawImage(video, 0, 0);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.9));
  if (!blob) throw new Error(CAMERA_FAILED);
  return { previewUrl: URL.createObjectURL(blob), file: blob };
}

/** The avatar only: the browser's file picker (album or camera, as the phone offers). */
export function browserChooseAvatarImage(): Promise<Photo | undefined> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = 'image/jpeg,image/png';
    input.style.display = 'none';
    input.id = 'avatar-file-input';
    const done = (photo: Photo | undefined) => {
      input.remove();
      resolve(photo);
    };
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      done(file ? { previewUrl: URL.createObjectURL(file), file } : undefined);
    });
    input.addEventListener('cancel', () => done(undefined));
    document.body.appendChild(input);
    input.click();
  });
}

export async function browserUpload({ url, header, fields, photo }: UploadRequest): Promise<{ statusCode: number; data: unknown }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const blob = typeof photo.file === 'string' ? await (await fetch(photo.file)).blob() : photo.file;
  form.append('file', blob, blob.type === 'image/png' ? 'photo.png' : 'photo.jpg');
  const res = await fetch(url, { method: 'POST', headers: header, body: form });
  const text = await res.text();
  try {
    return { statusCode: res.status, data: JSON.parse(text) };
  } catch {
    return { statusCode: res.status, data: text };
  }
}

/** Best effort: not every browser offers a wake lock. */
let wakeLock: { release(): Promise<void> } | undefined;
export function browserKeepScreenOn(on: boolean): void {
  const nav = navigator as Navigator & { wakeLock?: { request(type: 'screen'): Promise<{ release(): Promise<void> }> } };
  if (on && !wakeLock && nav.wakeLock) {
    nav.wakeLock.request('screen').then((lock) => (wakeLock = lock), () => undefined);
  } else if (!on && wakeLock) {
    void wakeLock.release().catch(() => undefined);
    wakeLock = undefined;
  }
}

export function browserOnAppHide(listener: () => void): () => void {
  const onChange = () => {
    if (document.visibilityState === 'hidden') listener();
  };
  document.addEventListener('visibilitychange', onChange);
  return () => document.removeEventListener('visibilitychange', onChange);
}
