import { Text, View } from '@tarojs/components';
import { BigButton } from '../../components/BigButton';
import { yuan } from '../../utils/format';

export interface EnrollResult {
  kind: 'success' | 'refused' | 'failed';
  text: string;
  /** Nothing reached the server (or it failed): the same 报名 can simply be sent again. */
  retryable?: boolean;
  /** After a success: the enrollments just made, which 去缴费 puts in one order. */
  enrollmentIds?: string[];
  /** Their total, in fen. */
  totalFen?: number;
}

/** The words for a refused batch: everyone refused, or some (and then the others were not enrolled either). */
export function refusedText(chosen: number, refusedNames: string[], stillTicked: number): string {
  const refused = refusedNames.length;
  if (chosen === 1 && refused === 1) return `报名未提交：${refusedNames[0]} 不符合报名条件，原因已用红框标在名单中。`;
  if (refused >= chosen) return `报名未提交：所选 ${chosen} 人都不符合报名条件，原因已用红框标在名单中。`;
  const rest = chosen - refused;
  const next = stillTicked > 0 ? `已取消勾选这 ${refused} 人；其余 ${stillTicked} 人仍勾选着，再点“报名”即可。` : `已取消勾选这 ${refused} 人。`;
  return `报名未提交：所选 ${chosen} 人中有 ${refused} 人不符合报名条件（红框标出），其余 ${rest} 人也没有报名。${next}`;
}

export interface EnrollBarProps {
  count: number;
  feeFen?: number;
  submitting: boolean;
  result?: EnrollResult;
  onEnroll(): void;
  onDismiss(): void;
  onPay(enrollmentIds: string[]): void;
}

/**
 * Fixed at the bottom of the screen, where the thumb that tapped 报名 is: the selection, the total, the button,
 * and the answer to the last 报名 right above the button, so it is always in view.
 */
export function EnrollBar({ count, feeFen, submitting, result, onEnroll, onDismiss, onPay }: EnrollBarProps) {
  return (
    <View className='enroll-bar' id='enroll-bar'>
      {result ? (
        <View className={`enroll-result enroll-result--${result.kind}`} id='enroll-result'>
          <View className='enroll-result__row'>
            <Text className='enroll-result__text' id='enroll-result-text'>
              {result.text}
            </Text>
            <View className='enroll-result__close' id='enroll-result-close' onClick={onDismiss} aria-label='关闭'>
              <Text>✕</Text>
            </View>
          </View>
          {result.kind === 'success' && result.enrollmentIds?.length ? (
            <View className='small-button small-button--primary enroll-result__retry' id='enroll-pay' onClick={() => onPay(result.enrollmentIds!)}>
              <Text>{result.totalFen !== undefined ? `去缴费（${yuan(result.totalFen)}）` : '去缴费'}</Text>
            </View>
          ) : null}
          {result.retryable ? (
            <View className='small-button small-button--primary enroll-result__retry' id='enroll-retry' onClick={onEnroll}>
              <Text>重试</Text>
            </View>
          ) : null}
        </View>
      ) : null}
      <View className='enroll-bar__row'>
        <Text className='enroll-bar__total' id='enroll-total'>
          {count && feeFen !== undefined ? `已选 ${count} 人，合计 ${yuan(feeFen * count)}` : '请勾选要报名的员工'}
        </Text>
        <BigButton id='enroll-submit' className='enroll-bar__button' onClick={onEnroll} loading={submitting} disabled={count === 0}>
          {count ? `报名 ${count} 人` : '报名'}
        </BigButton>
      </View>
    </View>
  );
}
