import { Schema, Types, model } from 'mongoose';
import type { CertificateCategory } from '@ce/types';

/** 学习班: what an enterprise enrolls a certificate into; it serves one category (and job type). */
export interface ClassDoc {
  _id: Types.ObjectId;
  province: string;
  name: string;
  category: CertificateCategory;
  jobType?: string;
  subCategory?: string;
  feeFen: number;
  active: boolean;
}

const classSchema = new Schema<ClassDoc>({
  province: { type: String, required: true },
  name: { type: String, required: true },
  category: { type: String, required: true },
  jobType: String,
  subCategory: String,
  feeFen: { type: Number, required: true },
  active: { type: Boolean, default: true },
});
classSchema.index({ province: 1, name: 1 }, { unique: true });
export const ClassModel = model<ClassDoc>('Class', classSchema);
