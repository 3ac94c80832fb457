;; inherits: javascript
;; TypeScript's literals and comments are JavaScript's.
