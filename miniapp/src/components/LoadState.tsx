import { Text, View } from '@tarojs/components';
import { BigButton } from './BigButton';
import './ui.css';

/**
 * What stands where a list will be: 正在加载… while nothing has come yet, or the failure with a 重试 button.
 * Renders nothing once data is there and nothing failed.
 */
export function LoadState({ id, loading, error, hasData, onRetry, loadingText = '正在加载…' }: { id: string; loading: boolean; error?: string; hasData: boolean; onRetry(): void; loadingText?: string }) {
  if (error) {
    return (
      <View className='load-failed' id={`${id}-failed`}>
        <Text className='load-failed__text'>{error}</Text>
        <BigButton id={`${id}-retry`} kind='secondary' onClick={onRetry} loading={loading}>
          重试
        </BigButton>
      </View>
    );
  }
  if (loading && !hasData) return <Text className='empty' id={`${id}-loading`}>{loadingText}</Text>;
  return null;
}
