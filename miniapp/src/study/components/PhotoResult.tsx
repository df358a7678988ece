import { Image, Text, View } from '@tarojs/components';
import type { PhotoCheck } from '@ce/types';

/**
 * A photo's check, said at once: 通过, or each problem in words that say what to do (the server's labels).
 * `title` overrides the headline (e.g. 实名核身通过).
 */
export function PhotoResult({ id, check, previewUrl, title }: { id: string; check: PhotoCheck; previewUrl?: string; title?: string }) {
  return (
    <View className={`photo-result ${check.accepted ? 'photo-result--ok' : 'photo-result--bad'}`} id={id}>
      {previewUrl ? <Image className='photo-result__image' src={previewUrl} mode='aspectFit' /> : null}
      <Text className='photo-result__title' id={`${id}-title`}>
        {title ?? (check.accepted ? '照片通过' : '照片未通过')}
      </Text>
      {check.problems.map((p) => (
        <Text key={p.code} className='photo-result__problem' id={`${id}-problem-${p.code}`}>
          {p.message}
        </Text>
      ))}
    </View>
  );
}
