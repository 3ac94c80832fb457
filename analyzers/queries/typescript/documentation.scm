;; inherits: javascript
; Documentation and tests, as in JavaScript.
