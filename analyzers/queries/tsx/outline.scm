;; inherits: typescript
;; TSX outlines definitions as TypeScript does.
