;; inherits: typescript
;; TSX adds JSX elements: <Widget /> uses the component Widget.

(jsx_opening_element name: (identifier) @name) @reference.call

(jsx_self_closing_element name: (identifier) @name) @reference.call
