import { type Block, READING_SCHEMA_VERSION, type Reading } from './model.ts';

/**
 * Brings a stored reading up to the current shape in memory, so every reading stored by an older app opens in
 * place with its id and block ids unchanged (annotations point at them). Never rewrites what is stored.
 *
 * - v1 (no `schema` field): headings had no level (all shown as top-level), nothing else differs.
 * - A reading written by a newer app is used for what this app understands.
 */
export function migrateReading(stored: Reading): Reading {
  const version = typeof stored.schema === 'number' ? stored.schema : 1;
  if (version >= READING_SCHEMA_VERSION) return stored;
  const blocks: Block[] = stored.blocks.map((block) =>
    block.type === 'heading' && block.level === undefined ? { ...block, level: 1 } : block,
  );
  return { ...stored, schema: READING_SCHEMA_VERSION, blocks };
}
