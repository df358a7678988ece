import { Text, View } from '@tarojs/components';
import './ui.css';

export function ErrorBanner({ message, id = 'error-banner', kind = 'error' }: { message?: string; id?: string; kind?: 'error' | 'info' | 'success' | 'warning' }) {
  if (!message) return null;
  return (
    <View className={`banner banner--${kind}`} id={id}>
      <Text className='banner__text'>{message}</Text>
    </View>
  );
}
