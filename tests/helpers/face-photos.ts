import { readFile } from 'node:fs/promises';
import sharp from 'sharp';

/**
 * Real face photos, built at test time from files Debian ships (nothing with an unclear licence is committed):
 * - `facedetect`: Grace Hopper (public domain, one face) and an iceberg (no face);
 * - `python3-skimage`: the astronaut Eileen Collins (NASA, public domain, one face): the different person.
 * "The same person in another photo" is Grace Hopper's portrait changed for real: mirrored, cropped, rescaled,
 * darker and recompressed (no second photo of her ships in Debian).
 */
export const PHOTO_SOURCES = {
  hopper: '/usr/share/doc/facedetect/examples/grace_hopper_512x512.jpg',
  iceberg: '/usr/share/doc/facedetect/examples/640px-IceBlockNearJoekullsarlon.jpg',
  astronaut: '/usr/lib/python3/dist-packages/skimage/data/astronaut.png',
};

export interface FacePhotos {
  /** Grace Hopper, 512×512, one face: the avatar. */
  hopper: Buffer;
  /** Grace Hopper again: mirrored, cropped to 400×400 and scaled to 360, 15% darker, JPEG quality 70. */
  hopperAgain: Buffer;
  /** Eileen Collins, one face: somebody else. */
  astronaut: Buffer;
  /** An iceberg: no face. */
  noFace: Buffer;
  /** Hopper and Collins side by side. */
  twoFaces: Buffer;
  /** Hopper at 200×200: too small for an avatar. */
  tiny: Buffer;
  /** Hopper far away: her portrait at 200 px on a 900×900 grey wall (the face about a tenth of the photo). */
  farAway: Buffer;
  /** Not an image at all, though it starts like a JPEG. */
  broken: Buffer;
}

let built: Promise<FacePhotos> | undefined;

async function build(): Promise<FacePhotos> {
  const [hopper, astronautPng, iceberg] = await Promise.all([readFile(PHOTO_SOURCES.hopper), readFile(PHOTO_SOURCES.astronaut), readFile(PHOTO_SOURCES.iceberg)]);
  const astronaut = await sharp(astronautPng).jpeg({ quality: 90 }).toBuffer();
  const hopperAgain = await sharp(hopper).flop().extract({ left: 60, top: 30, width: 400, height: 400 }).resize(360).modulate({ brightness: 0.85 }).jpeg({ quality: 70 }).toBuffer();
  const left = await sharp(hopper).resize(400, 400).toBuffer();
  const right = await sharp(astronautPng).resize(400, 400).toBuffer();
  const twoFaces = await sharp({ create: { width: 800, height: 400, channels: 3, background: '#ffffff' } })
    .composite([{ input: left, left: 0, top: 0 }, { input: right, left: 400, top: 0 }])
    .jpeg()
    .toBuffer();
  const tiny = await sharp(hopper).resize(200, 200).jpeg().toBuffer();
  const farAway = await sharp({ create: { width: 900, height: 900, channels: 3, background: '#f4f4f4' } })
    .composite([{ input: tiny, left: 350, top: 300 }])
    .jpeg()
    .toBuffer();
  const broken = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 7)]);
  return { hopper, hopperAgain, astronaut, noFace: iceberg, twoFaces, tiny, farAway, broken };
}

export function facePhotos(): Promise<FacePhotos> {
  built ??= build();
  return built;
}
