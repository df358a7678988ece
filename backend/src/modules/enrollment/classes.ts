import { CATEGORY_LABELS, type ClassSummary } from '@ce/types';
import { AppError } from '../../platform/errors';
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

export async function createClass(input: Omit<ClassDoc, '_id' | 'active'>): Promise<ClassDoc> {
  const doc = await ClassModel.create({ ...input, active: true });
  return doc.toObject();
}
