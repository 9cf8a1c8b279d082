/** Who is asking: every service call says so, and policies decide what that viewer may see. */
export type Role = 'practitioner' | 'focal-point' | 'secretariat';

export type Viewer =
  | { kind: 'anonymous' }
  | { kind: 'user'; id: string; role: Role; /** States this user is a focal point of. */ states: string[] };

export const ANONYMOUS: Viewer = Object.freeze({ kind: 'anonymous' });
