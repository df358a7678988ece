import { Text, View } from '@tarojs/components';

/** A thick bar with its words beside it ("8 / 24 学时"): green once the goal is met. */
export function ProgressBar({ id, percent, label, met }: { id: string; percent: number; label: string; met?: boolean }) {
  const width = Math.max(0, Math.min(100, percent));
  return (
    <View className='progress' id={id}>
      <View className='progress__track'>
        <View className={`progress__fill ${met ? 'progress__fill--met' : ''}`} style={{ width: `${width}%` }} />
      </View>
      <Text className='progress__label'>{label}</Text>
    </View>
  );
}

/** 1.5 → "1.5", 2 → "2": hours as people write them. */
export function hours(n: number): string {
  return String(Math.round(n * 10) / 10);
}

export function percentOf(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 100) : 0;
}

/** 75 → "1分15秒". */
export function minutesSeconds(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}分${s % 60}秒` : `${s}秒`;
}
