/**
 * Applies LSP text edits to a text, to show a proposal before it is applied ("Show diff").
 * Positions are UTF-16 code units, as VS Code negotiates with the server.
 */

export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface TextEdit {
  readonly range: { readonly start: Position; readonly end: Position };
  readonly newText: string;
}

/** `text` with `edits` applied; edits do not overlap (LSP guarantees it), in any order. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const starts = lineStarts(text);
  const located = edits
    .map((edit) => ({
      start: offsetOf(text, starts, edit.range.start),
      end: offsetOf(text, starts, edit.range.end),
      newText: edit.newText,
    }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let result = text;
  for (const edit of located) {
    result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  }
  return result;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\n") {
      starts.push(i + 1);
    }
  }
  return starts;
}

/** The offset of `position`, clamped to its line and to the text, as editors do. */
function offsetOf(text: string, starts: readonly number[], position: Position): number {
  if (position.line >= starts.length) {
    return text.length;
  }
  const start = starts[position.line]!;
  const next = starts[position.line + 1];
  const lineEnd = next === undefined ? text.length : next - 1;
  return Math.min(start + position.character, lineEnd);
}
