-- Drives Neovim's built-in LSP client (0.7 API: vim.lsp.start_client) against `papernotes serve` on a copy
-- of examples/: hover, completion, diagnostics, definition, then a clean shutdown; and the LSP log must hold
-- no errors. Prints "ok"/"FAIL" lines; exits 0 only when everything passed.
-- Usage: nvim --headless --clean -c "luafile check.lua" -- <workspace> <server command...>
local args = vim.v.argv
local sep
for i, a in ipairs(args) do if a == '--' then sep = i break end end
local root = args[sep + 1]
local cmd = {}
for i = sep + 2, #args do table.insert(cmd, args[i]) end

local failures = 0
local function check(ok, what, detail)
  if ok then io.stdout:write('ok   ' .. what .. '\n')
  else failures = failures + 1; io.stdout:write('FAIL ' .. what .. (detail and (': ' .. detail) or '') .. '\n') end
end
local function finish()
  io.stdout:write(failures == 0 and 'neovim: all checks passed\n' or ('neovim: ' .. failures .. ' failed\n'))
  vim.cmd(failures == 0 and 'qall!' or 'cquit! 1')
end

vim.lsp.set_log_level('warn')
local exit_code
local client_id = vim.lsp.start_client({
  name = 'papernotes',
  cmd = cmd,
  root_dir = root,
  workspace_folders = { { uri = vim.uri_from_fname(root), name = 'examples' } },
  on_exit = function(code) exit_code = code end,
})
check(client_id ~= nil, 'server started')

local note = root .. '/notes/ssl-collapse.md'
vim.cmd('edit ' .. vim.fn.fnameescape(note))
local buf = vim.api.nvim_get_current_buf()
vim.bo[buf].filetype = 'markdown'
vim.lsp.buf_attach_client(buf, client_id)
check(vim.wait(20000, function() local c = vim.lsp.get_client_by_id(client_id); return c and c.initialized end, 50), 'initialized')

local function find(pattern)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local col = line:find(pattern, 1, true)
    if col then return i - 1, col - 1 end
  end
end
local function request(method, params)
  local responses = vim.lsp.buf_request_sync(buf, method, params, 20000) or {}
  local response = responses[client_id] or {}
  return response.result, response.error
end
local function at(pattern, into)
  local line, col = find(pattern)
  return { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = line, character = col + (into or 2) } }
end

-- Diagnostics: exactly the deliberate typo, with its suggestion.
check(vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 50), 'diagnostics arrived')
local diagnostics = vim.diagnostic.get(buf)
check(#diagnostics == 1 and diagnostics[1].message:find("did you mean 'understanding2021'", 1, true) ~= nil,
  'diagnostics: the typo and its suggestion', vim.inspect(vim.tbl_map(function(d) return d.message end, diagnostics)))

-- Hover: the title and the abstract, simple LaTeX rendered ({\it without} → *without*).
local hover = request('textDocument/hover', at('@understanding2021 give', 3))
local text = hover and hover.contents and hover.contents.value or ''
check(text:find('Understanding self-supervised Learning Dynamics', 1, true) ~= nil, 'hover: title', text:sub(1, 200))
check(text:find('*without*', 1, true) ~= nil and text:find('\\it', 1, true) == nil, 'hover: abstract LaTeX as Markdown')

-- Completion: a key prefix offers the paper, and the menu shows its title (detail: no labelDetails in 0.7).
local line_count = vim.api.nvim_buf_line_count(buf)
vim.api.nvim_buf_set_lines(buf, line_count, line_count, false, { 'New citation @understand' })
local completion = request('textDocument/completion',
  { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = line_count, character = 25 } })
local items = completion and (completion.items or completion) or {}
local found
for _, item in ipairs(items) do if item.label == 'understanding2021' then found = item end end
check(found ~= nil, 'completion: @understand offers understanding2021')
check(found ~= nil and (found.detail or ''):find('Understanding self%-supervised') ~= nil, 'completion: the title is in the detail',
  found and found.detail)
vim.api.nvim_buf_set_lines(buf, line_count, line_count + 1, false, {})

-- Definition: one target, the library entry (so Neovim jumps instead of opening the quickfix list).
local definition = request('textDocument/definition', at('@understanding2021 give', 3))
local targets = definition and (definition.uri and { definition } or definition) or {}
check(#targets == 1 and targets[1].uri:find('papers.csl.yaml', 1, true) ~= nil, 'definition: the library entry only',
  vim.inspect(vim.tbl_map(function(t) return t.uri end, targets)))

-- Clean shutdown: shutdown + exit, the server exits 0.
vim.lsp.stop_client(client_id)
check(vim.wait(20000, function() return exit_code ~= nil end, 50), 'server exited')
check(exit_code == 0, 'server exit code 0', tostring(exit_code))

-- :LspLog holds no errors (stderr chunks are logged as errors by this client).
local log = io.open(vim.lsp.get_log_path(), 'r')
local errors = {}
if log then
  for line in log:lines() do if line:find('%[ERROR%]') then table.insert(errors, line) end end
  log:close()
end
check(#errors == 0, ':LspLog has no errors', table.concat(errors, '\n'):sub(1, 1000))
finish()
