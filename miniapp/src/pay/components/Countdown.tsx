import { Text } from '@tarojs/components';
import { useEffect, useState } from 'react';

/** "29 分 05 秒" from milliseconds left (never negative). */
export function leftText(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h ? `${h} 小时 ${mm} 分 ${ss} 秒` : `${mm} 分 ${ss} 秒`;
}

/**
 * A live countdown to an order's expiry, ticking every second. `skewMs` is the server clock minus ours (from the
 * answer that carried the expiry), so a phone whose clock is wrong still counts down truly. `onExpired` is
 * called once when it reaches zero (the page then asks the backend, which decides).
 */
export function Countdown({ id, expiresAt, skewMs = 0, onExpired, prefix = '剩余支付时间' }: { id: string; expiresAt: string; skewMs?: number; onExpired?(): void; prefix?: string }) {
  const end = Date.parse(expiresAt);
  const [now, setNow] = useState(() => Date.now() + skewMs);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now() + skewMs), 1000);
    return () => clearInterval(timer);
  }, [skewMs]);
  const left = end - now;
  useEffect(() => {
    if (left <= 0 && onExpired) onExpired();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [left <= 0]);
  if (Number.isNaN(end)) return null;
  return (
    <Text className={`countdown ${left < 5 * 60_000 ? 'countdown--urgent' : ''}`} id={id}>
      {left > 0 ? `${prefix} ${leftText(left)}` : '已超过支付时限'}
    </Text>
  );
}
