import { Schema, model } from 'mongoose';
import type { ProvincePolicy } from '@ce/types';

const policySchema = new Schema<ProvincePolicy>(
  {
    province: { type: String, required: true },
    name: { type: String, required: true },
    settings: { type: Schema.Types.Mixed, required: true },
    cityOverrides: { type: Schema.Types.Mixed, default: {} },
    categories: { type: [String], required: true },
  },
  { timestamps: true, minimize: false },
);
policySchema.index({ province: 1 }, { unique: true });

export const PolicyModel = model<ProvincePolicy>('Policy', policySchema);
