/** Who is asking: every service call says so, and policies decide what that viewer may see. */
export const ROLES = ['practitioner', 'focal-point', 'secretariat'] as const;
export type Role = (typeof ROLES)[number];

export type Viewer =
  | { kind: 'anonymous' }
  | { kind: 'user'; id: string; role: Role; /** States this user is a focal point of. */ states: string[] };

export const ANONYMOUS: Viewer = Object.freeze({ kind: 'anonymous' });
