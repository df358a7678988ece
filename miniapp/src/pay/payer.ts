import { useDidShow } from '@tarojs/taro';
import type { SessionPrincipal } from '@ce/types';
import { loginPageFor, relaunch } from '../api/routes';
import { getPrincipal, getToken } from '../api/session';

/**
 * Every payment page belongs to a payer (an enterprise, or a learner paying alone): each time it shows, it
 * runs `onShow` with the payer, or sends anyone else to their login page.
 */
export function usePayerOnShow(onShow: (payer: SessionPrincipal) => void): void {
  useDidShow(() => {
    const p = getPrincipal();
    if (!getToken() || !p || (p.role !== 'enterprise' && p.role !== 'learner')) {
      relaunch(loginPageFor(p?.role));
      return;
    }
    onShow(p);
  });
}
