/**
 * Turns a JSON-schema validation error (Ajv's, as Fastify reports it, or TypeBox's, which has the
 * same shape) into the `field` of our error answer and a sentence about it.
 *
 * Fields are written as a client would address them in its own code: `number_list[3].number`,
 * `settings.baseUrl`. For a missing property the field is that property (`number_list[0].number`),
 * not its parent object — the parent is there, the property is what is wrong.
 */
export interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** `/number_list/3/number` → `number_list[3].number` (JSON-pointer escapes undone). */
export function pointerToField(pointer: string): string {
  if (pointer === '' || pointer === '/') return '';
  return pointer
    .split('/')
    .slice(1)
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : path === '' ? segment : `${path}.${segment}`), '');
}

function join(parent: string, child: string): string {
  return parent === '' ? child : `${parent}.${child}`;
}

/** The property a `required` error is about (Ajv: missingProperty; TypeBox: requiredProperties). */
function missingProperty(params: Record<string, unknown>): string | undefined {
  if (typeof params.missingProperty === 'string') return params.missingProperty;
  const list = params.requiredProperties;
  if (Array.isArray(list) && typeof list[0] === 'string') return list[0];
  return undefined;
}

/**
 * The field an error is about, relative to `prefix` (e.g. `settings` for errors from validating
 * the settings object on its own). Undefined for an error about the whole body.
 */
export function errorField(error: SchemaError, prefix = ''): string | undefined {
  let field = pointerToField(error.instancePath);
  if (error.keyword === 'required') {
    const missing = missingProperty(error.params);
    if (missing !== undefined) field = join(field, missing);
  } else if (error.keyword === 'additionalProperties' && typeof error.params.additionalProperty === 'string') {
    field = join(field, error.params.additionalProperty);
  }
  const full = prefix === '' ? field : field === '' ? prefix : field.startsWith('[') ? `${prefix}${field}` : `${prefix}.${field}`;
  return full === '' ? undefined : full;
}

/**
 * The one problem to report for a list of schema errors, as `{ field, message }`.
 *
 * Validation stops at the first failing keyword, but a failing union (anyOf) lists every branch's
 * error before its own; those are folded into one sentence ("msg_param must be string or object").
 */
export function summariseSchemaErrors(errors: readonly SchemaError[], options: { prefix?: string; container?: string } = {}): {
  field?: string;
  message: string;
} {
  const container = options.container ?? 'body';
  const first = errors[0];
  if (!first) return { message: `${container} is invalid` };
  // A validator may report several problems; we report the first. If it lies inside a union, the
  // union's own error (listed after its branches) names the real problem.
  const within = (outer: string, inner: string) => outer === inner || inner.startsWith(`${outer}/`);
  const union = errors.find((e) => (e.keyword === 'anyOf' || e.keyword === 'oneOf') && within(e.instancePath, first.instancePath));
  if (union) {
    const field = errorField(union, options.prefix);
    const branches = errors.filter((e) => e.instancePath === union.instancePath && e !== union);
    const types = [...new Set(branches.filter((e) => e.keyword === 'type').map((e) => String(e.params.type)))];
    const constants = branches.filter((e) => e.keyword === 'const').map((e) => JSON.stringify(e.params.allowedValue));
    const subject = field ?? container;
    if (constants.length > 0 && constants.length === branches.length) return { field, message: `${subject} must be one of: ${constants.join(', ')}` };
    if (types.length > 0 && types.length === branches.length) return { field, message: `${subject} must be ${types.join(' or ')}` };
    return { field, message: `${subject} does not match any allowed form` };
  }
  const field = errorField(first, options.prefix);
  return { field, message: describeSchemaError(first, field, container) };
}

/** A sentence naming the field: "send_type must be one of: immediately, schedule, scheduled, draft". */
export function describeSchemaError(error: SchemaError, field: string | undefined, container = 'body'): string {
  const subject = field ?? container;
  switch (error.keyword) {
    case 'required':
      return `${subject} is required`;
    case 'additionalProperties':
      return `${subject} is not allowed`;
    case 'enum': {
      const allowed = error.params.allowedValues;
      return Array.isArray(allowed) ? `${subject} must be one of: ${allowed.join(', ')}` : `${subject} ${error.message ?? 'is invalid'}`;
    }
    default:
      return `${subject} ${error.message ?? 'is invalid'}`;
  }
}
