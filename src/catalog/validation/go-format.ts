/**
 * Value formatting of santhosh-tekuri/jsonschema v6 (the validator KEB uses), so our messages read the same.
 */

/** kind.quote: Go %q with the double quotes turned into single quotes. */
export function quote(s: string): string {
  const json = JSON.stringify(s);
  return `'${json.slice(1, -1).replaceAll('\\"', '"').replaceAll("'", "\\'")}'`;
}

/** Go's %v of a float64: shortest digits, exponent form below 1e-4 and from 1e+06 up (e.g. 1e+06). */
export function goNumber(n: number): string {
  if (!Number.isFinite(n) || n === 0) {
    return String(n);
  }
  const [mantissa, exponent] = n.toExponential().split('e');
  const exp = Number(exponent);
  if (exp < -4 || exp >= 6) {
    const digits = String(Math.abs(exp)).padStart(2, '0');
    return `${mantissa}e${exp < 0 ? '-' : '+'}${digits}`;
  }
  return String(n);
}

/** kind.display: strings quoted, numbers as Go prints them, null as Go's <nil>. */
export function display(value: unknown): string {
  if (typeof value === 'string') {
    return quote(value);
  }
  if (typeof value === 'number') {
    return goNumber(value);
  }
  if (value === null) {
    return '<nil>';
  }
  if (typeof value === 'boolean') {
    return String(value);
  }
  return 'value';
}

/** jsonschema v6's JSON type names: every number is "number", even when the schema wants "integer". */
export function jsonTypeOf(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'array';
  }
  return typeof value === 'object' ? 'object' : typeof value;
}
