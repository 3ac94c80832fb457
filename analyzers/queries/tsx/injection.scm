;; inherits: javascript
;; TypeScript's injection sinks are JavaScript's.
