import mongoose from 'mongoose';
import { provincePolicy } from '@ce/types';

const db = () => mongoose.connection.db!;

/** Replaces the policies with ones of an older shape and forgets `migration` ran: the backend's next start applies it. */
export async function plantOldPolicies(oldPolicies: object[], migration: string): Promise<void> {
  await db().collection('policies').deleteMany({});
  await db().collection('policies').insertMany(oldPolicies.map((p) => ({ ...p })));
  await db().collection('migrations').deleteMany({ migrationName: migration });
}

/** The policies as stored, each checked to parse as the contract's provincePolicy: their settings by province. */
export async function migratedSettings(): Promise<Record<string, any>> {
  const stored = await db().collection('policies').find({}).toArray();
  for (const { province, name, settings, cityOverrides, categories } of stored) {
    expect(provincePolicy.safeParse({ province, name, settings, cityOverrides, categories }).success).toBe(true);
  }
  return Object.fromEntries(stored.map((p) => [p.province, p.settings]));
}
