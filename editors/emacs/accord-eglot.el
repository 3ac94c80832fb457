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
;;
;; Asking an agent in your own words: M-x accord-ask (the region, or the whole file), or the
;; code action "Accord: Ask an agent...", which asks for the words in the minibuffer.  A request
;; can also be written in a comment, `# accord: ask add type hints': its line offers the code
;; action "Accord: Ask — add type hints", and the proposal removes the comment.

;;; Code:

(require 'cl-lib)
(require 'subr-x)
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

(defconst accord-ask-command "accord.agents.ask"
  "The server command that runs a request in the user's words over a scope.")

(defun accord--ask-argument (arguments)
  "The first of ARGUMENTS when it is an Ask request without its words, else nil."
  (let ((argument (and (> (length arguments) 0) (elt arguments 0))))
    (and (listp argument)
         (plist-member argument :scope)
         (string-empty-p (string-trim (or (plist-get argument :instruction) "")))
         argument)))

(cl-defmethod eglot-execute-command :around (server command arguments)
  "Ask for the words of an Ask request (the code action carries only its scope)."
  (let ((argument (and (equal (format "%s" command) accord-ask-command)
                       (accord--ask-argument arguments))))
    (if (null argument)
        (cl-call-next-method)
      (let ((words (string-trim (read-string "Ask an agent: "))))
        (when (string-empty-p words)
          (user-error "Nothing asked"))
        (cl-call-next-method server command
                             (vector (plist-put (copy-sequence argument)
                                                :instruction words)))))))

(defun accord-ask (words)
  "Ask an agent for WORDS over the region, or over the whole file when none is active."
  (interactive (list (read-string "Ask an agent: ")))
  (when (string-empty-p (string-trim words))
    (user-error "Nothing asked"))
  (let ((scope (list :uri (eglot--path-to-uri (buffer-file-name)))))
    (when (use-region-p)
      (setq scope
            (plist-put scope :range
                       (list :start (eglot--pos-to-lsp-position (region-beginning))
                             :end (eglot--pos-to-lsp-position (region-end))))))
    (eglot-execute-command (eglot--current-server-or-lose) accord-ask-command
                           (vector (list :instruction (string-trim words) :scope scope)))))

(provide 'accord-eglot)
;;; accord-eglot.el ends here
