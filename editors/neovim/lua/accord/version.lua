--- This plugin's version (the product's, see docs/release.md) and the oldest `accord lsp` it works
--- with; check() says what is wrong with the server `initialize` answered with.
local M = {}

--- The version of Accord this plugin ships with.
M.version = "0.1.0"

--- The oldest server this plugin works with (compared with initialize's serverInfo.version).
M.minimum_server = "0.1.0"

--- A version's numeric parts ("0.10.2" -> { 0, 10, 2 }), or nil when it has none.
---@param version string
---@return integer[]|nil
function M.parts(version)
  local digits = version:match("^v?(%d[%d%.]*)")
  if digits == nil then
    return nil
  end
  local parts = {}
  for part in digits:gmatch("%d+") do
    table.insert(parts, tonumber(part))
  end
  return parts
end

--- Negative when a is older than b, 0 when equal, positive when newer (missing parts count as 0).
function M.compare(a, b)
  for i = 1, math.max(#a, #b) do
    local difference = (a[i] or 0) - (b[i] or 0)
    if difference ~= 0 then
      return difference
    end
  end
  return 0
end

--- What to tell the user about the server, or nil when it is at least `minimum`.
---@param server_info any initialize's serverInfo, as received
---@param minimum string|nil defaults to M.minimum_server
---@return string|nil
function M.check(server_info, minimum)
  minimum = minimum or M.minimum_server
  local version = type(server_info) == "table" and server_info.version or nil
  local upgrade = ("Install Accord %s or newer (see editors/neovim in the README), or pass cmd to setup()."):format(minimum)
  if type(version) ~= "string" or M.parts(version) == nil then
    return ("Accord: the language server did not say its version; this plugin needs %s or newer. %s"):format(minimum, upgrade)
  end
  if M.compare(M.parts(version), M.parts(minimum)) < 0 then
    return ("Accord: the language server is version %s, older than the %s this plugin needs; some features will fail. %s"):format(version, minimum, upgrade)
  end
  return nil
end

--- on_init: warn (vim.notify) when the server is older than this plugin needs.
function M.on_init(_, init_result)
  local warning = M.check(init_result and init_result.serverInfo)
  if warning ~= nil then
    vim.schedule(function()
      vim.notify(warning, vim.log.levels.WARN)
    end)
  end
end

return M
