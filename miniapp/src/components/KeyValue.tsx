import { Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';

/**
 * One labelled line of a card: 证书编号 · 鲁建安C(2022)0007002. A `code` value (certificate number, credit
 * code) is never broken inside: when it does not fit beside its label it moves under it.
 */
export function KeyValue({ label, children, valueClass, code }: { label: string; children: ReactNode; valueClass?: string; code?: boolean }) {
  const classes = ['kv__v', code ? 'kv__v--code' : '', valueClass ?? ''].filter(Boolean).join(' ');
  return (
    <View className='kv'>
      <Text className='kv__k'>{label}</Text>
      <Text className={classes}>{children}</Text>
    </View>
  );
}
