--- The LSP client configuration for `accord lsp`, and requests to the running server.
local approvals = require("accord.approvals")
local version = require("accord.version")

local M = {}

--- A client config (vim.lsp.Config on 0.11, vim.lsp.ClientConfig less root_dir on 0.10).
---@param options table the options of require("accord").setup()
function M.config(options)
  return {
    name = "accord",
    cmd = options.cmd,
    filetypes = options.filetypes,
    root_markers = options.root_markers,
    settings = { accord = options.settings },
    init_options = options.init_options,
    on_init = version.on_init,
    handlers = {
      ["window/showMessageRequest"] = approvals.handler,
      ["workspace/executeCommand"] = approvals.on_result,
      ["accord/teamChanged"] = function(...) return require("accord.team").on_changed(...) end,
    },
  }
end

--- Neovim 0.10: start (or reuse) the client when a buffer of a listed filetype opens.
function M.start_on_filetype(config, options)
  vim.api.nvim_create_autocmd("FileType", {
    group = vim.api.nvim_create_augroup("accord", { clear = true }),
    pattern = options.filetypes,
    callback = function(args)
      local root = vim.fs.root(args.buf, options.root_markers)
      vim.lsp.start(vim.tbl_extend("force", config, { root_dir = root }), { bufnr = args.buf })
    end,
  })
end

--- The Accord client attached to the current buffer (or any running one), or nil.
function M.get()
  local get = vim.lsp.get_clients
  return get({ name = "accord", bufnr = 0 })[1] or get({ name = "accord" })[1]
end

--- workspace/executeCommand on the Accord server; `on_result(result)` gets the answer.
---@param command string e.g. "accord.mode.set"
---@param arguments table|nil
---@param on_result fun(result: any)
function M.execute(command, arguments, on_result)
  local client = M.get()
  if client == nil then
    vim.notify("Accord: the language server is not running", vim.log.levels.ERROR)
    return
  end
  local params = { command = command, arguments = arguments or {} }
  local function handler(err, result)
    if err then
      vim.notify("Accord: " .. err.message, vim.log.levels.ERROR)
    else
      on_result(result)
    end
  end
  if vim.fn.has("nvim-0.11") == 1 then
    client:request("workspace/executeCommand", params, handler)
  else
    client.request("workspace/executeCommand", params, handler)
  end
end

return M
