import { Image, Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { BigButton } from '../../components/BigButton';
import { ErrorBanner } from '../../components/ErrorBanner';
import { ApiError, messageOf } from '../../api/client';
import { platform, type Photo } from '../../platform';

type Step = { kind: 'asking' } | { kind: 'refused'; message: string; canOpenSettings: boolean } | { kind: 'live'; error?: string } | { kind: 'sending'; photo: Photo };

/**
 * The live camera (never the album) with one big 拍照 button. The photo is handed to `onShot`, which uploads it
 * and shows its own result; while it runs, the photo is shown with 正在核验…. When `onShot` resolves false the
 * camera comes back for a retake; when it throws, its message is shown above the camera, which stays open.
 */
export function CameraShot({ id, hint, onShot, shotLabel = '拍照' }: { id: string; hint: string; shotLabel?: string; onShot(photo: Photo): Promise<'done' | 'retake'> }) {
  const [step, setStep] = useState<Step>({ kind: 'asking' });

  async function ask() {
    setStep({ kind: 'asking' });
    const permission = await platform.cameraPermission();
    setStep(permission.granted ? { kind: 'live' } : { kind: 'refused', message: permission.message, canOpenSettings: permission.canOpenSettings });
  }

  useEffect(() => {
    void ask();
  }, []);

  async function shoot() {
    let photo: Photo;
    try {
      photo = await platform.takePhoto();
    } catch (e) {
      setStep({ kind: 'live', error: messageOf(e) });
      return;
    }
    setStep({ kind: 'sending', photo });
    try {
      if ((await onShot(photo)) === 'retake') setStep({ kind: 'live' });
    } catch (e) {
      const lost = e instanceof ApiError && e.code === 'NETWORK_ERROR';
      setStep({ kind: 'live', error: lost ? `照片没有送达：${messageOf(e)}。请再拍一次。` : messageOf(e) });
    }
  }

  async function openSettings() {
    if (await platform.openCameraSettings()) setStep({ kind: 'live' });
  }

  if (step.kind === 'asking') return <Text className='muted'>正在打开相机…</Text>;
  if (step.kind === 'refused') {
    return (
      <View id={`${id}-refused`}>
        <ErrorBanner id={`${id}-refused-message`} message={step.message} />
        {step.canOpenSettings ? (
          <BigButton id={`${id}-settings`} onClick={() => void openSettings()}>
            去设置打开相机
          </BigButton>
        ) : null}
        <BigButton id={`${id}-ask-again`} kind='secondary' onClick={() => void ask()}>
          再试一次
        </BigButton>
      </View>
    );
  }
  if (step.kind === 'sending') {
    return (
      <View className='camera-shot' id={`${id}-sending`}>
        <Image className='camera-shot__preview' src={step.photo.previewUrl} mode='aspectFit' />
        <Text className='camera-shot__wait'>正在核验照片，请稍候…</Text>
      </View>
    );
  }
  return (
    <View className='camera-shot' id={id}>
      <ErrorBanner id={`${id}-error`} message={step.error} />
      <Text className='camera-shot__hint'>{hint}</Text>
      <platform.LiveCamera id={`${id}-live`} onError={(message) => setStep({ kind: 'refused', message, canOpenSettings: false })} />
      <BigButton id={`${id}-take`} onClick={() => void shoot()}>
        {shotLabel}
      </BigButton>
    </View>
  );
}
