;;; check.el --- Emacs 28 + Eglot (Debian's 1.9) against `papernotes serve' on a copy of examples/  -*- lexical-binding: t -*-
;; Hover, diagnostics, definition, and accepting a completion whose key is shorter than the typed word
;; (Eglot 1.9 used to delete the text after it). Prints ok/FAIL lines; exits 0 only when all passed.
;; Usage: emacs --batch -l check.el ROOT SERVER-COMMAND...
(require 'eglot)
(require 'cl-lib)

(defvar check-failures 0)
(defun check (ok what &optional detail)
  (princ (format "%s %s%s\n" (if ok "ok  " "FAIL") what (if (and (not ok) detail) (format ": %s" detail) "")))
  (unless ok (setq check-failures (1+ check-failures))))

(defun check-wait (pred seconds)
  "Wait (processing server messages) until PRED holds or SECONDS pass."
  (let ((deadline (+ (float-time) seconds)))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (funcall pred)))

(define-derived-mode markdown-mode text-mode "Markdown")
(setq eglot-sync-connect 20 eglot-connect-timeout 30 eglot-autoreconnect nil)

(let* ((root (file-name-as-directory (expand-file-name (pop command-line-args-left))))
       (contact command-line-args-left)
       (note (expand-file-name "notes/ssl-collapse.md" root)))
  (setq command-line-args-left nil)
  (find-file note)
  (markdown-mode)
  (let ((server (eglot '(markdown-mode) (cons 'transient root) 'eglot-lsp-server contact "markdown")))
    (check (and server (jsonrpc-running-p server)) "server started")
    (check-wait (lambda () (eglot-managed-p)) 20)
    (check (eglot-managed-p) "buffer managed by eglot")

    ;; Diagnostics: the deliberate typo with its suggestion.
    (check (check-wait (lambda () (flymake-diagnostics)) 30) "diagnostics arrived")
    (let ((messages (mapcar #'flymake-diagnostic-text (flymake-diagnostics))))
      (check (and (= (length messages) 1) (string-match-p "did you mean 'understanding2021'" (car messages)))
             "diagnostics: the typo and its suggestion" messages))

    ;; Hover: title and abstract.
    (goto-char (point-min))
    (search-forward "@understanding2021 give")
    (backward-char 10)
    (let* ((hover (jsonrpc-request server :textDocument/hover (eglot--TextDocumentPositionParams)))
           (text (and hover (plist-get (plist-get hover :contents) :value))))
      (check (and text (string-match-p "Understanding self-supervised Learning Dynamics" text)) "hover: title" text))

    ;; Definition: one target, the library entry, so Emacs jumps instead of listing.
    (let* ((result (jsonrpc-request server :textDocument/definition (eglot--TextDocumentPositionParams)))
           (targets (if (vectorp result) (append result nil) (list result))))
      (check (and (= (length targets) 1) (string-match-p "papers.csl.yaml" (plist-get (car targets) :uri)))
             "definition: the library entry only" targets))

    ;; Completion: "@Recognition" (11 characters) completes to he2016deep (10): nothing after it may go.
    (goto-char (point-max))
    (insert "\nSee @Recognition and more\n")
    (forward-line -1)
    (search-forward "@Recognition")
    (eglot--signal-textDocument/didChange)
    (let* ((capf (eglot-completion-at-point))
           (start (nth 0 capf)) (end (nth 1 capf)) (table (nth 2 capf)) (props (nthcdr 3 capf))
           (candidates (all-completions "" table))
           (choice (cl-find "he2016deep" candidates :test #'string=)))
      (check choice "completion: @Recognition offers he2016deep" candidates)
      (when choice
        ;; What completion-in-region does on accepting: the candidate replaces the bounds, then the exit function runs.
        (delete-region start end)
        (goto-char start)
        (insert choice)
        (funcall (plist-get props :exit-function) choice 'finished)
        (let ((line (buffer-substring (line-beginning-position) (line-end-position))))
          (check (string= line "See @he2016deep and more") "completion: accepting keeps the text after it" line))))

    ;; Clean shutdown: shutdown, exit, and the server ends by itself with 0. (eglot-shutdown in 1.9 kills the
    ;; process right after sending exit, so its exit status says nothing; the requests are sent here instead.)
    (set-buffer-modified-p nil)
    (let ((process (jsonrpc--process server)))
      (jsonrpc-request server :shutdown nil)
      (jsonrpc-notify server :exit nil)
      (check-wait (lambda () (not (process-live-p process))) 20)
      (check (and (not (process-live-p process)) (= (process-exit-status process) 0)) "server exited with 0"
             (process-exit-status process)))))

(princ (if (= check-failures 0) "emacs: all checks passed\n" (format "emacs: %d failed\n" check-failures)))
(kill-emacs (if (= check-failures 0) 0 1))
