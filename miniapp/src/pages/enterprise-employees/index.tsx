import { Input, Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useRef, useState } from 'react';
import {
  ELIGIBILITY_REASONS,
  type ClassSummary,
  type EmployeeCertificate,
  type EnrollmentSummary,
  type SessionPrincipal,
} from '@ce/types';
import { BigButton } from '../../components/BigButton';
import { Chips } from '../../components/Chips';
import { ErrorBanner } from '../../components/ErrorBanner';
import { platform } from '../../platform';
import { ApiError, api, messageOf, query } from '../../api/client';
import { getPrincipal, getToken } from '../../api/session';
import { ROUTES, relaunch } from '../../api/routes';
import type { BatchEnrollRejection, ClassListResponse, EmployeeListResponse, EnrollmentListResponse } from '../../api/types';
import { chinaDateTime, yuan } from '../../utils/format';
import { logout } from '../../api/auth';
import './index.css';
import { KeyValue } from '../../components/KeyValue';

type Filter = 'all' | 'eligible' | 'blocked';
type Tab = 'employees' | 'enrollments';
const CLASS_KEY = 'ce.enterpriseClassId';

function reasonLabel(code: string): string {
  return (ELIGIBILITY_REASONS as Record<string, string>)[code] ?? code;
}

interface Rejected {
  certificateId: string;
  name: string;
  certificateNo: string;
  reasons: { code: string; message: string; eligibleFrom?: string }[];
}

export default function EnterpriseEmployeesPage() {
  const [principal, setPrincipal] = useState<SessionPrincipal>();
  const [tab, setTab] = useState<Tab>('employees');
  const [classes, setClasses] = useState<ClassSummary[]>();
  const [classId, setClassId] = useState('');
  const [filter, setFilter] = useState<Filter>('all');
  const [reason, setReason] = useState('');
  const [search, setSearch] = useState('');
  const [appliedSearch, setAppliedSearch] = useState('');
  const [data, setData] = useState<EmployeeListResponse>();
  const [loading, setLoading] = useState(false);
  const [selected, setSelected] = useState<Record<string, EmployeeCertificate>>({});
  const [error, setError] = useState<string>();
  const [success, setSuccess] = useState<string>();
  const [rejected, setRejected] = useState<Rejected[]>();
  const [submitting, setSubmitting] = useState(false);
  const [enrollments, setEnrollments] = useState<EnrollmentSummary[]>();
  const seq = useRef(0);

  async function loadEmployees(params: { classId: string; filter: Filter; reason: string; q: string }) {
    if (!params.classId) return;
    const mine = ++seq.current;
    setLoading(true);
    setError(undefined);
    try {
      const res = await api.get<EmployeeListResponse>(
        `/api/enterprise/employees${query({ classId: params.classId, filter: params.filter, reason: params.reason || undefined, q: params.q || undefined })}`,
      );
      if (mine === seq.current) setData(res);
    } catch (e) {
      if (mine === seq.current) setError(messageOf(e));
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }

  async function loadClasses() {
    setError(undefined);
    try {
      const res = await api.get<ClassListResponse>('/api/enterprise/classes');
      setClasses(res.items);
      const remembered = platform.storage.get(CLASS_KEY);
      const initial = res.items.find((c) => c.id === classId || c.id === remembered)?.id ?? (res.items.length === 1 ? res.items[0].id : '');
      if (initial) {
        setClassId(initial);
        void loadEmployees({ classId: initial, filter, reason, q: appliedSearch });
      }
    } catch (e) {
      setError(messageOf(e));
    }
  }

  async function loadEnrollments() {
    setError(undefined);
    try {
      const res = await api.get<EnrollmentListResponse>('/api/enterprise/enrollments');
      setEnrollments(res.items);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  useDidShow(() => {
    const p = getPrincipal();
    if (!getToken() || !p || p.role !== 'enterprise') {
      relaunch(ROUTES.enterpriseLogin);
      return;
    }
    if (p.mustChangePassword) {
      relaunch(ROUTES.changePassword);
      return;
    }
    setPrincipal(p);
    void loadClasses();
    if (tab === 'enrollments') void loadEnrollments();
  });

  function chooseClass(id: string) {
    setClassId(id);
    platform.storage.set(CLASS_KEY, id);
    setSelected({});
    setRejected(undefined);
    setSuccess(undefined);
    setReason('');
    void loadEmployees({ classId: id, filter, reason: '', q: appliedSearch });
  }

  function chooseFilter(value: string) {
    const f = value as Filter;
    setFilter(f);
    const r = f === 'eligible' ? '' : reason;
    setReason(r);
    void loadEmployees({ classId, filter: f, reason: r, q: appliedSearch });
  }

  function chooseReason(value: string) {
    setReason(value);
    const f: Filter = value ? 'blocked' : filter;
    setFilter(f);
    void loadEmployees({ classId, filter: f, reason: value, q: appliedSearch });
  }

  function applySearch() {
    const q = search.trim();
    setAppliedSearch(q);
    void loadEmployees({ classId, filter, reason, q });
  }

  function toggle(item: EmployeeCertificate) {
    setSelected((current) => {
      const next = { ...current };
      if (next[item.certificateId]) delete next[item.certificateId];
      else next[item.certificateId] = item;
      return next;
    });
  }

  function selectAllVisible() {
    const eligible = (data?.items ?? []).filter((i) => i.eligible && !i.enrollment);
    setSelected((current) => {
      const next = { ...current };
      for (const i of eligible) next[i.certificateId] = i;
      return next;
    });
  }

  async function enroll() {
    const chosen = Object.values(selected);
    if (!classId || chosen.length === 0) return;
    setSubmitting(true);
    setError(undefined);
    setSuccess(undefined);
    setRejected(undefined);
    try {
      const res = await api.post<EnrollmentListResponse>('/api/enterprise/enrollments', { classId, certificateIds: chosen.map((c) => c.certificateId) });
      const count = res.items?.length ?? chosen.length;
      setSuccess(`报名成功：已为 ${count} 人报名，状态为待缴费。`);
      platform.toast('报名成功', 'success');
      setSelected({});
      void loadEmployees({ classId, filter, reason, q: appliedSearch });
      if (enrollments) void loadEnrollments();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'ENROLLMENT_REJECTED') {
        const details = e.details as BatchEnrollRejection | undefined;
        setRejected(
          (details?.items ?? []).map((r) => ({
            certificateId: r.certificateId,
            name: selected[r.certificateId]?.holderName ?? '（未知人员）',
            certificateNo: selected[r.certificateId]?.certificateNo ?? '',
            reasons: r.reasons,
          })),
        );
        setError(e.message);
      } else {
        setError(messageOf(e));
      }
    } finally {
      setSubmitting(false);
    }
  }

  function chooseTab(value: string) {
    setTab(value as Tab);
    if (value === 'enrollments') void loadEnrollments();
  }

  const chosen = Object.values(selected);
  const currentClass = classes?.find((c) => c.id === classId);
  const counts = data?.counts;
  const reasonOptions = counts
    ? Object.entries(counts.byReason)
        .filter(([, n]) => n > 0)
        .map(([code, n]) => ({ value: code, label: reasonLabel(code), count: n }))
    : [];

  return (
    <View className={`page employees-page ${tab === 'employees' ? 'employees-page--with-bar' : ''}`}>
      <View className='employees-page__header'>
        <Text className='page__title'>员工证书与报名</Text>
        {principal ? (
          <Text className='page__subtitle' id='enterprise-name'>
            {principal.displayName}
          </Text>
        ) : null}
      </View>
      <Chips
        id='tab'
        value={tab}
        onChange={chooseTab}
        options={[
          { value: 'employees', label: '员工证书' },
          { value: 'enrollments', label: '本企业报名记录' },
        ]}
      />
      <ErrorBanner message={error} />
      <ErrorBanner id='success-banner' message={success} kind='success' />

      {rejected && rejected.length ? (
        <View className='card rejection' id='rejection'>
          <Text className='section-title'>以下人员不符合报名条件，本次报名未提交（没有任何人被报名）</Text>
          {rejected.map((r) => (
            <View className='rejection__item' key={r.certificateId} id={`rejected-${r.certificateId}`}>
              <Text className='rejection__name'>
                {r.name} {r.certificateNo}
              </Text>
              {r.reasons.map((reasonItem) => (
                <Text className='reason' key={reasonItem.code}>
                  · {reasonItem.message || reasonLabel(reasonItem.code)}
                  {reasonItem.eligibleFrom ? `（可于 ${reasonItem.eligibleFrom} 起报名）` : ''}
                </Text>
              ))}
            </View>
          ))}
          <Text className='muted'>请取消勾选以上人员后重新提交。</Text>
        </View>
      ) : null}

      {tab === 'employees' ? (
        <View id='employees-section'>
          <View className='card'>
            <Text className='section-title'>第一步：选择学习班</Text>
            {classes === undefined ? <Text className='muted'>正在加载学习班…</Text> : null}
            {classes && classes.length === 0 ? <Text className='muted'>当前没有可报名的学习班。</Text> : null}
            {classes && classes.length ? (
              <Chips
                id='class'
                vertical
                value={classId}
                onChange={chooseClass}
                options={classes.map((c) => ({ value: c.id, label: `${c.name}（${c.categoryLabel}${c.subCategory ? ` ${c.subCategory}` : ''}，${yuan(c.feeFen)}/人）` }))}
              />
            ) : null}
          </View>

          {classId ? (
            <View className='card'>
              <Text className='section-title'>第二步：勾选可报名的员工</Text>
              <Chips
                id='filter'
                value={filter}
                onChange={chooseFilter}
                options={[
                  { value: 'all', label: '全部', count: counts?.total },
                  { value: 'eligible', label: '可报名', count: counts?.eligible },
                  { value: 'blocked', label: '不可报名', count: counts?.blocked },
                ]}
              />
              {filter !== 'eligible' && reasonOptions.length ? (
                <View className='reason-filter'>
                  <Text className='muted'>按不可报名原因筛选：</Text>
                  <Chips id='reason' vertical value={reason} onChange={chooseReason} options={[{ value: '', label: '全部原因' }, ...reasonOptions]} />
                </View>
              ) : null}
              <View className='search'>
                <Input
                  id='search'
                  className='search__input'
                  value={search}
                  placeholder='按姓名搜索'
                  placeholderClass='field__placeholder'
                  confirmType='search'
                  onInput={(e) => setSearch(e.detail.value)}
                  onConfirm={applySearch}
                />
                <View className='search__button' id='search-submit' onClick={applySearch}>
                  <Text>搜索</Text>
                </View>
              </View>
              {data?.lastSyncedAt ? <Text className='muted'>证书数据更新于 {chinaDateTime(data.lastSyncedAt)}</Text> : null}
              {data && data.items.some((i) => i.eligible && !i.enrollment) ? (
                <BigButton id='select-all' kind='secondary' onClick={selectAllVisible}>
                  全选本页可报名人员
                </BigButton>
              ) : null}
            </View>
          ) : null}

          {classId && loading && !data ? <Text className='empty'>正在加载…</Text> : null}
          {classId && data && data.items.length === 0 ? (
            <Text className='empty' id='employees-empty'>
              没有符合条件的员工证书
            </Text>
          ) : null}
          {classId
            ? data?.items.map((item) => {
                const isSelected = !!selected[item.certificateId];
                const selectable = item.eligible && !item.enrollment;
                return (
                  <View
                    key={item.certificateId}
                    id={`employee-${item.certificateId}`}
                    className={`card employee ${selectable ? 'employee--eligible' : 'employee--blocked'} ${isSelected ? 'employee--selected' : ''}`}
                    onClick={selectable ? () => toggle(item) : undefined}
                  >
                    <View className='employee__head'>
                      <View className='employee__who'>
                        <Text className='employee__name'>{item.holderName}</Text>
                        <Text className='employee__id'>{item.idNumberMasked}</Text>
                      </View>
                      {selectable ? (
                        <View id={`select-${item.certificateId}`} className={`checkbox ${isSelected ? 'checkbox--on' : ''}`}>
                          <Text className='checkbox__mark'>{isSelected ? '✓' : ''}</Text>
                        </View>
                      ) : null}
                    </View>
                    <KeyValue label='证书编号'>{item.certificateNo}</KeyValue>
                    <KeyValue label='证书类别'>
                        {item.categoryLabel}
                        {item.aKind === 'ADDITIONAL' ? '（增发）' : ''}
                        {item.jobType ? ` ${item.jobType}` : ''}
                        {item.subCategory ? ` ${item.subCategory}` : ''}
                      </KeyValue>
                    <KeyValue label='有效期至'>
                        {item.expiryDate}
                        {item.status !== 'VALID' ? `（${item.statusLabel}）` : ''}
                      </KeyValue>
                    {item.enrollment ? (
                      <View className='employee__state employee__state--enrolled'>
                        <Text>已报名 · {item.enrollment.statusLabel}</Text>
                      </View>
                    ) : item.eligible ? (
                      <View className='employee__state employee__state--ok'>
                        <Text>{isSelected ? '已勾选，可报名' : '可报名，点击勾选'}</Text>
                      </View>
                    ) : (
                      <View className='employee__reasons' id={`reasons-${item.certificateId}`}>
                        <Text className='employee__reasons-title'>不可报名原因：</Text>
                        {item.reasons.map((r) => (
                          <View className='reason' key={r.code} id={`reason-${item.certificateId}-${r.code}`}>
                            <Text>· {r.message || reasonLabel(r.code)}</Text>
                            {r.eligibleFrom ? <Text className='reason__from'>可于 {r.eligibleFrom} 起报名</Text> : null}
                          </View>
                        ))}
                      </View>
                    )}
                  </View>
                );
              })
            : null}
        </View>
      ) : (
        <View id='enrollments-section'>
          {enrollments === undefined ? <Text className='empty'>正在加载…</Text> : null}
          {enrollments && enrollments.length === 0 ? (
            <Text className='empty' id='enterprise-enrollments-empty'>
              还没有报名记录
            </Text>
          ) : null}
          {enrollments?.map((e) => (
            <View className='card' key={e.id} id={`enterprise-enrollment-${e.id}`}>
              <View className='employee__head'>
                <Text className='employee__name'>{e.holderName}</Text>
                <Text className={`status status--${e.status}`}>{e.statusLabel}</Text>
              </View>
              <KeyValue label='学习班'>{e.className}</KeyValue>
              <KeyValue label='证书编号'>{e.certificateNo}</KeyValue>
              <KeyValue label='费用'>{yuan(e.feeFen)}</KeyValue>
              <KeyValue label='报名时间'>{chinaDateTime(e.createdAt)}</KeyValue>
            </View>
          ))}
        </View>
      )}

      <BigButton id='logout' kind='plain' onClick={() => void logout()}>
        退出登录
      </BigButton>

      {tab === 'employees' && classId ? (
        <View className='enroll-bar' id='enroll-bar'>
          <Text className='enroll-bar__total'>{chosen.length && currentClass ? `合计 ${yuan(currentClass.feeFen * chosen.length)}` : '请勾选员工'}</Text>
          <BigButton id='enroll-submit' className='enroll-bar__button' onClick={() => void enroll()} loading={submitting} disabled={chosen.length === 0}>
            {`已选 ${chosen.length} 人 · 报名`}
          </BigButton>
        </View>
      ) : null}
    </View>
  );
}

