import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { ITouchEvent } from '@tarojs/components';
import { platform } from '../../platform';
import { chinaDateTime } from '../../utils/format';
import type { ActivationCodeResponse } from '@ce/types';

export interface ActivationState {
  code?: ActivationCodeResponse;
  issuing?: boolean;
  error?: string;
}

/** "ABCDE FGHJK": two groups of five are easier to read aloud and type (spaces are ignored when binding). */
export function groupCode(code: string): string {
  return code.replace(/(.{5})(?=.)/g, '$1 ');
}

/** Taps inside a card must not tick or untick the employee. */
function only(action: () => void) {
  return (e: ITouchEvent) => {
    e.stopPropagation();
    action();
  };
}

async function copy(code: string): Promise<void> {
  try {
    await Taro.setClipboardData({ data: code });
    platform.toast('激活码已复制', 'success');
  } catch {
    platform.toast('没能复制，请长按激活码复制，或照着抄下', 'error');
  }
}

/**
 * 生成激活码 for the holder, and the code itself, shown once: large, selectable, with whom it is for and
 * until when it works. Closing it forgets it; a new one can be generated.
 */
export function ActivationCodePanel({ certificateId, state, verified, onIssue, onClose }: { certificateId: string; state?: ActivationState; verified: boolean; onIssue(): void; onClose(): void }) {
  const code = state?.code;
  if (!code) {
    return (
      <View className='activation'>
        {state?.error ? (
          <Text className='field__error' id={`activation-error-${certificateId}`}>
            {state.error}
          </Text>
        ) : null}
        <View className={`small-button ${state?.issuing ? 'small-button--busy' : ''}`} id={`issue-code-${certificateId}`} onClick={only(() => !state?.issuing && onIssue())}>
          <Text>{state?.issuing ? '正在生成…' : verified ? '重新生成激活码' : '生成激活码'}</Text>
        </View>
      </View>
    );
  }
  return (
    <View className='activation activation--shown' id={`activation-${certificateId}`} onClick={only(() => undefined)}>
      <Text className='activation__title'>激活码（只显示这一次）</Text>
      <Text className='activation__code' id={`activation-code-${certificateId}`} selectable userSelect>
        {groupCode(code.code)}
      </Text>
      <Text className='activation__line'>
        给：{code.holderName}（{code.idNumberMasked}）
      </Text>
      <Text className='activation__line'>有效期至：{chinaDateTime(code.expiresAt)}</Text>
      <Text className='activation__note'>请当面交给本人或电话告知，不要发到群里。本人在“学员登录”选“企业给的激活码”，填姓名、身份证号和激活码，即可完成核验。</Text>
      <View className='activation__actions'>
        <View className='small-button small-button--primary' id={`copy-code-${certificateId}`} onClick={only(() => void copy(code.code))}>
          <Text>复制激活码</Text>
        </View>
        <View className='small-button' id={`close-code-${certificateId}`} onClick={only(onClose)}>
          <Text>已记下，关闭</Text>
        </View>
      </View>
    </View>
  );
}
