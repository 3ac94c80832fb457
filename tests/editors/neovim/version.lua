-- Open a file → wait for the client to initialize → report the server's serverInfo, the plugin's
-- version and minimum, every vim.notify, and the version check on answers a server might give.
local report = dofile(vim.env.ACCORD_TESTS .. "/report.lua")
local version = require("accord.version")
report.capture_notes()

report.run(function()
  report.wait("the Accord client to initialize", function()
    local client = require("accord.client").get()
    return client ~= nil and client.initialized == true
  end)
  if vim.env.ACCORD_MINIMUM_SERVER ~= nil then
    report.wait("the version warning", report.noted("older than"))
  else
    vim.wait(500) -- a warning, were there one, is scheduled right after on_init
  end
  report.data.server_info = require("accord.client").get().server_info
  report.data.plugin = { version = version.version, minimum_server = version.minimum_server }
  report.data.checks = {
    same = version.check({ name = "accord", version = version.minimum_server }) or vim.NIL,
    newer = version.check({ name = "accord", version = "99.0" }) or vim.NIL,
    older = version.check({ name = "accord", version = "0.0.1" }, "0.10.0") or vim.NIL,
    missing = version.check({ name = "accord" }) or vim.NIL,
    nonsense = version.check("0.1.0") or vim.NIL,
  }
end)
