import { describe, expect, it } from 'vitest'
import { accepts, compatibilityReason, parseType } from './types.js'

describe('DataType rule (same as io.qflow.sdk.DataType.accepts)', () => {
  it('parses nested, nullable, object and python types', () => {
    expect(parseType('array<object{a:string,b:integer?}>').element.properties.b.nullable).toBe(true)
    expect(parseType('python:pandas.DataFrame')).toEqual({ kind: 'python', python: 'pandas.DataFrame' })
    expect(parseType('list[int]')).toEqual({ kind: 'array', element: { kind: 'integer' } })
    expect(() => parseType('strin')).toThrow(/unknown/)
  })
  it('links like the SDK', () => {
    expect(accepts('any', 'object')).toBe(true)
    expect(accepts('string', 'any')).toBe(true)
    expect(accepts('number', 'integer')).toBe(true)
    expect(accepts('integer', 'number')).toBe(false)
    expect(accepts('string', 'object')).toBe(false)
    expect(accepts('array<number>', 'array<integer>')).toBe(true)
    expect(accepts('array<string>', 'array<integer>')).toBe(false)
    expect(accepts('string', 'string?')).toBe(false)
    expect(accepts('object{a:string}', 'object{a:string,b:integer}')).toBe(true)
    expect(accepts('object{a:string}', 'object{b:integer}')).toBe(false)
    expect(accepts('python:builtins.object', 'python:x.Y')).toBe(true)
  })
  it('names both types in the reason', () => {
    expect(compatibilityReason('string', 'object')).toBe('A string input does not accept values of type object.')
  })
})
