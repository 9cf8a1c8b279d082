import type { TFunction } from 'i18next';
import { fieldLabel } from '../editing/editing.schema';
import type { Revision } from '../editing/editing.service';

/**
 * A revision put in words for a feed or a digest: which State, which authority, what was done and
 * which fields, never a value. Plain functions, so the same words serve the Atom feeds and the mail.
 */

export interface ChangeInWords {
  id: string;
  at: Date;
  state: string;
  title: string;
  /** The fields that changed, as labels in the reader's language; empty for a change given without details. */
  fields: string[];
  /** False when the reader may not see the State's details: the change is only said to have happened. */
  detailed: boolean;
}

/** What decides how much of a change a reader may be told. */
export interface ChangeAccess {
  /** The reader may see the State's details even while they are restricted. */
  seesRestricted: boolean;
  /** The State's details are public now. */
  isPublic: boolean;
  /** When the State was last made public: changes before then were made while it may have been restricted. */
  openedAt?: Date;
}

/** Whether a change may be told in full: to a reader with access, or publicly when it was made while the State was public. */
export function mayDetail(revision: Pick<Revision, 'at'>, access: ChangeAccess): boolean {
  if (access.seesRestricted) return true;
  return access.isPublic && (!access.openedAt || revision.at.getTime() >= access.openedAt.getTime());
}

/** Text for an Atom element of type html: a name holding markup is shown, never interpreted. */
export const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function authorityName(revision: Revision): string | undefined {
  const name = ((revision.after ?? revision.before) as { name?: { original?: string; en?: string } } | null)?.name;
  if (!name?.original && !name?.en) return undefined;
  return !name.en || name.en === name.original ? (name.original ?? name.en) : `${name.original} (${name.en})`;
}

/** The labels of the changed fields: an authority's by their field (`name.en` is the name), the State's by its section's part. */
function changedFieldLabels(revision: Revision, t: TFunction): string[] {
  if (revision.action !== 'update' && revision.action !== 'restore') return [];
  const keys = revision.fields.map((path) => {
    const segments = path.split('.');
    return revision.entity === 'state' && segments[0] === 'optional' && segments[1] ? segments[1] : (segments[0] ?? path);
  });
  return [...new Set(keys)].map((key) => fieldLabel(key, t));
}

/** One change in the reader's words; `t` reads the following and editing namespaces. */
export function changeInWords(revision: Revision, stateName: string, detailed: boolean, t: TFunction): ChangeInWords {
  const action = t(`editing:action.${revision.action}`);
  const base = { id: revision.id, at: revision.at, state: revision.state };
  if (!detailed) {
    const title = revision.action === 'confirm' ? t('following:change.state', { state: stateName, action }) : t('following:change.restricted', { state: stateName });
    return { ...base, title, fields: [], detailed: false };
  }
  const name = revision.entity === 'authority' ? authorityName(revision) : undefined;
  const title = name ? t('following:change.authority', { state: stateName, authority: name, action }) : t('following:change.state', { state: stateName, action });
  return { ...base, title, fields: changedFieldLabels(revision, t), detailed: true };
}
