import type {
  CreateOrderRequest,
  InvoiceProfile,
  InvoiceProfileRequest,
  InvoiceSummary,
  OrderCheckResponse,
  OrderDetail,
  OrderSummary,
  PayOrderResponse,
  OnlinePaymentMethod,
} from '@ce/types';
import { API_BASE, ApiError, query, request } from '../api/client';

/**
 * Every call the payment pages make, in one place (the contract: types/src/api/orders.ts and invoices.ts).
 * Pages never build these paths themselves.
 */
export const ordersApi = {
  /** The payer's saved 发票信息, or undefined when none is saved yet. */
  async invoiceProfile(): Promise<InvoiceProfile | undefined> {
    try {
      const res = await request<{ profile?: InvoiceProfile | null } | InvoiceProfile | null>('GET', '/api/invoice-profile');
      if (!res) return undefined;
      return 'profile' in res ? (res.profile ?? undefined) : (res as InvoiceProfile);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return undefined;
      throw e;
    }
  },
  saveInvoiceProfile: (profile: InvoiceProfileRequest) => request<InvoiceProfile>('PUT', '/api/invoice-profile', profile),

  createOrder: (body: CreateOrderRequest) => request<OrderDetail>('POST', '/api/orders', body),
  async listOrders(): Promise<OrderSummary[]> {
    return (await request<{ items: OrderSummary[] }>('GET', '/api/orders')).items;
  },
  order: (id: string) => request<OrderDetail>('GET', `/api/orders/${encodeURIComponent(id)}`),
  pay: (id: string, method: OnlinePaymentMethod) => request<PayOrderResponse>('POST', `/api/orders/${encodeURIComponent(id)}/pay`, { method }),
  /** 支付遇到问题? — the backend asks WeChat Pay and answers the real state. */
  check: (id: string) => request<OrderCheckResponse>('GET', `/api/orders/${encodeURIComponent(id)}/check`),

  async listInvoices(): Promise<InvoiceSummary[]> {
    return (await request<{ items: InvoiceSummary[] }>('GET', '/api/invoices')).items;
  },
  resendInvoice: (id: string, email?: string) => request<unknown>('POST', `/api/invoices/${encodeURIComponent(id)}/resend`, email ? { email } : {}),
};

/** The PDF's address (opened in a new tab in the browser; downloaded with the session's token in WeChat). */
export function invoicePdfUrl(id: string): string {
  return `${API_BASE}/api/invoices/${encodeURIComponent(id)}/pdf${query({})}`;
}
