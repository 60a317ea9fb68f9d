/**
 * The request bodies the rules accept, each as one schema made of the parts
 * the decisions themselves check with: for documentation and for clients
 * (the OpenAPI document converts them). A module of its own, so that code
 * which only decides (the API Worker) does not carry them.
 */
import * as v from 'valibot';
import { ActiveStatusSchema, CodeSchema, PeriodSchema, SubjectSchema } from '../add/index.ts';
import { FGM_CODE, NHS_NUMBER_SYSTEM, REMOVAL_EXTENSION_URLS, SNOMED_SYSTEM } from '../flag/index.ts';
import { ReasonCodingSchema, RemovedStatusSchema } from '../remove/index.ts';

/**
 * Every constraint `validateAddBody` checks of an Add body's elements,
 * as one schema: the step schemas it checks with, in D-6 order (A1 subject,
 * A2 code, A3 status, the assessment date). For documentation and clients
 * (the OpenAPI document converts it); the decision itself runs the steps one
 * by one, so that the first failing step names its catalogue row, and adds
 * what no schema says (no `id`, no removal reason, a date not after today).
 */
export const AddBodySchema = v.pipe(
  v.intersect([SubjectSchema, CodeSchema, ActiveStatusSchema, PeriodSchema]),
  v.description(
    `An Add body (D-6): subject.identifier an NHS number (${NHS_NUMBER_SYSTEM}, Modulus 11), some code.coding ${SNOMED_SYSTEM}|${FGM_CODE}, status active, period.start a date (YYYY-MM-DD) not after today (Europe/London); no id, no removal-reason extension.`,
  ),
);

/**
 * A Remove body as `parseRemoveBody` and the decision accept it (D-9,
 * D-18), as one schema made of the same parts: `resourceType` Flag, the
 * `id` (which must equal the URL's), a status a removal may set, and
 * exactly one removal-reason extension holding one supported coding, as
 * `valueCoding` or a `valueCodeableConcept` of one coding. For
 * documentation and clients (the OpenAPI document converts it).
 */
export const RemoveBodySchema = v.object({
  resourceType: v.literal('Flag'),
  id: v.pipe(v.string(), v.maxLength(64), v.description('Must equal the {id} of the URL (R2).')),
  status: RemovedStatusSchema,
  extension: v.pipe(
    v.array(
      v.union([
        v.object({ url: v.picklist(REMOVAL_EXTENSION_URLS), valueCoding: ReasonCodingSchema }),
        v.object({ url: v.picklist(REMOVAL_EXTENSION_URLS), valueCodeableConcept: v.object({ coding: v.strictTuple([ReasonCodingSchema]) }) }),
      ]),
    ),
    v.length(1),
  ),
});
