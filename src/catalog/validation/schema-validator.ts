import Ajv, { ValidateFunction } from 'ajv-draft-04';
import type { JsonSchema } from '../catalog.types';
import { describeError } from './error-message';

/**
 * KEB's UI hints inside the schemas (readOnly is not a draft-04 keyword either): no validation meaning,
 * declared so that ajv's strict mode still catches misspelt real keywords.
 */
const FORM_HINT_KEYWORDS = [
  '_show_form_view',
  '_controlsOrder',
  '_load_current_config',
  '_BTPdefaultTemplate',
  'readOnly',
];

/**
 * Draft-04 validation of plan parameters with compiled validators cached per schema object. Schemas are
 * built once per plan and region set, so the cache is bounded by the catalog's own memoisation.
 */
export class SchemaValidator {
  private readonly ajv: Ajv;
  private readonly compiled = new WeakMap<JsonSchema, ValidateFunction>();

  constructor() {
    // allErrors: false stops at the first failure (cheap on hostile input); verbose keeps the data and
    // schema on the error, which the KEB-style messages need.
    this.ajv = new Ajv({ allErrors: false, verbose: true, strict: true, strictTypes: false });
    for (const keyword of FORM_HINT_KEYWORDS) {
      this.ajv.addKeyword({ keyword });
    }
  }

  /** Compiles ahead of the first request, so a broken schema fails at start-up rather than on a request. */
  prepare(schema: JsonSchema): void {
    this.validatorFor(schema);
  }

  /** The KEB-worded description of the first violation, or undefined when `data` is valid. */
  firstViolation(schema: JsonSchema, data: unknown): string | undefined {
    const validate = this.validatorFor(schema);
    if (validate(data)) {
      return undefined;
    }
    const errors = validate.errors ?? [];
    // Failing branches of oneOf are reported before the oneOf itself; the last error is the outermost one.
    const outermost = errors[errors.length - 1];
    return outermost ? describeError(outermost) : 'validation failed';
  }

  private validatorFor(schema: JsonSchema): ValidateFunction {
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.compiled.set(schema, validate);
    }
    return validate;
  }
}
