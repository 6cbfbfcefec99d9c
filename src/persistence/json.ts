/** A JSON object stored in a jsonb column (`any` values keep TypeORM's partial-entity typing usable). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonObject = Record<string, any>;
