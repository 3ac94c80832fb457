;; inherits: typescript
;; TSX adds JSX attributes to TypeScript's places for secrets.
(jsx_attribute (property_identifier) @name (string) @value)
