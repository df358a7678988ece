import Taro from '@tarojs/taro';
import type { OfflineTransferRequest, OfflineTransferView, OrderSummary } from '@ce/types';
import { API_BASE, ApiError, NETWORK_ERROR_MESSAGE, authHeader, request } from '../api/client';

/** 线下对公转账 calls (types/src/api/orders.ts: POST/GET /api/orders/:id/offline-transfers). */
export const transferApi = {
  async transfers(orderId: string): Promise<OfflineTransferView[]> {
    return (await request<{ items: OfflineTransferView[] }>('GET', `/api/orders/${encodeURIComponent(orderId)}/offline-transfers`)).items;
  },
  /** 提交转账信息: JSON without a slip; multipart with the slip photo (field `slip`) when one was chosen. */
  async submitTransfer(orderId: string, details: OfflineTransferRequest, slipPath?: string): Promise<{ transfer: OfflineTransferView; order: OrderSummary }> {
    const path = `/api/orders/${encodeURIComponent(orderId)}/offline-transfers`;
    if (!slipPath) return request('POST', path, details);
    const formData: Record<string, string> = {};
    for (const [k, v] of Object.entries(details)) if (v !== undefined && v !== '') formData[k] = String(v);
    let res: Taro.uploadFile.SuccessCallbackResult;
    try {
      res = await Taro.uploadFile({ url: `${API_BASE}${path}`, filePath: slipPath, name: 'slip', formData, header: authHeader() });
    } catch {
      throw new ApiError(0, 'NETWORK_ERROR', NETWORK_ERROR_MESSAGE);
    }
    let data: unknown = res.data;
    try {
      data = JSON.parse(res.data);
    } catch {
      /* not JSON */
    }
    if (res.statusCode >= 200 && res.statusCode < 300) return data as { transfer: OfflineTransferView; order: OrderSummary };
    const body = (data ?? {}) as { code?: string; message?: string; details?: unknown };
    throw new ApiError(res.statusCode, (body.code ?? 'BAD_RESPONSE') as never, body.message ?? `提交失败（${res.statusCode}）`, body.details);
  },

};
