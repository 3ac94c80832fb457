;;; accord-eglot.el --- Accord's language server in Eglot  -*- lexical-binding: t; -*-

;;; Commentary:

;; Registers `accord lsp' with Eglot (Emacs 28 with the eglot package, or Emacs 29+) for the
;; languages Accord analyses.  Put this file on `load-path' and (require 'accord-eglot), or copy
;; the forms into your init file; then M-x eglot in a project file.
;;
;; Settings (the `accord' section; it takes precedence over accord.toml), e.g. in
;; .dir-locals.el:
;;   ((nil . ((eglot-workspace-configuration
;;             . (:accord (:ignore ["ACC005"] :complexity (:threshold 12)))))))
;;
;; Approval prompts (Apply / Reject / Show diff) arrive in the minibuffer; code actions are
;; M-x eglot-code-actions (or the quick-fix on a finding).

;;; Code:

(require 'eglot)

(defgroup accord nil
  "Accord's language server in Eglot."
  :group 'eglot)

(defcustom accord-eglot-command '("accord" "lsp")
  "The command that starts Accord's language server."
  :type '(repeat string))

(defconst accord-eglot-modes
  '(python-mode python-ts-mode js-mode js-ts-mode typescript-mode typescript-ts-mode
    tsx-ts-mode java-mode java-ts-mode kotlin-mode swift-mode go-mode go-ts-mode
    rust-mode rust-ts-mode csharp-mode csharp-ts-mode)
  "Major modes whose files Accord analyses (it tells languages apart by file extension).")

(add-to-list 'eglot-server-programs
             `(,accord-eglot-modes . ,accord-eglot-command))

(provide 'accord-eglot)
;;; accord-eglot.el ends here
