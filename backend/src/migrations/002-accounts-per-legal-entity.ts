import type { Db, Document, ObjectId } from 'mongodb';
import type { Migration } from '../platform/migrations';

/**
 * Enterprise accounts used to be one per login name ({province, loginId} unique, status ACTIVE/RENAMED): a
 * rename created a new account on which the public initial password worked again, a new enterprise imported
 * under another's former name took that old account over, and of two same-name enterprises only the first got
 * one. Now an account is the legal entity's: one per province and credit code, with its current name, the
 * keys of its former names and the password it set. This migration:
 * - merges each enterprise's documents into one, keeping the most recently created password hash and the
 *   registry's current name and city, and remembering the other names as former names;
 * - creates the missing accounts of enterprises the registry holds (e.g. the second of two same-name ones);
 * - drops the old unique index on the login name, which would refuse same-name enterprises;
 * - marks existing learner bindings PROVISIONAL (every one was made with the initial password);
 * - empties the old per-process lockout bookkeeping (`loginthrottles`; limits now live in `ratelimits`).
 * It reads the raw collections (the models may change later) and writes the new shape written out here.
 */

interface OldEnterpriseAccount {
  _id: ObjectId;
  province: string;
  loginId?: string;
  enterpriseUscc: string;
  enterpriseName: string;
  status?: 'ACTIVE' | 'RENAMED';
  passwordHash?: string;
  createdAt?: Date;
}

interface RegistryEnterprise {
  uscc: string;
  name: string;
  province: string;
  city: string;
}

/** The same key accounts/enterprise-accounts.ts compares names with (written out: a migration must not change meaning). */
function nameKey(name: string): string {
  return name.normalize('NFKC').replace(/\s+/gu, '').toUpperCase();
}

function newestFirst(a: OldEnterpriseAccount, b: OldEnterpriseAccount): number {
  return (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0);
}

function mergedAccount(docs: OldEnterpriseAccount[], registry: RegistryEnterprise | undefined) {
  const sorted = [...docs].sort(newestFirst);
  const name = registry?.name ?? (sorted.find((d) => d.status !== 'RENAMED') ?? sorted[0]).enterpriseName;
  const keeper = sorted.find((d) => d.enterpriseName === name) ?? sorted[0];
  const formerNameKeys = [...new Set(docs.map((d) => nameKey(d.enterpriseName)))].filter((k) => k !== nameKey(name));
  return {
    keeper,
    others: docs.filter((d) => !d._id.equals(keeper._id)),
    set: {
      enterpriseName: name,
      nameKey: nameKey(name),
      formerNameKeys,
      ...(registry ? { city: registry.city } : {}),
      ...(sorted.find((d) => d.passwordHash) ? { passwordHash: sorted.find((d) => d.passwordHash)!.passwordHash } : {}),
      createdAt: sorted[sorted.length - 1].createdAt ?? new Date(0),
    },
  };
}

async function dropIndexIfPresent(db: Db, collection: string, name: string): Promise<boolean> {
  const indexes = await db.collection(collection).indexes().catch(() => [] as Document[]);
  if (!indexes.some((i) => i.name === name)) return false;
  await db.collection(collection).dropIndex(name);
  return true;
}

async function mergeEnterpriseAccounts(db: Db, now: Date): Promise<{ merged: number; created: number }> {
  const accounts = db.collection<OldEnterpriseAccount>('enterpriseaccounts');
  const registry = new Map((await db.collection<RegistryEnterprise>('enterprises').find({}).toArray()).map((e) => [e.uscc, e]));
  const groups = new Map<string, OldEnterpriseAccount[]>();
  for (const doc of await accounts.find({}).toArray()) {
    const key = `${doc.province}|${doc.enterpriseUscc}`;
    groups.set(key, [...(groups.get(key) ?? []), doc]);
  }
  let merged = 0;
  for (const docs of groups.values()) {
    const enterprise = registry.get(docs[0].enterpriseUscc);
    const { keeper, others, set } = mergedAccount(docs, enterprise?.province === docs[0].province ? enterprise : undefined);
    await accounts.updateOne({ _id: keeper._id }, { $set: set, $unset: { loginId: '', status: '', renamedTo: '' } });
    if (others.length) await accounts.deleteMany({ _id: { $in: others.map((d) => d._id) } });
    merged += others.length;
  }
  let created = 0;
  for (const enterprise of registry.values()) {
    if (groups.has(`${enterprise.province}|${enterprise.uscc}`)) continue;
    await accounts.insertOne({
      province: enterprise.province,
      enterpriseUscc: enterprise.uscc,
      enterpriseName: enterprise.name,
      nameKey: nameKey(enterprise.name),
      formerNameKeys: [],
      city: enterprise.city,
      createdAt: now,
    } as unknown as OldEnterpriseAccount);
    created += 1;
  }
  return { merged, created };
}

export const accountsPerLegalEntity: Migration = {
  name: '002-accounts-per-legal-entity',
  async up({ db, clock, logger }) {
    // First: while it exists, a merged account renamed to a name another account holds would be refused.
    const droppedIndex = await dropIndexIfPresent(db, 'enterpriseaccounts', 'province_1_loginId_1');
    const { merged, created } = await mergeEnterpriseAccounts(db, clock.now());
    const learners = await db.collection('learneraccounts').find({ binding: { $exists: false } }).toArray();
    for (const learner of learners) {
      await db.collection('learneraccounts').updateOne(
        { _id: learner._id, binding: { $exists: false } },
        { $set: { binding: { state: 'PROVISIONAL', since: learner.createdAt ?? new Date(0), proof: 'INITIAL_PASSWORD' } } },
      );
    }
    await db.collection('loginthrottles').deleteMany({});
    logger.info({ droppedIndex, mergedAway: merged, created, learnerBindings: learners.length }, 'accounts: one per legal entity, bindings provisional');
  },
};
