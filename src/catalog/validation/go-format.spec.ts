import { display, goNumber, jsonTypeOf, quote } from './go-format';

describe('jsonschema v6 value formatting', () => {
  it.each([
    ['eu-central-1', "'eu-central-1'"],
    ['', "''"],
    ["it's", "'it\\'s'"],
    ['say "hi"', `'say "hi"'`],
    ['/region', "'/region'"],
  ])('quote(%j) = %s', (input, expected) => {
    expect(quote(input)).toBe(expected);
  });

  it.each([
    [0, '0'],
    [3, '3'],
    [301, '301'],
    [2.5, '2.5'],
    [-7, '-7'],
    [123456, '123456'],
    [1000000, '1e+06'],
    [1234567, '1.234567e+06'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
  ])('goNumber(%d) = %s', (input, expected) => {
    expect(goNumber(input)).toBe(expected);
  });

  it.each([
    ['a', "'a'"],
    [5, '5'],
    [true, 'true'],
    [null, '<nil>'],
    [{ a: 1 }, 'value'],
  ])('display(%j) = %s', (input, expected) => {
    expect(display(input)).toBe(expected);
  });

  it.each([
    [null, 'null'],
    [[], 'array'],
    [{}, 'object'],
    [1, 'number'],
    [1.5, 'number'],
    ['x', 'string'],
    [false, 'boolean'],
  ])('jsonTypeOf(%j) = %s', (input, expected) => {
    expect(jsonTypeOf(input)).toBe(expected);
  });
});
