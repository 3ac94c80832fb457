;; inherits: javascript
;; TypeScript exports its public API as JavaScript does.
