--- Accord for Neovim: the `accord lsp` language server, its approval prompts and commands, and
--- asking an agent in your own words (the "Ask an agent..." code action, :Accord ask).
---
--- require("accord").setup({ ... }) starts `accord lsp` for the listed filetypes
--- (vim.lsp.config/vim.lsp.enable on Neovim 0.11+, a FileType autocommand on 0.10) and adds
--- the :Accord command. Options not given keep the defaults below.
local M = {}

M.defaults = {
  -- The server's command; the first word is also what :Accord login/approvals run.
  cmd = { "accord", "lsp" },
  filetypes = {
    "python", "javascript", "javascriptreact", "typescript", "typescriptreact", "java", "kotlin",
    "swift", "go", "rust", "cs",
  },
  root_markers = { "accord.toml", "accord-policy.yaml", "pyproject.toml", ".git" },
  -- The `accord` settings section; it takes precedence over accord.toml and [tool.accord].
  settings = {},
  -- Sent once at start: "auto" pulls diagnostics where Neovim can, else they are pushed.
  init_options = { diagnosticMode = "auto" },
}

--- The options in force (the defaults until setup() is called).
M.options = vim.deepcopy(M.defaults)

--- Start Accord for the configured filetypes and add the :Accord command.
---@param opts table|nil overrides of M.defaults
function M.setup(opts)
  M.options = vim.tbl_deep_extend("force", vim.deepcopy(M.defaults), opts or {})
  local config = require("accord.client").config(M.options)
  if vim.lsp.config ~= nil and vim.lsp.enable ~= nil then
    vim.lsp.config("accord", config)
    vim.lsp.enable("accord")
  else
    require("accord.client").start_on_filetype(config, M.options)
  end
  require("accord.commands").create()
  require("accord.ask").register()
end

return M
