import { assertCanEditState, canEditState } from '../../src/editing/editing.policy';
import { ForbiddenError, UnauthorizedError } from '../../src/shared/errors';
import { ANONYMOUS, type Viewer } from '../../src/shared/viewer';

describe('editing policy', () => {
  const focalFra: Viewer = { kind: 'user', id: 'u1', role: 'focal-point', states: ['FRA'] };

  it('when a focal point of FRA asks to edit FRA, then it is allowed', () => {
    expect(canEditState(focalFra, 'FRA')).toBe(true);
  });

  it('when a focal point of FRA asks to edit another State, then it is refused', () => {
    expect(canEditState(focalFra, 'RUS')).toBe(false);
    expect(() => assertCanEditState(focalFra, 'RUS')).toThrow(ForbiddenError);
  });

  it('when a focal point of several States asks, then each of theirs is allowed and no other', () => {
    const focal: Viewer = { kind: 'user', id: 'u2', role: 'focal-point', states: ['FRA', 'DEU'] };
    expect(['FRA', 'DEU', 'RUS'].map((code) => canEditState(focal, code))).toEqual([true, true, false]);
  });

  it('when the secretariat asks to edit any State, then it is allowed', () => {
    const secretariat: Viewer = { kind: 'user', id: 'u3', role: 'secretariat', states: [] };
    expect(canEditState(secretariat, 'RUS')).toBe(true);
    expect(canEditState(secretariat, 'FRA')).toBe(true);
  });

  it('when a practitioner asks, even one listed with States, then it is refused', () => {
    const practitioner: Viewer = { kind: 'user', id: 'u4', role: 'practitioner', states: ['FRA'] };
    expect(canEditState(practitioner, 'FRA')).toBe(false);
  });

  it('when an anonymous reader asks, then it is refused as unauthenticated', () => {
    expect(canEditState(ANONYMOUS, 'FRA')).toBe(false);
    expect(() => assertCanEditState(ANONYMOUS, 'FRA')).toThrow(UnauthorizedError);
  });
});
