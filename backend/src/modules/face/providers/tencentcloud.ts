/**
 * Tencent Cloud in production: IAI (人脸识别) DetectFace + CompareFace as the face engine, FaceID (人脸核身)
 * ImageRecognition for identity verification against the national record. Both speak API 3.0 (tc3.ts).
 */
import sharp from 'sharp';
import type { Config } from '../../../platform/config';
import { AppError } from '../../../platform/errors';
import { Tc3ApiError, tc3Call, type Tc3Credentials } from './tc3';
import type { FaceDetection, FaceProvider } from './types';

const IAI = { service: 'iai', version: '2020-03-03' };
const FACEID = { service: 'faceid', version: '2018-03-01' };
/** Answers that mean "no face here" rather than "the service failed". */
const NO_FACE_CODES = new Set(['FailedOperation.ImageFacedetectFailed', 'InvalidParameterValue.NoFaceInPhoto']);
const UNREADABLE_CODES = new Set(['FailedOperation.ImageDecodeFailed', 'InvalidParameterValue.ImageEmpty']);

type TencentConfig = Pick<Config, 'TENCENTCLOUD_IAI_ENDPOINT' | 'TENCENTCLOUD_FACEID_ENDPOINT' | 'TENCENTCLOUD_SECRET_ID' | 'TENCENTCLOUD_SECRET_KEY' | 'TENCENTCLOUD_REGION'>;

function credentialsOf(config: TencentConfig): Tc3Credentials {
  if (!config.TENCENTCLOUD_SECRET_ID || !config.TENCENTCLOUD_SECRET_KEY) throw new AppError('FACE_SERVICE_UNAVAILABLE');
  return { secretId: config.TENCENTCLOUD_SECRET_ID, secretKey: config.TENCENTCLOUD_SECRET_KEY };
}

/** Network failures and the provider's own errors (other than the expected answers) read as "unavailable". */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError || error instanceof Tc3ApiError) throw error;
    throw Object.assign(new AppError('FACE_SERVICE_UNAVAILABLE'), { cause: error });
  }
}

async function sizeOf(photo: Buffer): Promise<{ width: number; height: number } | undefined> {
  try {
    const meta = await sharp(photo).metadata();
    const turned = (meta.orientation ?? 1) >= 5;
    return meta.width && meta.height ? { width: turned ? meta.height : meta.width, height: turned ? meta.width : meta.height } : undefined;
  } catch {
    return undefined;
  }
}

interface DetectFaceResponse {
  ImageWidth: number;
  ImageHeight: number;
  FaceInfos: { X: number; Y: number; Width: number; Height: number }[];
}

export function createTencentFaceProvider(config: TencentConfig): FaceProvider {
  let completed = 0;
  const call = <T>(action: string, payload: object) =>
    guarded(async () => {
      const answer = await tc3Call<T>({ endpoint: config.TENCENTCLOUD_IAI_ENDPOINT, ...IAI, action, region: config.TENCENTCLOUD_REGION, credentials: credentialsOf(config), payload });
      completed++;
      return answer;
    });
  return {
    name: 'tencentcloud',
    async detect(photo): Promise<FaceDetection> {
      const size = await sizeOf(photo);
      if (!size) return { readable: false, width: 0, height: 0, faces: [] };
      try {
        const answer = await call<DetectFaceResponse>('DetectFace', { Image: photo.toString('base64'), MaxFaceNum: 5, NeedFaceAttributes: 0, NeedQualityDetection: 0, FaceModelVersion: '3.0' });
        return { readable: true, width: answer.ImageWidth, height: answer.ImageHeight, faces: answer.FaceInfos.map((f) => ({ x: f.X, y: f.Y, width: f.Width, height: f.Height })) };
      } catch (error) {
        if (error instanceof Tc3ApiError && NO_FACE_CODES.has(error.code)) return { readable: true, ...size, faces: [] };
        if (error instanceof Tc3ApiError && UNREADABLE_CODES.has(error.code)) return { readable: false, width: 0, height: 0, faces: [] };
        throw unavailable(error);
      }
    },
    async compare(reference, probe) {
      try {
        const answer = await call<{ Score: number }>('CompareFace', { ImageA: reference.bytes.toString('base64'), ImageB: probe.bytes.toString('base64'), FaceModelVersion: '3.0', QualityControl: 0 });
        return answer.Score;
      } catch (error) {
        // A face the provider cannot find in either photo: not the same person as far as it can tell.
        if (error instanceof Tc3ApiError && NO_FACE_CODES.has(error.code)) return 0;
        throw unavailable(error);
      }
    },
    stats: () => ({ completed, queued: 0, refusedBusy: 0 }),
    async close() {},
  };
}

function unavailable(error: unknown): AppError {
  return error instanceof AppError ? error : Object.assign(new AppError('FACE_SERVICE_UNAVAILABLE'), { cause: error });
}

/** What the national-record check says: FaceID's `Result` code, its similarity (0-100) and its description. */
export interface IdentityAnswer {
  result: string;
  similarity: number;
  description: string;
}

/** 实名核身: name + ID number + a live photo, checked by the provider against the national ID photo. */
export interface IdentityProvider {
  readonly name: string;
  verify(input: { name: string; idNumber: string; photo: Buffer }): Promise<IdentityAnswer>;
}

export function createFaceIdProvider(config: TencentConfig): IdentityProvider {
  return {
    name: 'tencentcloud',
    verify: (input) =>
      guarded(async () => {
        try {
          const answer = await tc3Call<{ Sim: number; Result: string; Description: string }>({
            endpoint: config.TENCENTCLOUD_FACEID_ENDPOINT,
            ...FACEID,
            action: 'ImageRecognition',
            region: config.TENCENTCLOUD_REGION,
            credentials: credentialsOf(config),
            payload: { IdCard: input.idNumber, Name: input.name, ImageBase64: input.photo.toString('base64') },
          });
          return { result: answer.Result, similarity: answer.Sim, description: answer.Description };
        } catch (error) {
          throw unavailable(error);
        }
      }),
  };
}
