import { useDidShow } from '@tarojs/taro';
import type { SessionPrincipal } from '@ce/types';
import { ROUTES, relaunch } from '../api/routes';
import { getPrincipal, getToken } from '../api/session';

/** Every study page belongs to a bound learner: each time it shows it runs `onShow`, or sends others to log in. */
export function useLearnerOnShow(onShow: (learner: SessionPrincipal) => void): void {
  useDidShow(() => {
    const p = getPrincipal();
    if (!getToken() || !p || p.role !== 'learner') {
      relaunch(ROUTES.learnerLogin);
      return;
    }
    onShow(p);
  });
}
