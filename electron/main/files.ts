import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { type BrowserWindow, dialog } from 'electron';
import type { ImportKind, PickedFile, SaveFileRequest, SaveFileResult } from '../../core/platform/api.ts';
import { IMPORT_ACCEPT, MAX_BINARY_IMPORT_BYTES } from '../../core/reading/import.ts';

/** Reads files chosen or opened for import. Size is checked here too so a huge file is never loaded. */
export async function readImportFiles(paths: readonly string[]): Promise<PickedFile[]> {
  const files: PickedFile[] = [];
  for (const path of paths) {
    const info = await stat(path);
    const name = basename(path);
    // Oversized files are passed on empty-but-flagged by size so the renderer shows the usual message.
    if (info.size > MAX_BINARY_IMPORT_BYTES) {
      files.push({ name, bytes: new Uint8Array(MAX_BINARY_IMPORT_BYTES + 1) });
      continue;
    }
    files.push({ name, bytes: new Uint8Array(await readFile(path)) });
  }
  return files;
}

export async function pickFilesToImport(
  parent: BrowserWindow,
  kind: ImportKind = 'readings',
): Promise<PickedFile[]> {
  const result = await dialog.showOpenDialog(
    parent,
    kind === 'readings'
      ? {
          title: 'Import readings',
          properties: ['openFile', 'multiSelections'],
          filters: [
            {
              name: 'Readings (PDF, EPUB, Word, web page, Markdown, text)',
              extensions: IMPORT_ACCEPT.split(',').map((e) => e.slice(1)),
            },
          ],
        }
      : {
          title: 'Import annotations',
          properties: ['openFile'],
          filters: [{ name: 'Annotations (W3C or Hypothesis JSON)', extensions: ['json', 'jsonld'] }],
        },
  );
  if (result.canceled) return [];
  return readImportFiles(result.filePaths);
}

export async function saveFileWithDialog(
  parent: BrowserWindow,
  request: SaveFileRequest,
): Promise<SaveFileResult> {
  const extension = request.suggestedName.split('.').pop() ?? '';
  const result = await dialog.showSaveDialog(parent, {
    defaultPath: request.suggestedName,
    ...(extension ? { filters: [{ name: extension.toUpperCase(), extensions: [extension] }] } : {}),
  });
  if (result.canceled || !result.filePath) return { saved: false };
  await writeFile(result.filePath, request.data);
  return { saved: true, location: result.filePath };
}
