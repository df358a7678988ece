import type { KeyObject } from 'node:crypto';
import { publicKeyFrom } from './crypto';

/**
 * The keys WeChat Pay signs with, by the serial it names in `Wechatpay-Serial`.
 * - certificate mode: platform certificates downloaded from /v3/certificates; during a rotation several serials
 *   are valid at once, so every downloaded certificate is kept until a download no longer lists it.
 * - public-key mode (merchants registered since late 2024): one WeChat Pay public key, `PUB_KEY_ID_…`.
 */
export interface VerificationKeys {
  readonly mode: 'certificate' | 'publicKey';
  keyFor(serial: string): KeyObject | undefined;
  /** Certificate mode: downloads the current certificates (one download at a time, and not too often). */
  refresh(): Promise<void>;
  knownSerials(): string[];
}

export function publicKeyVerification(publicKeyId: string, publicKeyPem: string): VerificationKeys {
  const key = publicKeyFrom(publicKeyPem);
  return {
    mode: 'publicKey',
    keyFor: (serial) => (serial === publicKeyId ? key : undefined),
    refresh: async () => undefined,
    knownSerials: () => [publicKeyId],
  };
}

export interface PlatformCertificate {
  serial: string;
  pem: string;
}

export interface RefreshPolicy {
  /** Downloads asked for by an unknown serial come at most this often (probes must not make us hammer WeChat Pay). */
  minIntervalMs: number;
  nowMs: () => number;
}

export function certificateVerification(download: () => Promise<PlatformCertificate[]>, policy: RefreshPolicy): VerificationKeys & { forceRefresh(): Promise<void> } {
  let keys = new Map<string, KeyObject>();
  let downloading: Promise<void> | undefined;
  let lastDownloadAt = Number.NEGATIVE_INFINITY;
  const accept = (certificates: PlatformCertificate[]) => {
    keys = new Map(certificates.map((c) => [c.serial, publicKeyFrom(c.pem)]));
  };
  const forceRefresh = () => {
    downloading ??= download()
      .then(accept)
      .finally(() => {
        lastDownloadAt = policy.nowMs();
        downloading = undefined;
      });
    return downloading;
  };
  return {
    mode: 'certificate',
    keyFor: (serial) => keys.get(serial),
    knownSerials: () => [...keys.keys()],
    forceRefresh,
    async refresh() {
      if (downloading) return downloading;
      if (policy.nowMs() - lastDownloadAt < policy.minIntervalMs) return;
      return forceRefresh();
    },
  };
}
