// The rule file format (DESIGN §4), as a zod schema: the single source for validation and the JSON Schema.
import { z } from 'zod';
import { CATEGORIES, MATCHABLE_FIELDS, RETRY_POLICIES } from '../types.js';

const Scalar = z.union([z.string(), z.number(), z.boolean()]);

export const ConditionSchema = z
  .union([
    Scalar,
    z.array(Scalar).min(1),
    z.strictObject({
      regex: z
        .string()
        .min(1)
        .max(1000)
        .describe('RE2 syntax (linear time: no lookaround, no backreferences). Named groups become template variables.'),
      flags: z.enum(['', 'i']).optional().describe('"i" for case-insensitive'),
    }),
  ])
  .describe('An exact value, a list of accepted values, or {regex: ...}.');

const alternativeShape = Object.fromEntries(MATCHABLE_FIELDS.map((f) => [f, ConditionSchema.optional()])) as Record<
  (typeof MATCHABLE_FIELDS)[number],
  z.ZodOptional<typeof ConditionSchema>
>;

export const AlternativeSchema = z
  .strictObject(alternativeShape)
  .refine((alt) => Object.values(alt).some((v) => v !== undefined), 'an alternative needs at least one condition')
  .describe('Holds when every condition in it holds. The alternative with the most conditions wins across rules.');

export const RuleSchema = z
  .strictObject({
    $schema: z.string().optional(),
    id: z
      .string()
      .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'kebab-case, naming the problem (it is what JSON output and scripts refer to)')
      .describe('Stable kebab-case id naming the problem; equals the file name; never reused.'),
    title: z.string().min(3).max(100).describe('The headline users see first: what happened, in a few words.'),
    category: z.enum(CATEGORIES).describe("Whose problem it is: tells the user where to look before they read further."),
    retry: z
      .enum(RETRY_POLICIES)
      .describe('never | backoff | after-header (wait what retry-after says) | after-fix (retrying as-is cannot succeed).'),
    priority: z.number().int().min(-100).max(100).default(0).describe('Breaks ties between equally specific alternatives; higher wins.'),
    match: z.array(AlternativeSchema).min(1).describe('Alternatives over ErrorEvent fields; any one holding makes the rule match.'),
    cause: z.string().min(10).describe('Why it happened, as a template: {{status}}, {{message}}, named regex groups.'),
    fix: z.array(z.string().min(3)).min(1).describe('What to do now, in order; use the numbers from the message.'),
    docs: z.array(z.url()).default([]).describe('Links to the official documentation for this error.'),
    code: z.array(z.string().regex(/^[a-z0-9-]+$/)).default([]).describe('Ids of retry-code snippets in rules/snippets/.'),
    examples: z
      .strictObject({
        match: z.array(z.string().min(1)).min(1).describe('Pasted text this rule must win on.'),
        'no-match': z.array(z.string().min(1)).default([]).describe('Near misses this rule must not win on.'),
        todo: z.array(z.string().min(1)).default([]).describe('Known gaps: reported by `rules test`, not failed.'),
      })
      .describe('Checked by `claude-doctor rules test`; the built-in rules run them in `npm test`.'),
  })
  .describe('A claude-doctor rule: one YAML file per rule.');

export type RuleInput = z.input<typeof RuleSchema>;
export type Rule = z.output<typeof RuleSchema>;
export type Condition = z.output<typeof ConditionSchema>;
export type Alternative = z.output<typeof AlternativeSchema>;

/** The JSON Schema that editors use to complete rule files. */
export function ruleJsonSchema(): unknown {
  return z.toJSONSchema(RuleSchema, { target: 'draft-7', io: 'input' });
}
