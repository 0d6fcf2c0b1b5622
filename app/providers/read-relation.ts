/**
 * Where a resource is read from when it is not its own table: members through member_directory, which masks
 * phone, email and birthday for roles without the right to them (the members table gives those roles no
 * rows). Writes still go to the resource's table.
 */
const READ_RELATIONS: Record<string, string> = { members: "member_directory" };

export const readRelation = (resource: string) => READ_RELATIONS[resource] ?? resource;
