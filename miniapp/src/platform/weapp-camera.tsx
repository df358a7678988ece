import { Camera } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { CameraPermission, LiveCameraProps, Photo } from './types';
import { CAMERA_FAILED, CAMERA_REFUSED } from './camera-words';

/** WeChat's live camera: `<Camera>` (front, no flash); the page shows it outside any scroll-view. */
export function WeappLiveCamera({ id, onError }: LiveCameraProps) {
  return <Camera id={id} className='live-camera' devicePosition='front' flash='off' onError={() => onError(CAMERA_FAILED)} />;
}

/** `scope.camera`: asked once by WeChat; after a refusal only the settings page can allow it again. */
export async function weappCameraPermission(): Promise<CameraPermission> {
  const setting = await Taro.getSetting().catch(() => undefined);
  if (setting?.authSetting['scope.camera'] === false) return { granted: false, message: CAMERA_REFUSED, canOpenSettings: true };
  try {
    await Taro.authorize({ scope: 'scope.camera' });
    return { granted: true };
  } catch {
    return { granted: false, message: CAMERA_REFUSED, canOpenSettings: true };
  }
}

export async function weappOpenCameraSettings(): Promise<boolean> {
  const res = await Taro.openSetting().catch(() => undefined);
  return res?.authSetting['scope.camera'] === true;
}

export async function weappTakePhoto(): Promise<Photo> {
  const res = await new Promise<Taro.CameraContext.TakePhotoSuccessCallbackResult>((resolve, reject) => {
    Taro.createCameraContext().takePhoto({ quality: 'high', success: resolve, fail: reject });
  }).catch(() => {
    throw new Error(CAMERA_FAILED);
  });
  return { previewUrl: res.tempImagePath, file: res.tempImagePath };
}

export async function weappChooseAvatarImage(): Promise<Photo | undefined> {
  try {
    const res = await Taro.chooseMedia({ count: 1, mediaType: ['image'], sourceType: ['album', 'camera'], camera: 'front', sizeType: ['compressed'] });
    const path = res.tempFiles[0]?.tempFilePath;
    return path ? { previewUrl: path, file: path } : undefined;
  } catch {
    return undefined; // cancelled
  }
}
