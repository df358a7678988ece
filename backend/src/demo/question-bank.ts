import type { RawQuestion } from '../modules/exams';

/**
 * The demo classes' question bank: a few real site-safety questions of each type, repeated as numbered review
 * rounds so the bank holds enough of each type for the built-in profiles' papers (40 single, 20 multiple,
 * 20 judge). Demo content only; a real bank is imported by the operator.
 */
const SINGLE: [string, string[], string][] = [
  ['高处作业是指在坠落高度基准面（　）及以上有可能坠落的高处进行的作业。', ['1 m', '2 m', '3 m', '5 m'], 'B'],
  ['施工现场专用的中性点直接接地的低压电力系统，必须采用（　）接零保护系统。', ['TN-S', 'TN-C', 'TT', 'IT'], 'A'],
  ['生产经营单位的（　）对本单位的安全生产工作全面负责。', ['主要负责人', '安全员', '项目经理', '技术负责人'], 'A'],
  ['作业层上的施工荷载应符合设计要求，不得（　）。', ['超载', '堆放材料', '站人', '铺设脚手板'], 'A'],
  ['施工现场临时消防车道的净宽度不应小于（　）。', ['2 m', '3 m', '4 m', '6 m'], 'C'],
  ['开挖深度超过（　）（含）的基坑工程，属于危险性较大的分部分项工程。', ['2 m', '3 m', '5 m', '8 m'], 'B'],
  ['特种作业人员必须经专门的安全技术培训并考核合格，取得（　）后方可上岗作业。', ['特种作业操作证', '毕业证书', '职称证书', '健康证明'], 'A'],
  ['从业人员发现直接危及人身安全的紧急情况时，有权（　）。', ['停止作业或者在采取可能的应急措施后撤离作业场所', '继续作业', '等待领导批准后再离开', '请假回家'], 'A'],
  ['施工现场的每台用电设备应有各自专用的（　）。', ['开关箱', '分配电箱', '总配电箱', '插座'], 'A'],
  ['塑料安全帽的使用期限，从产品制造完成之日起计算，不超过（　）。', ['1 年', '2.5 年', '5 年', '10 年'], 'B'],
];
const MULTIPLE: [string, string[], string][] = [
  ['施工现场的“三宝”是指（　）。', ['安全帽', '安全带', '安全网', '手套'], 'ABC'],
  ['生产安全事故一般分为（　）。', ['特别重大事故', '重大事故', '较大事故', '一般事故'], 'ABCD'],
  ['下列属于“四口”防护的是（　）。', ['楼梯口', '电梯井口', '预留洞口', '通道口'], 'ABCD'],
  ['临时用电“三级配电”是指（　）。', ['总配电箱', '分配电箱', '开关箱', '移动插座'], 'ABC'],
  ['下列人员中属于建筑施工特种作业人员的是（　）。', ['建筑电工', '建筑架子工', '建筑起重信号司索工', '钢筋工'], 'ABC'],
];
const JUDGE: [string, string][] = [
  ['安全带应高挂低用。', '对'],
  ['安全网只要挂上即可，不必检查是否合格。', '错'],
  ['进入施工现场必须正确佩戴安全帽。', '对'],
  ['遇六级及以上强风时，应停止露天高处作业。', '对'],
  ['脚手架的连墙件可以在作业中随意拆除。', '错'],
  ['未经安全生产教育和培训合格的从业人员，不得上岗作业。', '对'],
  ['施工现场可以用铁丝代替熔断器的熔丝。', '错'],
  ['生产经营单位可以与从业人员订立协议，免除其因生产安全事故伤亡依法应承担的责任。', '错'],
  ['安全技术交底应有书面记录，交底双方签字确认。', '对'],
  ['氧气瓶与乙炔瓶的工作间距不应小于 5 m。', '对'],
];

const round = (n: number, stem: string) => (n === 1 ? stem : `（复习${n}）${stem}`);

function rounds<T>(items: T[], times: number, make: (item: T, n: number) => RawQuestion): RawQuestion[] {
  return Array.from({ length: times }, (_, i) => items.map((item) => make(item, i + 1))).flat();
}

export const DEMO_QUESTIONS: RawQuestion[] = [
  ...rounds(SINGLE, 4, ([stem, options, answer], n) => ({ type: '单选', stem: round(n, stem), options, answer: [answer] })),
  ...rounds(MULTIPLE, 4, ([stem, options, answer], n) => ({ type: '多选', stem: round(n, stem), options, answer: [answer] })),
  ...rounds(JUDGE, 2, ([stem, answer], n) => ({ type: '判断', stem: round(n, stem), options: [], answer: [answer] })),
];
