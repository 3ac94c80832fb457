;;; action.el --- open a file, wait for Accord's diagnostics, run a code action  -*- lexical-binding: t; -*-
;; Environment: ACCORD_EGLOT (the snippet), ACCORD_FILE, ACCORD_KIND (a code action kind),
;; ACCORD_TITLE (a title prefix), ACCORD_REPORT (where the JSON report goes).
;; A prompt (window/showMessageRequest) is answered from standard input, as a user would type.

(require 'json)
(load (getenv "ACCORD_EGLOT") nil t)

(defvar accord-test-report nil)

(defun accord-test-note (key value)
  (push (cons key value) accord-test-report))

(defun accord-test-wait (what condition)
  "Process events until CONDITION holds (20 s at most); note WHAT when it does not."
  (let ((deadline (+ (float-time) 20)))
    (while (and (not (funcall condition)) (< (float-time) deadline))
      (accept-process-output nil 0.02))
    (unless (funcall condition)
      (error "Timed out waiting for %s" what))))

(defun accord-test-ms (start)
  (round (* 1000 (- (float-time) start))))

(defun accord-test-run-action (server diagnostic)
  "Run the code action of kind ACCORD_KIND titled ACCORD_TITLE on DIAGNOSTIC; its result."
  (let* ((actions (eglot-code-actions (flymake-diagnostic-beg diagnostic)
                                      (flymake-diagnostic-end diagnostic)
                                      (getenv "ACCORD_KIND")))
         (action (seq-find (lambda (a) (string-prefix-p (getenv "ACCORD_TITLE")
                                                        (plist-get a :title)))
                           actions))
         (command (plist-get action :command)))
    (unless action (error "No action %s in %S" (getenv "ACCORD_TITLE") actions))
    (eglot-execute-command server (intern (plist-get command :command))
                           (plist-get command :arguments))))

(defun accord-test-scenario ()
  (let ((start (float-time)))
    (find-file (getenv "ACCORD_FILE"))
    (apply #'eglot (eglot--guess-contact))
    (accord-test-wait "the diagnostics" (lambda () (flymake-diagnostics)))
    (accord-test-note 'diagnostics_ms (accord-test-ms start))
    (accord-test-note 'diagnostics
                      (vconcat (mapcar (lambda (d) (format "%s" (flymake-diagnostic-text d)))
                                       (flymake-diagnostics))))
    (let* ((started (float-time))
           (result (accord-test-run-action (eglot-current-server)
                                           (car (flymake-diagnostics)))))
      (accord-test-note 'action_ms (accord-test-ms started))
      (accord-test-note 'result result))
    (accord-test-note 'text (buffer-substring-no-properties (point-min) (point-max)))
    (save-some-buffers t)))

(condition-case err
    (accord-test-scenario)
  (error (accord-test-note 'errors (vector (error-message-string err)))))
(with-temp-file (getenv "ACCORD_REPORT")
  (insert (json-encode accord-test-report)))
(ignore-errors (eglot-shutdown (eglot-current-server)))
(kill-emacs 0)
