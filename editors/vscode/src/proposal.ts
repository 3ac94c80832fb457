/**
 * Reads an Accord proposal out of a `workspace/applyEdit` request: whether it waits for the
 * user's confirmation (a change annotation with `needsConfirmation`, which the server sets when
 * the policy asks for approval), the files it changes, and the same edit with the confirmation
 * lifted once the user has approved it. Pure: protocol JSON in, protocol JSON out.
 */
import type { TextEdit } from "./edits";

export interface ChangeAnnotation {
  readonly label: string;
  readonly needsConfirmation?: boolean;
  readonly description?: string;
}

interface DocumentEdit {
  readonly textDocument: { readonly uri: string; readonly version?: number | null };
  readonly edits: readonly TextEdit[];
}

interface FileOperation {
  readonly kind: string;
  readonly uri?: string;
}

export interface WorkspaceEditJson {
  readonly changes?: Readonly<Record<string, readonly TextEdit[]>>;
  readonly documentChanges?: readonly (DocumentEdit | FileOperation)[];
  readonly changeAnnotations?: Readonly<Record<string, ChangeAnnotation>>;
}

/** One file the proposal touches: its edits, and whether the proposal creates it. */
export interface ProposedFile {
  readonly uri: string;
  readonly edits: readonly TextEdit[];
  readonly created: boolean;
}

export function needsConfirmation(edit: WorkspaceEditJson): boolean {
  return Object.values(edit.changeAnnotations ?? {}).some((note) => note.needsConfirmation === true);
}

/** The same edit, with every annotation marked as confirmed. */
export function confirmed<
  E extends { readonly changeAnnotations?: Readonly<Record<string, ChangeAnnotation>> },
>(edit: E): E {
  const notes = Object.entries(edit.changeAnnotations ?? {}).map(
    ([id, note]) => [id, { ...note, needsConfirmation: false }] as const,
  );
  return { ...edit, changeAnnotations: Object.fromEntries(notes) };
}

/** The files the edit changes, in order, with their edits merged per file. */
export function proposedFiles(edit: WorkspaceEditJson): ProposedFile[] {
  const files = new Map<string, { edits: TextEdit[]; created: boolean }>();
  const entry = (uri: string) => {
    const existing = files.get(uri) ?? { edits: [], created: false };
    files.set(uri, existing);
    return existing;
  };
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) {
    entry(uri).edits.push(...edits);
  }
  for (const change of edit.documentChanges ?? []) {
    if ("textDocument" in change) {
      entry(change.textDocument.uri).edits.push(...change.edits);
    } else if (change.kind === "create" && change.uri) {
      entry(change.uri).created = true;
    }
  }
  return [...files].map(([uri, file]) => ({ uri, ...file }));
}

/** What the prompt says: the server's label (title, risk score, reasons), else the annotation's. */
export function promptText(label: string | undefined, edit: WorkspaceEditJson): string {
  if (label) {
    return label;
  }
  const note = Object.values(edit.changeAnnotations ?? {})[0];
  return note ? `Accord: ${note.label}` : "Accord: apply the proposed change?";
}
