import { describe, expect, it } from 'vitest';
import { departmentName, regionName } from './geography.ts';

describe('area names', () => {
  it('names regions and departments, the department with its code', () => {
    expect(regionName('84')).toBe('Auvergne-Rhône-Alpes');
    expect(departmentName('69')).toBe('Rhône (69)');
    expect(departmentName('2a')).toBe('Corse-du-Sud (2A)');
    expect(departmentName('974')).toBe('La Réunion (974)');
  });
  it('keeps an unknown code, and nothing stays nothing', () => {
    expect(regionName('99')).toBe('99');
    expect(departmentName(null)).toBe('');
  });
});
