import { canEditState } from '../../src/editing/editing.policy';
import { assertLinkCoversState, assertManagesReminders, linkViewer } from '../../src/reminders/reminders.policy';
import { ForbiddenError } from '../../src/shared/errors';

describe('reminders policy', () => {
  it('when a still-accurate link acts, then it may confirm its own State and no other', () => {
    const viewer = linkViewer({ id: 'a'.repeat(24), userId: 'b'.repeat(24), state: 'FRA' });
    expect(canEditState(viewer, 'FRA')).toBe(true);
    expect(canEditState(viewer, 'DEU')).toBe(false);
    expect(() => assertLinkCoversState({ state: 'FRA' }, 'DEU')).toThrow(ForbiddenError);
    expect(() => assertLinkCoversState({ state: 'FRA' }, 'FRA')).not.toThrow();
  });

  it('when someone other than an active secretariat member manages reminders, then they are refused', () => {
    expect(() => assertManagesReminders({ role: 'focal-point', status: 'active' })).toThrow(ForbiddenError);
    expect(() => assertManagesReminders({ role: 'secretariat', status: 'disabled' })).toThrow(ForbiddenError);
    expect(() => assertManagesReminders(undefined)).toThrow(ForbiddenError);
    expect(() => assertManagesReminders({ role: 'secretariat', status: 'active' })).not.toThrow();
  });
});
