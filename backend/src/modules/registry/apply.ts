import mongoose, { Types, type mongo } from 'mongoose';
import { CertificateModel, EnterpriseModel, PersonModel } from './data';
import type { RegistryListener } from './index';
import type { Stopwatch } from './stopwatch';
import { OPTIONAL_CERTIFICATE_FIELDS, type CertificateWrite, type EnterpriseWrite, type PersonWrite, type PlannedBatch } from './plan';

// Writes the listener makes with mongoose inside `connection.transaction` join that transaction without being
// handed the session: accounts change together with the enterprises they follow, or not at all.
mongoose.set('transactionAsyncLocalStorage', true);

/**
 * Writes go through the driver's collections: every document is validated and shaped when planned, and
 * mongoose casting it again would cost about as much as writing it.
 */
type Write = mongo.AnyBulkWriteOperation<mongo.Document>;

function personWrites(writes: PersonWrite[]): Write[] {
  return writes.map((w) =>
    'insert' in w
      ? { insertOne: { document: { ...w.insert, _id: new Types.ObjectId(w.insert._id) } } }
      : { updateOne: { filter: { _id: new Types.ObjectId(w.rename._id) }, update: { $set: { name: w.rename.name } } } },
  );
}

function enterpriseWrites(writes: EnterpriseWrite[], now: Date): Write[] {
  return writes.map((w) =>
    'insert' in w
      ? { insertOne: { document: { ...w.insert, syncedAt: now } } }
      : { updateOne: { filter: { uscc: w.update.uscc }, update: { $set: { ...w.update, syncedAt: now } } } },
  );
}

function certificateWrites(writes: CertificateWrite[], now: Date): Write[] {
  return writes.map((w) => {
    if ('insert' in w) return { insertOne: { document: { ...w.insert, personId: new Types.ObjectId(w.insert.personId), syncedAt: now } } };
    const { _id, fields, transferredFrom } = w.update;
    const set: mongo.Document = { ...fields, personId: new Types.ObjectId(fields.personId), syncedAt: now };
    if (transferredFrom) Object.assign(set, { previousEnterpriseUscc: transferredFrom, transferredAt: now });
    const unset = OPTIONAL_CERTIFICATE_FIELDS.filter((f) => fields[f] === undefined);
    const update = unset.length ? { $set: set, $unset: Object.fromEntries(unset.map((f) => [f, 1])) } : { $set: set };
    return { updateOne: { filter: { _id: new Types.ObjectId(_id) }, update } };
  });
}

async function writePersons(writes: PersonWrite[]): Promise<void> {
  if (writes.length) await PersonModel.collection.bulkWrite(personWrites(writes), { ordered: false });
}

/** Enterprises and the listener (accounts) in one transaction, so neither changes without the other. */
async function writeEnterprisesAndTell(batch: PlannedBatch, listener: RegistryListener, now: Date): Promise<void> {
  if (!batch.enterprises.length) return;
  await mongoose.connection.transaction(async (session) => {
    await EnterpriseModel.collection.bulkWrite(enterpriseWrites(batch.enterprises, now), { ordered: true, session });
    await listener.enterprisesSeen(batch.seen);
  });
}

async function writeCertificates(writes: CertificateWrite[], now: Date): Promise<void> {
  if (writes.length) await CertificateModel.collection.bulkWrite(certificateWrites(writes, now), { ordered: false });
}

async function allSettled(work: Promise<void>[]): Promise<void> {
  for (const outcome of await Promise.allSettled(work)) if (outcome.status === 'rejected') throw outcome.reason;
}

/**
 * Writes planned batches in order: per batch one bulkWrite per collection. A batch's certificates go after
 * its persons and enterprises: a certificate stored with its new content hash is what tells the next run
 * that line is done, so after a crash the next run redoes every line whose persons or enterprise might be
 * missing. Meanwhile the next batch's persons and enterprises are already being written.
 */
export class BatchWriter {
  private certificatesInFlight: Promise<void> = Promise.resolve();

  constructor(
    private readonly listener: RegistryListener,
    private readonly stopwatch: Stopwatch,
  ) {}

  async write(batch: PlannedBatch, now: Date): Promise<void> {
    await allSettled([
      this.stopwatch.time('writePersons', () => writePersons(batch.persons)),
      this.stopwatch.time('writeEnterprisesAndListener', () => writeEnterprisesAndTell(batch, this.listener, now)),
    ]);
    await this.certificatesInFlight;
    this.certificatesInFlight = this.stopwatch.time('writeCertificates', () => writeCertificates(batch.certificates, now));
    this.certificatesInFlight.catch(() => undefined); // awaited by the next write or by finish
  }

  /** Waits for the last batch's certificates. */
  async finish(): Promise<void> {
    await this.certificatesInFlight;
  }
}
