import { Text, View } from '@tarojs/components';
import type { FaceStatus, SessionPrincipal } from '@ce/types';
import { chinaDateTime } from '../../utils/format';
import { STUDY_ROUTES, openStudy, type StudyRoute } from '../routes';

export interface PrepStep {
  key: 'consent' | 'identity' | 'avatar' | 'face';
  title: string;
  done: boolean;
  /** What the learner sees beside the step: what is done, or what to do. */
  note: string;
  route: StudyRoute;
}

/** Identity verification is needed only while the binding is provisional (an activation code also verifies it). */
function identityDone(face: FaceStatus, principal?: SessionPrincipal): boolean {
  return face.identityVerified || principal?.binding?.state === 'VERIFIED';
}

/** What must be done before a lesson can start, in order: consent, identity, avatar, a face check. */
export function prepSteps(face: FaceStatus, principal: SessionPrincipal | undefined, now: Date): PrepStep[] {
  const checkValid = !!face.verifiedUntil && Date.parse(face.verifiedUntil) > now.getTime();
  return [
    {
      key: 'consent',
      title: '同意人脸信息授权',
      done: face.consent.given,
      note: face.consent.given ? '已同意' : '学习需要拍照核验，请先阅读并同意授权',
      route: STUDY_ROUTES.consent,
    },
    {
      key: 'identity',
      title: '实名核身',
      done: identityDone(face, principal),
      note: identityDone(face, principal) ? '已核验本人身份' : '拍一张本人照片，与身份证登记照片比对',
      route: STUDY_ROUTES.identity,
    },
    {
      key: 'avatar',
      title: '上传头像（白底一寸照）',
      done: face.avatar.set,
      note: face.avatar.set ? '已上传' : '学习时的拍照将与头像比对',
      route: STUDY_ROUTES.avatar,
    },
    {
      key: 'face',
      title: '人脸核验',
      done: checkValid,
      note: checkValid ? `已通过，${chinaDateTime(face.verifiedUntil!).slice(11)} 前有效` : '每次学习前拍照核验本人',
      route: STUDY_ROUTES.face,
    },
  ];
}

/** The checklist: each undone step is a big row that opens its page; the first undone one is marked 下一步. */
export function PrepSteps({ steps }: { steps: PrepStep[] }) {
  const next = steps.find((s) => !s.done);
  return (
    <View className='card prep' id='prep-steps'>
      <Text className='section-title'>{next ? '开始学习前，请按顺序完成' : '学习前准备已完成'}</Text>
      {steps.map((s, i) => (
        <View
          key={s.key}
          id={`prep-${s.key}`}
          className={`prep__step ${s.done ? 'prep__step--done' : ''} ${s === next ? 'prep__step--next' : ''}`}
          onClick={() => openStudy(s.route)}
        >
          <Text className='prep__mark'>{s.done ? '✓' : String(i + 1)}</Text>
          <View className='prep__body'>
            <Text className='prep__title'>{s.title}</Text>
            <Text className='prep__note'>{s.note}</Text>
          </View>
          <Text className='prep__go'>{s === next ? '去完成 ›' : '›'}</Text>
        </View>
      ))}
    </View>
  );
}
