import { LEARNER_BINDING_LABELS, type LearnerBinding, type LearnerBindingState } from '@ce/types';
import { Types } from 'mongoose';
import { AppError } from '../../platform/errors';
import type { Deps } from '../../platform/http/route';
import { audit, wechatActor } from './audit';
import { LearnerAccountModel, type BindingProof, type BindingState, type LearnerAccountDoc } from './data';
import { endOtherHoldersSessions, refreshLearnerSessions } from './sessions';

/**
 * Where a learner's binding stands. A binding proven only with public data (ID number + initial password)
 * is PROVISIONAL: it works, but it is shown as unverified to the learner and the enterprise, and a VERIFIED
 * binding takes the record over. VERIFIED comes from an enterprise activation code or identity verification
 * (实名核身); it never goes back, and from then on the initial password no longer binds the person.
 */

type Audience = 'learner' | 'enterprise';

const VERIFIED_HINTS: Record<BindingProof, string> = {
  ACTIVATION_CODE: '已通过企业激活码核验为本人',
  IDENTITY_VERIFICATION: '已通过实名核身核验为本人',
  INITIAL_PASSWORD: '已核验',
};

const HINTS: Record<Audience, Record<Exclude<LearnerBindingState, 'VERIFIED'>, string>> = {
  learner: {
    UNBOUND: '请用姓名、身份证号和密码（或企业提供的激活码）绑定',
    PROVISIONAL: '您用初始密码完成了绑定，尚未核验是否本人。请向所在企业申请激活码，点“输入激活码”完成核验，以免他人冒用您的证书信息',
  },
  enterprise: {
    UNBOUND: '尚未绑定学员账号。可为其申请激活码，本人用激活码绑定即为已核验',
    PROVISIONAL: '以初始密码绑定，尚未核验是否本人。如非本人绑定，请为其申请激活码：本人用激活码绑定后，他人的绑定即解除',
  },
};

/** The binding as a learner or an enterprise sees it (state, label, since when, what to do). */
export function bindingView(binding: BindingState | undefined, audience: Audience): LearnerBinding {
  if (!binding) return { state: 'UNBOUND', stateLabel: LEARNER_BINDING_LABELS.UNBOUND, hint: HINTS[audience].UNBOUND };
  const hint = binding.state === 'VERIFIED' ? VERIFIED_HINTS[binding.proof] : HINTS[audience][binding.state];
  return { state: binding.state, stateLabel: LEARNER_BINDING_LABELS[binding.state], since: binding.since.toISOString(), hint };
}

/** Each person's binding as their enterprise sees it, in one read; persons without an account are UNBOUND. */
export async function learnerBindingsFor(personIds: string[]): Promise<Map<string, LearnerBinding>> {
  const ids = [...new Set(personIds)].filter((id) => Types.ObjectId.isValid(id));
  const accounts = ids.length ? await LearnerAccountModel.find({ personId: { $in: ids } }).lean() : [];
  const byPerson = new Map(accounts.map((a) => [String(a.personId), a]));
  return new Map(ids.map((id) => [id, bindingView(byPerson.get(id)?.openid ? byPerson.get(id)!.binding : undefined, 'enterprise')]));
}

export function provisionalBinding(now: Date): BindingState {
  return { state: 'PROVISIONAL', since: now, proof: 'INITIAL_PASSWORD' };
}

export interface VerifiedTakeover {
  account: LearnerAccountDoc;
  /** The WeChat user who held the record before, when it was someone else. */
  previousOpenid?: string;
}

/**
 * Makes `openid` the verified holder of the person's record: any other holder's sessions end (their client
 * is told BINDING_REPLACED), a password another holder set is dropped, the initial-password path closes.
 */
export async function takeOverAsVerified(
  personId: Types.ObjectId,
  openid: string,
  proof: Exclude<BindingProof, 'INITIAL_PASSWORD'>,
  extra: Partial<Pick<LearnerAccountDoc, 'bindCodeHash'>>,
  deps: Deps,
): Promise<VerifiedTakeover> {
  const binding: BindingState = { state: 'VERIFIED', since: deps.clock.now(), proof };
  await LearnerAccountModel.updateMany({ openid, personId: { $ne: personId } }, { $unset: { openid: 1 } });
  const { before, account } = await writeVerified(personId, openid, binding, extra);
  const previousOpenid = before?.openid && before.openid !== openid ? before.openid : undefined;
  await endOtherHoldersSessions(String(personId), openid, 'BINDING_REPLACED', deps);
  await refreshLearnerSessions(String(personId), binding);
  if (previousOpenid) {
    await audit({
      at: binding.since,
      action: 'LEARNER_BINDING_REPLACED',
      actor: wechatActor(openid),
      personId,
      details: { proof, previousHolder: wechatActor(previousOpenid).openidDigest, previousState: before?.binding?.state },
    });
  }
  return { account, previousOpenid };
}

/** Read, then write only if nobody changed the holder meanwhile (retried): what is dropped depends on who held it. */
async function writeVerified(personId: Types.ObjectId, openid: string, binding: BindingState, extra: Partial<Pick<LearnerAccountDoc, 'bindCodeHash'>>) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const before = (await LearnerAccountModel.findOne({ personId }).lean()) ?? undefined;
    const holderChanges = before?.openid !== openid;
    const unset: Record<string, 1> = {};
    if (holderChanges) unset.passwordHash = 1;
    if (!extra.bindCodeHash) unset.bindCodeHash = 1;
    const update = { $set: { openid, binding, ...extra }, ...(Object.keys(unset).length ? { $unset: unset } : {}) };
    const account = before
      ? await LearnerAccountModel.findOneAndUpdate({ _id: before._id, openid: before.openid ?? { $exists: false } }, update, { returnDocument: 'after', lean: true })
      : await LearnerAccountModel.create({ personId, openid, binding, ...extra, createdAt: binding.since })
          .then((doc) => doc.toObject())
          .catch((error) => (error?.code === 11000 ? null : Promise.reject(error)));
    if (account) return { before, account };
  }
  throw new AppError('CONFLICT');
}

/**
 * For identity verification (实名核身, a later issue): the person passed the check in the WeChat user
 * `openid` (by default the record's current holder). The binding becomes VERIFIED, and every other
 * holder's session ends.
 */
export async function verifyLearnerIdentity(personId: string, deps: Deps, options: { openid?: string } = {}): Promise<void> {
  const account = await LearnerAccountModel.findOne({ personId }).lean();
  const openid = options.openid ?? account?.openid;
  if (!openid) throw new AppError('NOT_BOUND');
  const id = new Types.ObjectId(personId);
  await takeOverAsVerified(id, openid, 'IDENTITY_VERIFICATION', {}, deps);
  await audit({ at: deps.clock.now(), action: 'LEARNER_VERIFIED', actor: wechatActor(openid, 'learner'), personId: id, details: { proof: 'IDENTITY_VERIFICATION' } });
}
