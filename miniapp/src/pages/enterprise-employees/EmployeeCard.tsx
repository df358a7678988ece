import { Text, View } from '@tarojs/components';
import type { EmployeeCertificate } from '@ce/types';
import { KeyValue } from '../../components/KeyValue';
import { chinaDateTime } from '../../utils/format';
import { ActivationCodePanel, type ActivationState } from './ActivationCodePanel';
import { isSelectable, reasonLabel } from './employee-list';

/** An eligibility reason as the API sends it (code, message, and for TOO_EARLY the first day). */
export type Reason = EmployeeCertificate['reasons'][number];

/** The date a TOO_EARLY certificate opens is shown once, on its own line (the message would repeat it). */
function ReasonLine({ id, reason }: { id: string; reason: Reason }) {
  return (
    <View className='reason' id={id}>
      <Text>· {reason.eligibleFrom ? reasonLabel(reason.code) : reason.message || reasonLabel(reason.code)}</Text>
      {reason.eligibleFrom ? <Text className='reason__from'>可于 {reason.eligibleFrom} 起报名</Text> : null}
    </View>
  );
}

function certificateKind(item: EmployeeCertificate): string {
  return [item.categoryLabel + (item.aKind === 'ADDITIONAL' ? '（增发）' : ''), item.jobType, item.subCategory].filter(Boolean).join(' ');
}

function accountStateText(account: EmployeeCertificate['learnerAccount']): string {
  const since = account.since ? ` · ${chinaDateTime(account.since).slice(0, 10)} 起` : '';
  return `${account.stateLabel}${since}`;
}

function EnrollState({ item, selected }: { item: EmployeeCertificate; selected: boolean }) {
  if (item.enrollment) {
    return (
      <View className='employee__state employee__state--enrolled'>
        <Text>已报名 · {item.enrollment.statusLabel}</Text>
      </View>
    );
  }
  if (item.eligible) {
    return (
      <View className='employee__state employee__state--ok'>
        <Text>{selected ? '已勾选，可报名' : '可报名，点击勾选'}</Text>
      </View>
    );
  }
  return (
    <View className='employee__reasons' id={`reasons-${item.certificateId}`}>
      <Text className='employee__reasons-title'>不可报名原因：</Text>
      {item.reasons.map((r) => (
        <ReasonLine key={r.code} id={`reason-${item.certificateId}-${r.code}`} reason={r} />
      ))}
    </View>
  );
}

export interface EmployeeCardProps {
  item: EmployeeCertificate;
  selected: boolean;
  /** Why the last 报名 refused this certificate, if it did. */
  refusal?: Reason[];
  activation?: ActivationState;
  onToggle(item: EmployeeCertificate): void;
  onIssueCode(item: EmployeeCertificate): void;
  onCloseCode(item: EmployeeCertificate): void;
}

/** One certificate: who, which, until when, whether it can be enrolled and why not, and the holder's account. */
export function EmployeeCard({ item, selected, refusal, activation, onToggle, onIssueCode, onCloseCode }: EmployeeCardProps) {
  const selectable = isSelectable(item);
  const ours = !item.reasons.some((r) => r.code === 'NOT_CURRENT_ENTERPRISE');
  const classes = ['card', 'employee', selectable ? 'employee--eligible' : 'employee--blocked', selected ? 'employee--selected' : '', refusal ? 'employee--refused' : ''];
  return (
    <View id={`employee-${item.certificateId}`} className={classes.filter(Boolean).join(' ')} onClick={selectable ? () => onToggle(item) : undefined}>
      {refusal ? (
        <View className='employee__refusal' id={`refusal-${item.certificateId}`}>
          <Text className='employee__refusal-title'>本次报名未通过：</Text>
          {refusal.map((r) => (
            <ReasonLine key={r.code} id={`refusal-${item.certificateId}-${r.code}`} reason={r} />
          ))}
        </View>
      ) : null}
      <View className='employee__head'>
        <View className='employee__who'>
          <Text className='employee__name'>{item.holderName}</Text>
          <Text className='employee__id'>{item.idNumberMasked}</Text>
        </View>
        {selectable ? (
          <View id={`select-${item.certificateId}`} className={`checkbox ${selected ? 'checkbox--on' : ''}`}>
            <Text className='checkbox__mark'>{selected ? '✓' : ''}</Text>
          </View>
        ) : null}
      </View>
      <KeyValue label='证书编号' code>
        {item.certificateNo}
      </KeyValue>
      <KeyValue label='证书类别'>{certificateKind(item)}</KeyValue>
      <KeyValue label='有效期至'>
        {item.expiryDate}
        {item.status !== 'VALID' ? `（${item.statusLabel}）` : ''}
      </KeyValue>
      {ours && item.learnerAccount ? (
        <View className={`kv employee__account employee__account--${item.learnerAccount.state}`} id={`account-${item.certificateId}`}>
          <Text className='kv__k'>学员账号</Text>
          <Text className='kv__v'>{accountStateText(item.learnerAccount)}</Text>
          {item.learnerAccount.state === 'PROVISIONAL' && item.learnerAccount.hint ? <Text className='employee__account-hint'>{item.learnerAccount.hint}</Text> : null}
        </View>
      ) : null}
      <EnrollState item={item} selected={selected} />
      {ours ? (
        <ActivationCodePanel
          certificateId={item.certificateId}
          state={activation}
          verified={item.learnerAccount?.state === 'VERIFIED'}
          onIssue={() => onIssueCode(item)}
          onClose={() => onCloseCode(item)}
        />
      ) : null}
    </View>
  );
}
