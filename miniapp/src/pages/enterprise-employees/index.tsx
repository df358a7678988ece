import { Input, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import type { ActivationCodeResponse, ClassSummary, EmployeeCertificate, EnrollmentSummary, SessionPrincipal } from '@ce/types';
import { BigButton } from '../../components/BigButton';
import { Chips } from '../../components/Chips';
import { KeyValue } from '../../components/KeyValue';
import { LoadState } from '../../components/LoadState';
import { platform } from '../../platform';
import { ApiError, api, isRetryable, messageOf, query } from '../../api/client';
import { getPrincipal, getToken } from '../../api/session';
import { ROUTES, relaunch } from '../../api/routes';
import { logout } from '../../api/auth';
import type { BatchEnrollRejection, ClassListResponse, EmployeeListResponse, EnrollmentListResponse } from '../../api/types';
import { chinaDateTime, yuan } from '../../utils/format';
import { PAY_ROUTES, openPay } from '../../pay/routes';
import { useLoader } from '../../utils/useLoader';
import type { ActivationState } from './ActivationCodePanel';
import { EmployeeCard, type Reason } from './EmployeeCard';
import { EnrollBar, refusedText, type EnrollResult } from './EnrollBar';
import { applyFilter, countsOf, isSelectable, pruneSelection, splitByClass, type Filter } from './employee-list';
import './index.css';

type Tab = 'employees' | 'enrollments';
type Refusals = Record<string, Reason[]>;
type Selection = Record<string, EmployeeCertificate>;
const CLASS_KEY = 'ce.enterpriseClassId';

function classLabel(c: ClassSummary): string {
  return `${c.name}（${yuan(c.feeFen)}/人）`;
}

/** Brings a card to the top of the screen (used for the first person a 报名 refused). */
function scrollToCard(certificateId: string): void {
  // after the refreshed list has rendered
  setTimeout(() => void Taro.pageScrollTo({ selector: `#employee-${certificateId}`, offsetTop: -16, duration: 200 }).catch(() => undefined), 50);
}

export default function EnterpriseEmployeesPage() {
  const [principal, setPrincipal] = useState<SessionPrincipal>();
  const [tab, setTab] = useState<Tab>('employees');
  const classes = useLoader<ClassSummary[]>();
  const [classId, setClassId] = useState('');
  /** The class list folds to the chosen class, so the employees start high on the screen. */
  const [pickingClass, setPickingClass] = useState(false);
  const employees = useLoader<EmployeeListResponse>();
  const enrollments = useLoader<EnrollmentSummary[]>();
  const [filter, setFilter] = useState<Filter>('all');
  const [reason, setReason] = useState('');
  const [reasonsOpen, setReasonsOpen] = useState(false);
  const [othersOpen, setOthersOpen] = useState(false);
  const [search, setSearch] = useState('');
  const [appliedSearch, setAppliedSearch] = useState('');
  const [selected, setSelected] = useState<Selection>({});
  const [refusals, setRefusals] = useState<Refusals>({});
  const [result, setResult] = useState<EnrollResult>();
  const [submitting, setSubmitting] = useState(false);
  const [activations, setActivations] = useState<Record<string, ActivationState>>({});

  function loadEmployees(id = classId, q = appliedSearch) {
    if (!id) return Promise.resolve(undefined);
    return employees.load(() => api.get<EmployeeListResponse>(`/api/enterprise/employees${query({ classId: id, q: q || undefined })}`));
  }

  async function loadClasses() {
    const items = await classes.load(async () => (await api.get<ClassListResponse>('/api/enterprise/classes')).items);
    if (!items) return;
    const remembered = platform.storage.get(CLASS_KEY);
    const initial = items.find((c) => c.id === classId || c.id === remembered)?.id ?? (items.length === 1 ? items[0].id : '');
    if (initial) {
      setClassId(initial);
      void loadEmployees(initial);
    }
  }

  function loadEnrollments() {
    return enrollments.load(async () => (await api.get<EnrollmentListResponse>('/api/enterprise/enrollments')).items);
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
    setPickingClass(false);
    platform.storage.set(CLASS_KEY, id);
    setSelected({});
    setRefusals({});
    setResult(undefined);
    setReason('');
    employees.reset();
    void loadEmployees(id);
  }

  function chooseFilter(value: string) {
    setFilter(value as Filter);
    if (value === 'eligible') setReason('');
  }

  function chooseReason(value: string) {
    setReason(value);
    setReasonsOpen(false);
    if (value) setFilter('blocked');
  }

  function applySearch() {
    const q = search.trim();
    setAppliedSearch(q);
    void loadEmployees(classId, q);
  }

  function toggle(item: EmployeeCertificate) {
    setSelected((current) => {
      const next = { ...current };
      if (next[item.certificateId]) delete next[item.certificateId];
      else next[item.certificateId] = item;
      return next;
    });
  }

  function selectAll(items: EmployeeCertificate[]) {
    setSelected((current) => {
      const next = { ...current };
      for (const i of items) next[i.certificateId] = i;
      return next;
    });
  }

  /** After every answer: fresh list and counts; ticked only who can still be enrolled. */
  async function refreshAfterEnroll(refused: Set<string>, chosen: Selection): Promise<number> {
    const fresh = await loadEmployees();
    const remaining = fresh ? pruneSelection(chosen, fresh.items, refused) : Object.fromEntries(Object.entries(chosen).filter(([id]) => !refused.has(id)));
    setSelected(remaining);
    if (enrollments.data) void loadEnrollments();
    return Object.keys(remaining).length;
  }

  async function enrolled(made: EnrollmentSummary[], count: number) {
    setRefusals({});
    await refreshAfterEnroll(new Set(), {});
    const enrollmentIds = made.map((e) => e.id);
    const totalFen = made.reduce((sum, e) => sum + e.feeFen, 0);
    setResult({
      kind: 'success',
      text: `报名成功：已为 ${count} 人报名，状态为待缴费（由本企业缴费）。${enrollmentIds.length ? '点“去缴费”核对开票信息并付款。' : ''}`,
      enrollmentIds,
      totalFen: enrollmentIds.length ? totalFen : undefined,
    });
    platform.toast('报名成功', 'success');
  }

  async function refused(rejection: BatchEnrollRejection | undefined, chosen: Selection) {
    const byId: Refusals = {};
    for (const r of rejection?.items ?? []) byId[r.certificateId] = r.reasons;
    const ids = Object.keys(byId);
    setRefusals(byId);
    const stillTicked = await refreshAfterEnroll(new Set(ids), chosen);
    const names = ids.map((id) => chosen[id]?.holderName ?? '（未知人员）');
    setResult({ kind: 'refused', text: refusedText(Object.keys(chosen).length, names, stillTicked) });
    if (ids[0]) scrollToCard(ids[0]);
  }

  async function enroll() {
    const chosen = { ...selected };
    const ids = Object.keys(chosen);
    if (!classId || ids.length === 0) return;
    setSubmitting(true);
    setResult(undefined);
    try {
      const res = await api.post<EnrollmentListResponse>('/api/enterprise/enrollments', { classId, certificateIds: ids });
      await enrolled(res.items ?? [], res.items?.length ?? ids.length);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'ENROLLMENT_REJECTED') await refused(e.details as BatchEnrollRejection | undefined, chosen);
      else setResult({ kind: 'failed', text: `报名没有提交：${messageOf(e)}`, retryable: isRetryable(e) });
    } finally {
      setSubmitting(false);
    }
  }

  function setActivation(certificateId: string, state: ActivationState | undefined) {
    setActivations((current) => {
      const next = { ...current };
      if (state) next[certificateId] = state;
      else delete next[certificateId];
      return next;
    });
  }

  async function issueCode(item: EmployeeCertificate) {
    setActivation(item.certificateId, { issuing: true });
    try {
      const code = await api.post<ActivationCodeResponse>(`/api/enterprise/certificates/${item.certificateId}/activation-code`, undefined);
      setActivation(item.certificateId, { code });
    } catch (e) {
      setActivation(item.certificateId, { error: messageOf(e) });
    }
  }

  function chooseTab(value: string) {
    setTab(value as Tab);
    if (value === 'enrollments') void loadEnrollments();
  }

  function payFor(enrollmentIds: string[]) {
    openPay(PAY_ROUTES.confirm, { enrollmentIds: enrollmentIds.join(',') });
  }

  const unpaid = (enrollments.data ?? []).filter((e) => e.status === 'AWAITING_PAYMENT');
  const currentClass = classes.data?.find((c) => c.id === classId);
  const view = splitByClass(employees.data?.items ?? []);
  const counts = countsOf(view.concerned);
  const visible = new Set(applyFilter(view.concerned, filter, reason));
  // Someone a 报名 just refused stays in sight, whatever the filter, until the next answer.
  const shown = view.concerned.filter((i) => visible.has(i) || refusals[i.certificateId]);
  const selectableShown = shown.filter(isSelectable);
  const count = Object.keys(selected).length;
  const reasonChips = counts.byReason.map((r) => ({ value: r.code, label: r.label, count: r.count }));
  const activeReason = counts.byReason.find((r) => r.code === reason);

  const card = (item: EmployeeCertificate) => (
    <EmployeeCard
      key={item.certificateId}
      item={item}
      selected={!!selected[item.certificateId]}
      refusal={refusals[item.certificateId]}
      activation={activations[item.certificateId]}
      onToggle={toggle}
      onIssueCode={(i) => void issueCode(i)}
      onCloseCode={(i) => setActivation(i.certificateId, undefined)}
    />
  );

  return (
    <View className={`page employees-page ${tab === 'employees' && classId ? (result ? 'employees-page--with-result' : 'employees-page--with-bar') : ''}`}>
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

      {tab === 'employees' ? (
        <View id='employees-section'>
          <View className='card'>
            <View className='section-head'>
              <Text className='section-title'>第一步：选择学习班</Text>
              {currentClass && !pickingClass ? (
                <View className='small-button' id='class-change' onClick={() => setPickingClass(true)}>
                  <Text>换一个</Text>
                </View>
              ) : null}
            </View>
            <LoadState id='classes' loading={classes.loading} error={classes.error} hasData={!!classes.data} onRetry={() => void loadClasses()} loadingText='正在加载学习班…' />
            {classes.data && classes.data.length === 0 ? <Text className='muted'>当前没有可报名的学习班。</Text> : null}
            {currentClass && !pickingClass ? (
              <Text className='class-chosen' id='class-chosen'>
                {classLabel(currentClass)}
              </Text>
            ) : classes.data && classes.data.length ? (
              <Chips id='class' layout='vertical' value={classId} onChange={chooseClass} options={classes.data.map((c) => ({ value: c.id, label: classLabel(c) }))} />
            ) : null}
          </View>

          {classId ? (
            <View className='card'>
              <Text className='section-title'>第二步：勾选可报名的员工</Text>
              {currentClass ? (
                <Text className='muted class-scope' id='class-scope'>
                  只列本班类别的证书，其他类别的在名单最后。
                </Text>
              ) : null}
              <Chips
                id='filter'
                layout='segmented'
                value={filter}
                onChange={chooseFilter}
                options={[
                  { value: 'all', label: '全部', count: counts.total },
                  { value: 'eligible', label: '可报名', count: counts.eligible },
                  { value: 'blocked', label: '不可报名', count: counts.blocked },
                ]}
              />
              {filter !== 'eligible' && reasonChips.length ? (
                <View className='reason-filter' id='reason-filter'>
                  <View className='reason-filter__toggle' id='reason-toggle' onClick={() => setReasonsOpen(!reasonsOpen)}>
                    <Text>{activeReason ? `原因：${activeReason.label}` : `按不可报名原因筛选（${reasonChips.length} 种）`}</Text>
                    <Text className='reason-filter__arrow'>{reasonsOpen ? '收起 ▲' : '展开 ▼'}</Text>
                  </View>
                  {reasonsOpen ? <Chips id='reason' layout='vertical' value={reason} onChange={chooseReason} options={[{ value: '', label: '全部原因' }, ...reasonChips]} /> : null}
                </View>
              ) : null}
              <View className='search'>
                <Input
                  id='search'
                  className='search__input'
                  value={search}
                  placeholder='姓名'
                  placeholderClass='field__placeholder'
                  confirmType='search'
                  onInput={(e) => setSearch(e.detail.value)}
                  onConfirm={applySearch}
                />
                <View className='search__button' id='search-submit' onClick={applySearch}>
                  <Text>搜索</Text>
                </View>
              </View>
              {employees.data?.lastSyncedAt ? <Text className='muted'>证书数据更新于 {chinaDateTime(employees.data.lastSyncedAt)}</Text> : null}
              {selectableShown.length > 1 ? (
                <BigButton id='select-all' kind='secondary' onClick={() => selectAll(selectableShown)}>
                  {`勾选下方全部可报名的 ${selectableShown.length} 人`}
                </BigButton>
              ) : null}
            </View>
          ) : null}

          {classId ? <LoadState id='employees' loading={employees.loading} error={employees.error} hasData={!!employees.data} onRetry={() => void loadEmployees()} /> : null}
          {classId && employees.data && shown.length === 0 ? (
            <Text className='empty' id='employees-empty'>
              没有符合条件的员工证书
            </Text>
          ) : null}
          {classId ? shown.map(card) : null}
          {classId && view.otherCategory.length ? (
            <View className='card other-category' id='other-category'>
              <View className='reason-filter__toggle' id='other-category-toggle' onClick={() => setOthersOpen(!othersOpen)}>
                <Text>另有 {view.otherCategory.length} 张其他类别的证书，不能报本学习班</Text>
                <Text className='reason-filter__arrow'>{othersOpen ? '收起 ▲' : '查看 ▼'}</Text>
              </View>
            </View>
          ) : null}
          {classId && othersOpen ? view.otherCategory.map(card) : null}
        </View>
      ) : (
        <View id='enrollments-section'>
          <BigButton id='to-orders' kind='secondary' onClick={() => openPay(PAY_ROUTES.orders)}>
            我的订单与发票
          </BigButton>
          {unpaid.length ? (
            <BigButton id='pay-unpaid' onClick={() => payFor(unpaid.map((e) => e.id))}>
              {`为待缴费的 ${unpaid.length} 人缴费（${yuan(unpaid.reduce((sum, e) => sum + e.feeFen, 0))}）`}
            </BigButton>
          ) : null}
          <LoadState id='enterprise-enrollments' loading={enrollments.loading} error={enrollments.error} hasData={!!enrollments.data} onRetry={() => void loadEnrollments()} />
          {enrollments.data && enrollments.data.length === 0 ? (
            <Text className='empty' id='enterprise-enrollments-empty'>
              还没有报名记录
            </Text>
          ) : null}
          {enrollments.data?.map((e) => (
            <View className='card' key={e.id} id={`enterprise-enrollment-${e.id}`}>
              <View className='employee__head'>
                <Text className='employee__name'>{e.holderName}</Text>
                <Text className={`status status--${e.status}`}>{e.statusLabel}</Text>
              </View>
              <KeyValue label='学习班'>{e.className}</KeyValue>
              <KeyValue label='证书编号' code>
                {e.certificateNo}
              </KeyValue>
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
        <EnrollBar count={count} feeFen={currentClass?.feeFen} submitting={submitting} result={result} onEnroll={() => void enroll()} onDismiss={() => setResult(undefined)} onPay={payFor} />
      ) : null}
    </View>
  );
}
