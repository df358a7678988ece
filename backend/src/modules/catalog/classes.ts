import type { Types } from 'mongoose';
import { CATEGORY_LABELS, type ClassSummary, type CreateClassRequest } from '@ce/types';
import { AppError } from '../../platform/errors';
import { getPolicy } from '../policy';
import { ClassModel, type ClassDoc } from './data';

export function toClassSummary(doc: ClassDoc): ClassSummary {
  return {
    id: String(doc._id),
    name: doc.name,
    province: doc.province,
    category: doc.category,
    categoryLabel: CATEGORY_LABELS[doc.category],
    jobType: doc.jobType,
    subCategory: doc.subCategory,
    feeFen: doc.feeFen,
  };
}

export async function listClasses(province: string): Promise<ClassDoc[]> {
  return ClassModel.find({ province, active: true }).sort({ category: 1, name: 1 }).lean();
}

export async function findClass(classId: string, province: string): Promise<ClassDoc> {
  const doc = await ClassModel.findOne({ _id: classId, province, active: true }).lean();
  if (!doc) throw new AppError('CLASS_NOT_FOUND');
  return doc;
}

/** Staff act only inside their own province (an operator's scope is the province of its account). */
function assertOwnProvince(staffProvince: string | undefined, province: string): void {
  if (staffProvince !== province) throw new AppError('FORBIDDEN', { province }, '只能管理本省的数据');
}

/** A class an operator may manage: it exists, and is in the operator's province (FORBIDDEN otherwise). */
export async function operatorsClass(classId: Types.ObjectId | string, operatorProvince: string | undefined): Promise<ClassDoc> {
  const cls = await ClassModel.findById(classId).lean();
  if (!cls) throw new AppError('CLASS_NOT_FOUND');
  assertOwnProvince(operatorProvince, cls.province);
  return cls;
}

const DUPLICATE_KEY = 11000;

/** 新建学习班: in the operator's province, for a category that province serves, with a name not yet used there. */
export async function createClass(input: CreateClassRequest, operatorProvince: string | undefined): Promise<ClassDoc> {
  assertOwnProvince(operatorProvince, input.province);
  const policy = await getPolicy(input.province);
  if (!policy.categories.includes(input.category)) {
    throw new AppError('CATEGORY_NOT_SERVED', { category: input.category, served: policy.categories }, `${policy.name}不开设「${CATEGORY_LABELS[input.category]}」学习班`);
  }
  try {
    const doc = await ClassModel.create({ ...input, active: true });
    return doc.toObject();
  } catch (error) {
    if ((error as { code?: number }).code === DUPLICATE_KEY) throw new AppError('CLASS_NAME_TAKEN', { name: input.name });
    throw error;
  }
}
