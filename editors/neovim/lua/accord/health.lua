--- :checkhealth accord — Neovim's version, the server's executable, and the running client.
local M = {}

local health = vim.health

local function check_neovim()
  if vim.fn.has("nvim-0.10") == 1 then
    health.ok("Neovim " .. tostring(vim.version()))
  else
    health.error("Neovim 0.10 or later is needed", { "Update Neovim" })
  end
end

local function check_server()
  local cmd = require("accord").options.cmd
  if vim.fn.executable(cmd[1]) == 0 then
    health.error(cmd[1] .. " is not on PATH", {
      "Install Accord from its pinned release wheel (README, Install), then put its bin/ on PATH or pass cmd = { '/path/to/accord', 'lsp' }",
    })
    return
  end
  local done = vim.system({ cmd[1], "--version" }, { text = true }):wait()
  if done.code == 0 then
    health.ok(vim.trim(done.stdout) .. " (" .. vim.fn.exepath(cmd[1]) .. ")")
  else
    health.error(cmd[1] .. " --version failed: " .. vim.trim(done.stderr or ""))
  end
end

local function check_client()
  local client = require("accord.client").get()
  if client == nil then
    health.warn("no Accord client is running", {
      "Call require('accord').setup() and open a file of a listed filetype",
    })
    return
  end
  local root = client.root_dir or (client.config and client.config.root_dir) or "?"
  health.ok(("client %d running, root %s"):format(client.id, root))
  local version = require("accord.version")
  local warning = version.check(client.server_info)
  if warning ~= nil then
    health.warn(warning)
  else
    health.ok(("server %s (this plugin needs %s or newer)"):format(client.server_info.version, version.minimum_server))
  end
end

function M.check()
  health.start("accord")
  check_neovim()
  check_server()
  check_client()
end

return M
