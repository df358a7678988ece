/**
 * The face engine behind every face check: the local engine (@vladmandic/human in worker threads) by default,
 * Tencent Cloud IAI (DetectFace + CompareFace) in production. Scores are on the provider's own 0-100 scale;
 * the threshold that decides "same person" is policy (face.matchThresholds[provider name]).
 */
export type FaceProviderName = 'local' | 'tencentcloud';

export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface FaceDetection {
  /** False when the bytes are not an image the engine can read. */
  readable: boolean;
  width: number;
  height: number;
  faces: FaceBox[];
  /**
   * What `compare` can use instead of the photo next time (the local engine's face embedding), when exactly one
   * face was found. Providers without one leave it out.
   */
  template?: number[];
}

/** A photo to compare, with its template when one was kept (e.g. stored with the avatar). */
export interface FacePhoto {
  bytes: Buffer;
  template?: number[];
}

export interface FaceEngineStats {
  /** Checks (detections and comparisons) that ran, since the process started. */
  completed: number;
  /** Waiting now for a worker. */
  queued: number;
  /** Refused because the queue was full. */
  refusedBusy: number;
}

export interface FaceProvider {
  readonly name: FaceProviderName;
  /** Faces in one photo; throws AppError FACE_BUSY when the queue is full, FACE_SERVICE_UNAVAILABLE when down. */
  detect(photo: Buffer): Promise<FaceDetection>;
  /** How alike the faces of two single-face photos are (0-100, the provider's scale). */
  compare(reference: FacePhoto, probe: FacePhoto): Promise<number>;
  stats(): FaceEngineStats;
  close(): Promise<void>;
}
