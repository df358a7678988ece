import { Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';

/** One labelled line of a card: 证书编号 · 鲁建安C(2022)0007002. */
export function KeyValue({ label, children, valueClass }: { label: string; children: ReactNode; valueClass?: string }) {
  return (
    <View className='kv'>
      <Text className='kv__k'>{label}</Text>
      <Text className={valueClass ? `kv__v ${valueClass}` : 'kv__v'}>{children}</Text>
    </View>
  );
}
