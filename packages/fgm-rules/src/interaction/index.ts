/**
 * The FGM-IS interactions and the permissions that grant them (D-4, D-5):
 * read has no permission of its own, it uses `search`.
 */

/** The FGM-IS interactions the API serves. */
export const INTERACTIONS = ['search', 'read', 'add', 'remove'] as const;

/** One of the FGM-IS interactions. */
export type Interaction = (typeof INTERACTIONS)[number];

/** What an ASID allow-list or an RBAC activity map can grant. */
export const PERMISSIONS = ['search', 'add', 'remove'] as const;

/** One grantable permission. */
export type Permission = (typeof PERMISSIONS)[number];

/** The permission an interaction needs: read uses the search permission (D-4). */
export function permissionFor(interaction: Interaction): Permission {
  return interaction === 'read' ? 'search' : interaction;
}
