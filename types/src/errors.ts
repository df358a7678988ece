/**
 * Every error leaves the backend as `{ code, message, details? }`: `code` is stable for programs,
 * `message` is Chinese for the person in front of the screen.
 */
export const ERROR_MESSAGES = {
  VALIDATION_FAILED: '提交的信息有误，请检查后重试',
  MALFORMED_JSON: '请求格式错误（不是合法的 JSON）',
  PAYLOAD_TOO_LARGE: '提交的内容过大',
  UNSUPPORTED_MEDIA_TYPE: '请求格式不受支持，请使用 JSON',
  NOT_FOUND: '请求的内容不存在',
  UNAUTHENTICATED: '请先登录',
  SESSION_EXPIRED: '登录已过期，请重新登录',
  SESSION_REPLACED: '您的账号已在其他设备登录，本设备已退出',
  BINDING_REPLACED: '该学员身份已由本人通过企业激活码（或实名核身）完成核验，本微信的绑定已解除。如有疑问请联系所在企业',
  FORBIDDEN: '您没有权限进行此操作',
  PASSWORD_CHANGE_REQUIRED: '首次登录请先修改初始密码',
  INVALID_CREDENTIALS: '账号或密码错误',
  ACCOUNT_LOCKED: '密码错误次数过多，账号已临时锁定，请稍后再试',
  ACCOUNT_RENAMED: '企业名称已变更，请使用新企业名称登录',
  ACCOUNT_AMBIGUOUS: '有多家企业使用该名称，请同时输入统一社会信用代码',
  LEARNER_BIND_FAILED: '姓名、身份证号或密码（激活码）不正确。如您从未改过密码却无法绑定，您的证书可能已被他人绑定，请向所在企业申请激活码',
  RATE_LIMITED: '操作过于频繁，请稍后再试',
  WEAK_PASSWORD: '新密码至少8位，且须同时包含字母和数字',
  PASSWORD_UNCHANGED: '新密码不能与初始密码或原密码相同',
  PASSWORD_GUESSABLE: '新密码过于简单或包含您的公开信息（如信用代码、身份证号、姓名），请换一个',
  WECHAT_LOGIN_FAILED: '微信登录失败，请重试',
  WECHAT_CODE_INVALID: '微信登录凭证无效或已过期，请重新打开小程序后再试',
  NOT_BOUND: '请先绑定身份证号',
  PERSON_NOT_FOUND: '未找到该身份证号的证书信息，请核对后重试',
  CLASS_NOT_FOUND: '学习班不存在',
  CLASS_NAME_TAKEN: '本省已有同名学习班，请换一个名称',
  CATEGORY_NOT_SERVED: '本省不开设该类别的学习班',
  ENROLLMENT_REJECTED: '部分人员不符合报名条件，本次报名未提交',
  PROVINCE_NOT_SUPPORTED: '暂不支持该省份',
  ORDER_NOT_FOUND: '订单不存在',
  ENROLLMENT_NOT_PAYABLE: '所选报名中有无法下单的记录（不属于您、已支付、已取消或不存在）',
  ENROLLMENT_IN_OPEN_ORDER: '所选报名已在另一个未关闭的订单中，请先支付或取消该订单',
  INVOICE_PROFILE_REQUIRED: '请先填写发票信息',
  PERSONAL_ENROLLMENT_NOT_ALLOWED: '本地区暂不支持学员自己报名缴费，请由证书所在企业为您报名缴费',
  CERTIFICATE_NOT_YOURS: '该证书不是您本人的证书，只能为自己的证书报名',
  PERSONAL_INVOICE_TITLE: '个人缴费只能开具普票，发票抬头为本人姓名，无需纳税人识别号',
  PAYER_REENTRY_REQUIRED: '请再次输入付款单位的企业名称和纳税人识别号以确认',
  PAYER_REENTRY_MISMATCH: '再次输入的企业名称或纳税人识别号与发票信息不一致，请核对',
  ORDER_NOT_PAYABLE: '该订单当前不能支付（已支付、已关闭或正在审核）',
  PAYMENT_METHOD_NOT_ALLOWED: '该支付方式在此不可用',
  PAYMENT_IN_PROGRESS: '该订单可能已在支付中，请先点“支付遇到问题？”查询结果，切勿重复支付',
  INVOICE_NOT_FOUND: '发票不存在',
  CONFLICT: '数据已被修改，请刷新后重试',
  FILE_TOO_LARGE: '文件过大，请压缩后重新上传',
  FILE_TYPE_NOT_ALLOWED: '文件类型不受支持，请上传 JPG、PNG 图片或 PDF 文件',
  FILE_LINK_INVALID: '文件链接无效或已过期，请刷新页面后重新打开',
  OFFLINE_TRANSFER_NOT_OFFERED: '本地区不支持线下对公转账，请使用微信支付',
  TRANSFER_AMOUNT_MISMATCH: '转账金额与订单金额不一致，请核对后重新提交',
  OFFLINE_TRANSFER_NOT_FOUND: '转账记录不存在',
  OFFLINE_TRANSFER_ALREADY_REVIEWED: '该转账记录已审核，请刷新后查看',
  ORDER_NOT_REFUNDABLE: '该订单当前不能退款（仅已通过微信支付的订单可退款）',
  REFUND_AMOUNT_EXCEEDED: '退款金额超过可退金额',
  INTERNAL: '系统繁忙，请稍后再试',
  SERVICE_UNAVAILABLE: '服务暂不可用，请稍后再试',
} as const;

export type ErrorCode = keyof typeof ERROR_MESSAGES;

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: unknown;
}
