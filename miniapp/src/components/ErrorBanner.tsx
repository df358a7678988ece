import { Text, View } from '@tarojs/components';
import { useEffect } from 'react';
import { platform } from '../platform';
import './ui.css';

/**
 * A message in a coloured box. `reveal`: scroll it onto the screen when it appears or changes (a form's
 * answer, shown by its button, can otherwise land below the fold).
 */
export function ErrorBanner({ message, id = 'error-banner', kind = 'error', reveal }: { message?: string; id?: string; kind?: 'error' | 'info' | 'success' | 'warning'; reveal?: boolean }) {
  useEffect(() => {
    if (reveal && message) platform.reveal(`#${id}`);
  }, [reveal, message, id]);
  if (!message) return null;
  return (
    <View className={`banner banner--${kind}`} id={id}>
      <Text className='banner__text'>{message}</Text>
    </View>
  );
}
